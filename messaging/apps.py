from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messages")

    def ready(self):
        from messaging import checks  # noqa: F401 (registers the deploy check)
        from messaging.retention import messages_forget
        from signups.retention import erase_step_register

        # Forgetting a person blanks their messages' texts at once.
        erase_step_register(messages_forget)

        # The one-time link of a pending change (signups.pending) goes out
        # as a message; signups may not import messaging, so it is told here.
        from messaging.pending_changes import pending_change_confirmation_queue
        from signups.pending import pending_change_sender_register

        pending_change_sender_register(pending_change_confirmation_queue)
