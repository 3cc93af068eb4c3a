"""Twilio's webhooks, outside the language prefix (Twilio speaks none):
/messaging/twilio/status and /messaging/twilio/inbound."""

from django.urls import path

from messaging import webhooks

app_name = "messaging_hooks"
urlpatterns = [
    path("twilio/status", webhooks.twilio_status, name="twilio_status"),
    path("twilio/inbound", webhooks.twilio_inbound, name="twilio_inbound"),
]
