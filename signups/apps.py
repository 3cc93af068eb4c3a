from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignupsConfig(AppConfig):
    name = "signups"
    verbose_name = _("Sign-ups")

    def ready(self):
        # Audit every create, change and delete of the people's records.
        from signups import audit, audit_admin  # noqa: F401 (registers the read-only admin)

        audit.connect()
        # Forget a staff member's kept identity when what they may do changes.
        from signups import staff_identity

        staff_identity.connect()
        # Forget cached pages when the data they show changes: the landing
        # page and the join form show the open campaign; the map counts
        # people; a kept join form gets this response's start time.
        from pagecache.pages import generation_follows, per_request_value
        from signups.protection import form_started_token

        generation_follows("campaigns", models=["signups.Campaign"])
        generation_follows("coverage", models=["signups.Volunteer"])
        per_request_value("form_started_token", form_started_token)

        # Keep the Organizer and Trainer groups (signups.roles) after a flush.
        from django.db.models.signals import post_migrate

        from signups.roles import _after_migrate

        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="signups.roles")
