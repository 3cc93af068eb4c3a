from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings")

    def ready(self):
        # Forgetting a person frees their seats: signups may not import
        # trainings, so trainings tells the erase what to do.
        from signups.retention import erase_step_register
        from trainings.services.registrations import registrations_forget

        erase_step_register(registrations_forget)

        # "Reply 1 if you're coming, 2 if you can't": replies to the texts
        # about a registration (reply_topic "registration:<pk>").
        from messaging.inbound import reply_handler_register
        from trainings.services.reminders import registration_reply

        reply_handler_register("registration", registration_reply)

        # A session's roster is kept rendered (trainings.views.roster.roster_rows)
        # until one of its people, registrations or check-ins changes.
        from django.db.models.signals import post_delete, post_save

        from pagecache.pages import generation_bump, generation_follows

        # The map's per-block counts; the public trainings list (sessions,
        # seats left, topics). Every trainer's roster: bumped below, with
        # one generation per session ("roster-<pk>").
        generation_follows("coverage", models=["trainings.Attendance", "trainings.Session"])
        generation_follows("trainings", models=["trainings.Session", "trainings.Registration", "trainings.Topic"])
        generation_follows("rosters")
        # A trainer given or taken off a session: their kept roster pages
        # (trainings.views.trainer.roster) are forgotten with their identity.
        from signups.staff_identity import staff_identity_follows

        staff_identity_follows("trainings.Session.trainers")

        def session_roster_changed(sender, instance, **kwargs):
            generation_bump(f"roster-{instance.session_id}")

        def session_changed(sender, instance, **kwargs):
            generation_bump(f"roster-{instance.pk}")

        def person_changed(sender, instance, created=False, **kwargs):
            # Someone new is on no roster until they register or walk in,
            # which bumps that session: a sign-up leaves rosters cached.
            if not created:
                generation_bump("rosters")

        for model in ("trainings.Attendance", "trainings.Registration"):
            post_save.connect(session_roster_changed, sender=model, dispatch_uid=f"rz.roster.save.{model}", weak=False)
            post_delete.connect(session_roster_changed, sender=model, dispatch_uid=f"rz.roster.delete.{model}", weak=False)
        post_save.connect(session_changed, sender="trainings.Session", dispatch_uid="rz.roster.session.save", weak=False)
        post_delete.connect(session_changed, sender="trainings.Session", dispatch_uid="rz.roster.session.delete", weak=False)
        post_save.connect(person_changed, sender="signups.Volunteer", dispatch_uid="rz.roster.person.save", weak=False)
        post_delete.connect(person_changed, sender="signups.Volunteer", dispatch_uid="rz.roster.person.delete", weak=False)

        # The follow-up list of a zone, among the zone's change page buttons
        # (zones imports no trainings: it lists what registers).
        from django.utils.translation import gettext_lazy

        from trainings.follow_up_admin import follow_up_url, may_follow_up
        from zones.extensions import zone_admin_link_register

        zone_admin_link_register(
            "follow-up", label=gettext_lazy("Follow-up list: signed up, not yet trained"), url=follow_up_url,
            allowed=may_follow_up,
        )
