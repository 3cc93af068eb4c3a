from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignupsConfig(AppConfig):
    name = "signups"
    verbose_name = _("Sign-ups")

    def ready(self):
        # Audit every create, change and delete of the people's records.
        from signups import audit, audit_admin  # noqa: F401 (registers the read-only admin)

        audit.connect()
