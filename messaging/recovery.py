"""What a killed worker leaves behind, found and finished.

A worker killed mid-task leaves its task "running" for ever (django-tasks-db
does not take tasks back) and some messages either "queued" (not reached
yet) or "sending" (claimed, maybe handed to the provider, answer not
recorded). Every worker runs messages_recover() when it starts and every
MESSAGE_RECOVER_INTERVAL seconds after (messaging's db_worker command):

- a message "sending" for MESSAGE_SENDING_TIMEOUT seconds is looked up at
  the provider (the Messages list, filtered by To and DateSent, matched by
  text): found, it is sent (with the provider's id and status); not found,
  it was never handed over and is queued again. A status callback reaching
  us meanwhile (its URL carries our id) settles it first. Emails cannot be
  looked up (SMTP keeps no record we can ask for): they are queued again,
  with the same Message-ID, which mailboxes take as one email;
- a message "queued" and due, handed to a task MESSAGE_REQUEUE_SECONDS ago
  and still not taken, is handed to a new task (claims make a second task
  on the same message harmless: only one of them takes it).
"""

import datetime
import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from messaging import providers
from messaging.delivery import outgoing_for
from messaging.models import Channel, Message
from messaging.providers import ProviderError

logger = logging.getLogger(__name__)

# Messages looked at per run, so one run stays short.
RECOVER_LIMIT = 2000

_FOUND_STATUS = {
    "accepted": Message.Status.SENT, "queued": Message.Status.SENT, "sending": Message.Status.SENT,
    "sent": Message.Status.SENT, "delivered": Message.Status.DELIVERED, "read": Message.Status.DELIVERED,
    "failed": Message.Status.FAILED, "undelivered": Message.Status.UNDELIVERABLE,
}


def _requeue(message_pk, claimed_at):
    from messaging.outbox import messages_hand_to_worker

    now = timezone.now()
    if Message.objects.filter(pk=message_pk, status=Message.Status.SENDING, claimed_at=claimed_at).update(
        status=Message.Status.QUEUED, claimed_at=None, handed_at=now,
    ):
        messages_hand_to_worker([message_pk])
        return True
    return False


def message_reconcile(message):
    """Settle one message a worker left "sending": "sent", "requeued",
    "dropped" or "unknown" (the provider could not be asked; next run)."""
    if message.channel == Channel.EMAIL:
        return "requeued" if _requeue(message.pk, message.claimed_at) else "unknown"
    if message.volunteer is None:
        Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(
            status=Message.Status.DROPPED, error_code="forgotten",
        )
        return "dropped"
    try:
        found = providers.sms_backend().find(outgoing_for(message), since=message.claimed_at)
    except ProviderError:
        return "unknown"
    if found is None:
        return "requeued" if _requeue(message.pk, message.claimed_at) else "unknown"
    status = _FOUND_STATUS.get(found.status, Message.Status.SENT)
    fields = {"status": status, "provider_id": found.provider_id, "sent_at": message.claimed_at}
    if found.error_code:
        fields.update(error_code=found.error_code, failed_at=timezone.now())
    Message.objects.filter(pk=message.pk, status=Message.Status.SENDING, claimed_at=message.claimed_at).update(
        **fields,
    )
    return "sent"


def messages_recover(*, now=None):
    """Finish what killed workers left; returns counts by outcome."""
    from messaging.outbox import messages_hand_to_worker

    now = now or timezone.now()
    counts = {"sent": 0, "requeued": 0, "dropped": 0, "unknown": 0, "handed": 0, "expired": 0}
    stale_since = now - datetime.timedelta(seconds=settings.MESSAGE_SENDING_TIMEOUT)
    stale = (
        Message.objects.select_related("volunteer")
        .filter(status=Message.Status.SENDING, claimed_at__lt=stale_since)
        .order_by("claimed_at")[:RECOVER_LIMIT]
    )
    for message in stale:
        counts[message_reconcile(message)] += 1
    counts["expired"] = Message.objects.filter(status=Message.Status.QUEUED, expires_at__lte=now).update(
        status=Message.Status.DROPPED, error_code="expired", failed_at=now,
    )
    forgotten_since = now - datetime.timedelta(seconds=settings.MESSAGE_REQUEUE_SECONDS)
    waiting = list(
        Message.objects.deliverable(now=now)
        .filter(Q(handed_at__isnull=True) | Q(handed_at__lt=forgotten_since))
        .order_by("pk").values_list("pk", flat=True)[:RECOVER_LIMIT * 10]
    )
    if waiting:
        Message.objects.filter(pk__in=waiting).update(handed_at=now)
        messages_hand_to_worker(waiting)
        counts["handed"] = len(waiting)
    if any(counts.values()):
        logger.info("Recovered messages: %s", ", ".join(f"{key} {value}" for key, value in counts.items()))
    return counts
