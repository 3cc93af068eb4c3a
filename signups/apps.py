from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignupsConfig(AppConfig):
    name = "signups"
    verbose_name = _("Sign-ups")

    def ready(self):
        # Audit every create, change and delete of the people's records.
        from signups import audit, audit_admin  # noqa: F401 (registers the read-only admin)

        audit.connect()
        # Forget cached pages when the data they show changes.
        from resistance_zone import caching

        caching.connect()

        # Keep the Organizer and Trainer groups (signups.roles) after a flush.
        from django.db.models.signals import post_migrate

        from signups.roles import _after_migrate

        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="signups.roles")
