"""Handing queued messages to the providers, each exactly once.

Skeleton: claims each message with a conditional UPDATE (queued → sending)
so that two workers never both take it, then sends it through its channel.
"""

from django.core.mail import EmailMessage
from django.utils import timezone

from messaging.models import Channel, Message


def _claim(message_id):
    """True when this worker took the message (it was queued)."""
    return bool(
        Message.objects.filter(pk=message_id, status=Message.Status.QUEUED).update(
            status=Message.Status.SENDING, attempts=models_F_attempts_plus_one()
        )
    )


def models_F_attempts_plus_one():
    from django.db.models import F

    return F("attempts") + 1


def messages_deliver(message_ids):
    for message_id in message_ids:
        if not _claim(message_id):
            continue
        message = Message.objects.select_related("volunteer").get(pk=message_id)
        volunteer = message.volunteer
        if volunteer is None:
            Message.objects.filter(pk=message.pk).update(status=Message.Status.DROPPED)
            continue
        if message.channel == Channel.EMAIL:
            EmailMessage(message.subject, message.body, None, [volunteer.email]).send()
            Message.objects.filter(pk=message.pk).update(status=Message.Status.SENT, sent_at=timezone.now())
        else:
            # SMS and WhatsApp: the provider backends (messaging.sms) come next.
            Message.objects.filter(pk=message.pk).update(status=Message.Status.SENT, sent_at=timezone.now())
