"""Message texts are kept MESSAGE_BODY_DAYS (30) days, then blanked: the
row stays (counts, delivery report, error codes), its words do not. The
worker does it as it recovers (messaging's db_worker), and
`manage.py erase_message_bodies` does it from a cron line too."""

import datetime

from django.conf import settings
from django.utils import timezone

from messaging.models import Message


def message_bodies_erase(*, now=None):
    """Blank the subject and text of messages older than MESSAGE_BODY_DAYS;
    returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.MESSAGE_BODY_DAYS)
    return (
        Message.objects.filter(created_at__lt=cutoff, body_erased_at__isnull=True)
        .exclude(status__in=[Message.Status.QUEUED, Message.Status.SENDING])
        .update(body="", subject="", body_erased_at=now)
    )


def messages_forget(*, volunteer):
    """A forget-me step (signups.retention.volunteer_erase): the person's
    messages lose their words at once, and those not yet sent are not sent.
    The rows stay, without them, for the delivery counts."""
    now = timezone.now()
    messages = Message.objects.filter(volunteer=volunteer)
    messages.filter(status__in=[Message.Status.QUEUED, Message.Status.SENDING]).update(
        status=Message.Status.DROPPED, error_code="forgotten", failed_at=now,
    )
    messages.filter(body_erased_at__isnull=True).update(body="", subject="", body_erased_at=now)
