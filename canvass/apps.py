from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CanvassConfig(AppConfig):
    name = "canvass"
    verbose_name = _("Canvassing")

    def ready(self):
        # Keep the Canvasser group (canvass.roles) after a flush, as signups
        # does for Organizer and Trainer.
        from django.db.models.signals import post_migrate

        from canvass.roles import _after_migrate

        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="canvass.roles")

        # Every block's path (canvass.states) on zones' pages, which import
        # no canvass: the map's state layer, the zone admin's progress link,
        # and the public page's totals (canvass.progress_views).
        from django.utils.translation import gettext_lazy
        from django.urls import reverse

        from canvass.progress_views import public_progress, state_layer_url
        from zones.extensions import map_layer_register, progress_provider_register, zone_admin_link_register

        map_layer_register("canvass-state", label=gettext_lazy("Canvass state"), url=state_layer_url)
        zone_admin_link_register(
            "canvass-progress", label=gettext_lazy("Progress and charts"),
            url=lambda zone: reverse("admin:canvass_zone_progress", args=[zone.pk]),
            allowed=lambda user: user.has_perm("zones.view_zone"),
        )
        progress_provider_register(
            "canvass", provide=public_progress, template="canvass/_zone_progress_public.html",
            depends_on=["canvass"],
        )
        # The public page's door and block totals follow the tallies typed
        # in the admin, the pauses and the snapshots. A tap on a phone
        # (tally_increment: QuerySet.update, no signal) bumps nothing on
        # purpose: on a canvass day that would throw the page away several
        # times a second; the page is kept two minutes instead (zones.views).
        from pagecache.pages import generation_follows

        generation_follows("canvass", models=["canvass.DoorTally", "canvass.BlockPause", "canvass.ZoneSnapshot"])

        # load_demo (a trainings command) runs this app's demo data
        # through signups.demo's registry: trainings imports no canvass.
        from canvass.demo import demo_canvass_load
        from signups.demo import demo_step_register

        demo_step_register("canvass", demo_canvass_load)
