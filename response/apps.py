from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResponseConfig(AppConfig):
    name = "response"
    verbose_name = _("Rapid response")

    def ready(self):
        # Replies to "Reply 1 if you can go, 2 if not" (messaging.inbound).
        from messaging.inbound import reply_handler_register
        from response.incidents import VERIFY_TOPIC, verify_reply

        reply_handler_register(VERIFY_TOPIC, verify_reply)
        # A forgotten responder leaves every incident (signups.retention).
        from response.retention import responder_forget
        from signups.retention import erase_step_register

        erase_step_register(responder_forget)

        # load_demo (a trainings command) runs this app's demo data
        # through signups.demo's registry: trainings imports no response.
        from response.demo import demo_response_load
        from signups.demo import demo_step_register

        demo_step_register("response", demo_response_load)
