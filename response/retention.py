"""Keep less: an incident keeps its block, kind, times and counts; its free
text, its alert's words and the lists of who was asked or alerted go
RAPID_DETAIL_DAYS after it closed. A responder who asks to be forgotten
leaves every incident at once (responder_forget, an erase step of
signups.retention)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from messaging.models import Batch
from response.models import AlertRecipient, Incident, Verification
from response.timeline import step_record
from signups.audit import AuditEntry, audit_retention


def incident_details_erase(*, now=None):
    """Erase the details of incidents closed RAPID_DETAIL_DAYS ago or more.
    Returns how many incidents."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.RAPID_DETAIL_DAYS)
    due = list(Incident.objects.filter(closed_at__lte=cutoff, detail_erased_at__isnull=True))
    if not due:
        return 0
    ids = [incident.pk for incident in due]
    with transaction.atomic():
        Verification.objects.filter(incident_id__in=ids).delete()
        AlertRecipient.objects.filter(incident_id__in=ids).delete()
        batches = [pk for incident in due for pk in (incident.alert_batch_id, incident.closing_batch_id) if pk]
        Batch.objects.filter(pk__in=batches).update(text_en="", text_es="")
        Incident.objects.filter(pk__in=ids).update(text="", spot="", detail_erased_at=now)
        for incident in due:
            step_record(incident, "details_erased")
        audit_retention(action=AuditEntry.Action.ERASE, model="response.incident", row_count=len(ids),
                        changed_fields=["text", "spot", "verifications", "recipients"],
                        detail=f"details of incidents closed {settings.RAPID_DETAIL_DAYS} days ago")
    return len(ids)


def responder_forget(*, volunteer):
    """Take a person out of every incident (signups.retention erase step):
    the counts stay, the person does not."""
    Verification.objects.filter(volunteer=volunteer).delete()
    AlertRecipient.objects.filter(volunteer=volunteer).delete()
