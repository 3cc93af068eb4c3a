"""Messages about a registration (templates/messages/trainings/*): queued
for the messaging worker, by the person's channel, in their language, with
the registration's link rotated whenever a message carries it again."""

import hashlib

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from messaging.models import Channel, Kind, Message
from messaging.outbox import channel_for, message_language, message_queue
from trainings.models import Registration, new_cancel_token


def registration_message_queue(registration, template, *, volunteer, kind=Kind.TRANSACTIONAL, key=None,
                                rotate=False, expires_at=None):
    """Queue one message about `registration` to `volunteer` (the
    registration's, possibly limited to the contacts on file) from
    templates/messages/trainings/<template>.*, in the person's language.

    With `rotate`, a message that carries the registration's link carries
    it under a new secret, kept only when the message is queued (one the
    person cannot get, for want of consent or after an opt-out, leaves the
    link they have working). A text awaits a reply about the registration
    (registration_reply). Returns the Message or None."""
    channel = channel_for(volunteer)
    if channel is None:
        return None
    key = key or f"registration-{template}:{registration.pk}:{registration.created_at.timestamp():.0f}"
    queued_before = Message.objects.filter(idempotency_key=key).first()
    if queued_before is not None:
        # Sent once already: its link is the one the person has.
        return queued_before
    token = registration.cancel_token
    carries_link = channel == Channel.EMAIL or template in TEXTS_WITH_LINK
    if rotate and carries_link:
        token = new_cancel_token()
    with translation.override(message_language(volunteer)):
        path = reverse("trainings:registration", args=[token])
    message = message_queue(
        volunteer,
        kind=kind,
        key=key,
        template=f"trainings/{template}",
        context={
            "registration": registration,
            "session": registration.session,
            "volunteer": volunteer,
            # A message has no request to build a link from: SITE_URL says
            # where the site lives.
            "registration_url": settings.SITE_URL.rstrip("/") + path,
        },
        reply_topic="" if channel == Channel.EMAIL or template in TEXTS_WITHOUT_REPLY else f"registration:{registration.pk}",
        expires_at=expires_at,
    )
    # Kept only when the message queued is the one that carries the new
    # secret (not one queued under the same key by a racing call).
    if message is not None and token != registration.cancel_token and token in message.body:
        registration.cancel_token = token
        Registration.objects.filter(pk=registration.pk).update(cancel_token=token, updated_at=timezone.now())
    return message


# Texts that carry the registration's link (a text reminder asks for 1 or 2
# instead: shorter, and the link the person has keeps working), and texts
# that ask nothing back.
TEXTS_WITH_LINK = {"registered", "waitlisted", "promoted", "link"}
TEXTS_WITHOUT_REPLY = {"waitlisted", "link"}


def secret_hashed(secret):
    # Keys show in the admin: never a secret itself.
    return hashlib.sha256(secret.encode()).hexdigest()[:16]
