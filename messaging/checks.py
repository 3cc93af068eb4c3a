"""`manage.py check --deploy`: texts need a provider."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def sms_provider_configured(app_configs, **kwargs):
    if settings.SMS_URL:
        return []
    return [Warning(
        "SMS_URL is not set: texts and WhatsApp messages will fail with 'no-provider'.",
        hint="Set SMS_URL=twilio://ACCOUNT_SID:AUTH_TOKEN@MESSAGING_SERVICE_SID (README, Messages).",
        id="messaging.W001",
    )]
