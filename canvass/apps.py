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
