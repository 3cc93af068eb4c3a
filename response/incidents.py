"""An incident from report to verification: record it, ask the nearest
responders, take their answers and the verifiers' reports.

    incident = incident_open(user=..., block=..., kind=..., seen_at=..., text=..., spot=...)

asks RAPID_VERIFY_FANOUT responders by text ("Reply 1 if you can go, 2 if
not"); the first RAPID_VERIFIERS who answer 1 get the exact spot and a
one-time link (verification_report); the others are told it is covered.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from messaging.inbound import words_of
from messaging.models import Channel, Kind, OptOut
from messaging.outbox import channel_for, contact_hashes, messages_queue_many
from response.geography import block_point, centroids_refresh, responders_nearest
from response.models import Incident, Verification
from response.timeline import step_record
from signups.audit import AuditEntry
from signups.models import Volunteer

VERIFY_TOPIC = "incident-verify"


class IncidentRefused(Exception):
    """A step the rules do not allow; `message` says why, translated."""

    def __init__(self, code, message):
        super().__init__(code)
        self.code = code
        self.message = message


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def alert_expiry(now=None):
    return (now or timezone.now()) + datetime.timedelta(minutes=settings.RAPID_ALERT_TTL_MINUTES)


def incident_open(*, user, block, kind, seen_at, text="", spot="", blocks=(), submission=None):
    """Record a report on `block` (and the other `blocks` of an
    intersection) and ask the nearest responders to check."""
    with transaction.atomic():
        incident = Incident.objects.create(
            zone=block.zone, block=block, kind=kind, seen_at=seen_at, text=text.strip(), spot=spot.strip(),
            opened_by=user, submission=submission,
        )
        incident.blocks.set({block.pk, *(b.pk for b in blocks)})
        step_record(incident, "reported", actor=user, action=AuditEntry.Action.CREATE)
        verification_ask(incident, actor=user)
    return incident


def _reachable_by_text(candidates):
    """Those of `candidates` we can text and who did not opt out (one query)."""
    hashes = {v.pk: contact_hashes(v) for v in candidates}
    opted = set(OptOut.objects.filter(contact_hash__in=[h for hs in hashes.values() for h in hs])
                .values_list("contact_hash", flat=True)) if hashes else set()
    return [v for v in candidates
            if channel_for(v) in (Channel.SMS, Channel.WHATSAPP) and not opted.intersection(hashes[v.pk])]


def verification_ask(incident, *, actor=None):
    """Ask the nearest responders not asked yet, up to
    RAPID_VERIFY_FANOUT in all. Returns how many were asked now."""
    centroids_refresh()
    point = block_point(incident.block)
    if point is None:
        return 0
    already = set(incident.verifications.values_list("volunteer_id", flat=True))
    wanted = settings.RAPID_VERIFY_FANOUT - len(already)
    if wanted <= 0:
        return 0
    # A few more than needed: some cannot be texted or opted out.
    candidates = _reachable_by_text(responders_nearest(point, count=wanted * 3, exclude_ids=already))[:wanted]
    if not candidates:
        step_record(incident, "asked", actor=actor, row_count=0)
        return 0
    Verification.objects.bulk_create([Verification(incident=incident, volunteer=v) for v in candidates])
    asked = messages_queue_many(
        Volunteer.objects.filter(pk__in=[v.pk for v in candidates]), kind=Kind.URGENT,
        key_prefix=f"incident-verify:{incident.pk}", template="response/verify_ask",
        context={"block": incident.block}, reply_topic=f"{VERIFY_TOPIC}:{incident.pk}",
        expires_at=alert_expiry(),
    )
    Incident.objects.filter(pk=incident.pk).update(asked_count=len(already) + asked)
    incident.asked_count = len(already) + asked
    step_record(incident, "asked", actor=actor, row_count=asked)
    return asked


def report_url(token, *, language):
    with translation.override(language):
        path = reverse("response:report", args=[token])
    return settings.SITE_URL.rstrip("/") + path


def _verifier_answer(incident, verification, language):
    """Choose `verification` as a verifier: a fresh one-time link (the old
    one stops working) and the exact spot."""
    token = secrets.token_urlsafe(18)
    verification.chosen = True
    verification.token_hash = token_hash(token)
    verification.save(update_fields=["chosen", "token_hash", "answer", "answered_at"])
    spot = incident.spot or incident.block.cross_streets
    return gettext(
        "Thank you. Go to the %(block)s%(spot)s. Stay safe and keep your distance. "
        "Report what you see here: %(url)s"
    ) % {"block": incident.block.name, "spot": f" ({spot})" if spot else "",
         "url": report_url(token, language=language)}


COVERED_ANSWER = _("Covered, thank you. Others are going; nobody else needs to go.")


def verify_reply(volunteer, topic_id, text):
    """The reply handler for "incident-verify:<id>" (messaging.inbound):
    1 → a verifier while places are left, else covered; 2 → thanks."""
    words = words_of(text)
    answer = words[0] if words else ""
    if answer not in ("1", "2"):
        return gettext("Reply 1 if you can go, 2 if not.")
    language = translation.get_language()
    with transaction.atomic():
        incident = Incident.objects.select_for_update().filter(pk=topic_id if topic_id.isdigit() else None).first()
        verification = incident and Verification.objects.filter(incident=incident, volunteer=volunteer).first()
        if verification is None:
            return None
        if not incident.is_open:
            return gettext("This alert is over. Thank you.")
        if answer == "2":
            if not verification.chosen:
                verification.answer, verification.answered_at = Verification.Answer.CANNOT, timezone.now()
                verification.save(update_fields=["answer", "answered_at"])
            return gettext("Thank you. Nobody is counting on you for this one.")
        verification.answer, verification.answered_at = Verification.Answer.CAN_GO, timezone.now()
        chosen = incident.verifications.filter(chosen=True).count()
        if verification.chosen or chosen < settings.RAPID_VERIFIERS:
            first_time = not verification.chosen
            reply = _verifier_answer(incident, verification, language)
            if first_time:
                step_record(incident, "verifier", subject=f"volunteer:{volunteer.pk}")
                if chosen + 1 >= settings.RAPID_VERIFIERS:
                    _covered_tell_the_others(incident)
            return reply
        verification.save(update_fields=["answer", "answered_at"])
        return str(COVERED_ANSWER)


def _covered_tell_the_others(incident):
    """Enough verifiers: thank the asked who have not answered 1 yet."""
    others = incident.verifications.filter(chosen=False).exclude(answer=Verification.Answer.CANNOT)
    told = messages_queue_many(
        Volunteer.objects.filter(pk__in=others.values("volunteer_id")), kind=Kind.URGENT,
        key_prefix=f"incident-covered:{incident.pk}", template="response/covered", context={"block": incident.block},
        expires_at=alert_expiry(),
    )
    step_record(incident, "covered", row_count=told)


def verification_for_token(token):
    """The chosen verification whose link this is, unused; None otherwise."""
    if not token:
        return None
    return (
        Verification.objects.select_related("incident", "incident__block")
        .filter(token_hash=token_hash(token), chosen=True, reported_at__isnull=True).first()
    )


def verification_report(verification, *, report, seen_at):
    """Record a verifier's report; the link works once. A confirmation makes
    the incident verified (a broadcast may then be approved)."""
    if report not in (Verification.Report.CONFIRMED, Verification.Report.NOT_SEEN, Verification.Report.UNCLEAR):
        raise ValueError(report)
    with transaction.atomic():
        locked = Verification.objects.select_for_update().get(pk=verification.pk)
        if locked.reported_at is not None:
            return False
        now = timezone.now()
        locked.report, locked.report_seen_at, locked.reported_at, locked.token_hash = report, seen_at, now, ""
        locked.save(update_fields=["report", "report_seen_at", "reported_at", "token_hash"])
        incident = locked.incident
        if report == Verification.Report.CONFIRMED and incident.confirmed_at is None:
            Incident.objects.filter(pk=incident.pk, confirmed_at__isnull=True).update(confirmed_at=now)
        step_record(incident, report, subject=f"volunteer:{locked.volunteer_id}")
    return True
