"""An incident from verification to its end: a second person approves the
alert, and it closes only with an all-clear or a correction to exactly the
people it reached.

The rules, each refused with a plain message (IncidentRefused):
- no broadcast of a report no verifier confirmed;
- no approval by the person who opened the incident;
- no closing without an all-clear or a correction.
"""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from messaging.models import Batch, Kind, Message
from messaging.outbox import messages_queue_many, staff_notify
from response.access import dispatchers_of
from response.geography import block_point, centroids_refresh, neighbors_within
from response.incidents import IncidentRefused, alert_expiry
from response.models import AlertRecipient, Incident
from response.timeline import step_record
from signups.models import Volunteer

NOT_VERIFIED = _("This report is not verified. An unverified report can never be broadcast: "
                 "wait until a responder on the spot confirms it.")
SELF_APPROVAL = _("You opened this incident, so you cannot approve its alert: "
                  "a second dispatcher or organizer must approve it.")
NO_TEXT = _("Write the text in English and in Spanish.")
ALREADY_ALERTED = _("The alert for this incident was already sent.")
CLOSED = _("This incident is closed.")
SUBJECTS = {
    "alert": {"en": "Urgent: Resistance Zone alert", "es": "Urgente: alerta de Zona de Resistencia"},
    "all_clear": {"en": "All clear: Resistance Zone", "es": "Todo en orden: Zona de Resistencia"},
    "correction": {"en": "Correction: Resistance Zone", "es": "Corrección: Zona de Resistencia"},
}
PAGE_AFTER = datetime.timedelta(hours=6)


def _texts(text_en, text_es):
    texts = {"en": (text_en or "").strip(), "es": (text_es or "").strip()}
    if not texts["en"] or not texts["es"]:
        raise IncidentRefused("no-text", NO_TEXT)
    return texts


def alert_refusal(incident, user):
    """Why `user` may not approve the alert of `incident` now, or None."""
    if not incident.is_open:
        return IncidentRefused("closed", CLOSED)
    if incident.alert_batch_id is not None:
        return IncidentRefused("alerted", ALREADY_ALERTED)
    if not incident.is_verified:
        return IncidentRefused("not-verified", NOT_VERIFIED)
    if incident.opened_by_id is not None and incident.opened_by_id == user.pk:
        return IncidentRefused("self-approval", SELF_APPROVAL)
    return None


def alert_recipients(incident):
    """Trained neighbors who agreed to urgent alerts, within
    RAPID_ALERT_RADIUS_BLOCKS of the incident's block (responders among them)."""
    centroids_refresh()
    point = block_point(incident.block)
    return neighbors_within(point) if point is not None else Volunteer.objects.none()


def incident_approve(incident, *, user, text_en, text_es):
    """Approve and queue the alert (urgent: through quiet hours; dropped at
    the provider and in our queue when not delivered within
    RAPID_ALERT_TTL_MINUTES). Returns how many were queued."""
    texts = _texts(text_en, text_es)
    with transaction.atomic():
        incident = Incident.objects.select_for_update().select_related("block").get(pk=incident.pk)
        refusal = alert_refusal(incident, user)
        if refusal is not None:
            raise refusal
        now = timezone.now()
        batch = Batch.objects.create(text_en=texts["en"], text_es=texts["es"], kind=Kind.URGENT, created_by=user,
                                     subject=SUBJECTS["alert"]["en"], segment={"incident": incident.pk})
        queued = messages_queue_many(
            alert_recipients(incident), kind=Kind.URGENT, key_prefix=f"incident-alert:{incident.pk}", texts=texts,
            subject=SUBJECTS["alert"], batch=batch, expires_at=alert_expiry(now),
        )
        _recipients_record(incident, batch)
        Batch.objects.filter(pk=batch.pk).update(recipients=queued)
        Incident.objects.filter(pk=incident.pk).update(
            approved_by=user, approved_at=now, alert_batch=batch, alerted_count=queued,
        )
        step_record(incident, "approved", actor=user, row_count=queued)
    return queued


def _recipients_record(incident, batch):
    """Who the alert was queued for, in one INSERT … SELECT from its
    messages (5,000 rows without 5,000 Python objects)."""
    recipients, messages = AlertRecipient._meta, Message._meta
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {recipients.db_table} (incident_id, volunteer_id) "  # noqa: S608 - table names only
            f"SELECT %s, volunteer_id FROM {messages.db_table} WHERE batch_id = %s AND volunteer_id IS NOT NULL",
            [incident.pk, batch.pk],
        )


def closing_recipients(incident):
    """Exactly the people the alert was queued for; when no alert went out,
    the responders who were asked to check (they are waiting to hear)."""
    if incident.alert_batch_id is not None:
        return Volunteer.objects.filter(pk__in=AlertRecipient.objects.filter(incident=incident).values("volunteer_id"))
    return Volunteer.objects.filter(pk__in=incident.verifications.values("volunteer_id"))


def incident_close(incident, *, user, closing, text_en, text_es):
    """Close with an all-clear or a correction sent to closing_recipients,
    delivery tracked in its own batch. Returns how many were queued."""
    if closing not in Incident.Closing.values:
        raise IncidentRefused("no-closing", NO_TEXT)
    texts = _texts(text_en, text_es)
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if not incident.is_open:
            raise IncidentRefused("closed", CLOSED)
        now = timezone.now()
        batch = Batch.objects.create(text_en=texts["en"], text_es=texts["es"], kind=Kind.URGENT, created_by=user,
                                     subject=SUBJECTS[closing]["en"], segment={"incident": incident.pk})
        queued = messages_queue_many(
            closing_recipients(incident), kind=Kind.URGENT, key_prefix=f"incident-close:{incident.pk}", texts=texts,
            subject=SUBJECTS[closing], batch=batch,
        )
        Batch.objects.filter(pk=batch.pk).update(recipients=queued)
        Incident.objects.filter(pk=incident.pk).update(
            closing=closing, closing_batch=batch, closing_count=queued, closed_by=user, closed_at=now,
        )
        step_record(incident, f"closed_{closing}", actor=user, row_count=queued)
    return queued


def incidents_page_stale(*, now=None):
    """Page the dispatchers of every incident open PAGE_AFTER (6 hours) and
    not paged yet. Returns how many incidents."""
    now = now or timezone.now()
    stale = Incident.objects.filter(closed_at__isnull=True, paged_at__isnull=True, opened_at__lte=now - PAGE_AFTER)
    paged = 0
    for incident in stale.select_related("zone", "block"):
        with transaction.atomic():
            if not Incident.objects.filter(pk=incident.pk, paged_at__isnull=True).update(paged_at=now):
                continue
            url = settings.SITE_URL.rstrip("/") + reverse("response:incident", args=[incident.pk])
            messages = staff_notify(dispatchers_of(incident.zone), key=f"incident-open-6h:{incident.pk}",
                                    template="response/open_six_hours", context={"incident": incident, "url": url})
            step_record(incident, "paged", row_count=len(messages))
            paged += 1
    return paged


def delivery_counts(batch_ids):
    """{batch id: {status: count}} of the messages of those batches (one query)."""
    from django.db.models import Count

    counts = {pk: {} for pk in batch_ids if pk}
    rows = (Message.objects.filter(batch_id__in=list(counts)).values("batch_id", "status")
            .annotate(n=Count("pk")).order_by())
    for row in rows:
        counts[row["batch_id"]][row["status"]] = row["n"]
    return counts
