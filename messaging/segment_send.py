"""An organizer's message to a segment: who it reaches, what it costs, and
sending it once.

- `segment_volunteers(segment, user=...)`: the people a segment names, only
  ever within the organizer's zones (zones.admin_scoping), so a forged form
  cannot reach another zone's people.
- `segment_reach(volunteers, kind=...)`: how many each channel reaches and
  how many are left out, and why (no way to reach them, no consent to this
  kind, opted out), with when quiet hours release the messages.
- `segment_preview(...)`: each language's text as it will be sent (with the
  core's footer) and its SMS segments (messaging.segments).
- `segment_send(...)`: one Batch, its messages queued in bulk
  (messaging.outbox.messages_queue_many), an audit entry. The compose
  form's nonce makes a double submit one batch.
- `batch_report(batch)`: queued / sent / delivered / failed, with reasons.

messaging may not import trainings (DESIGN.md): "registered for a session"
goes through Volunteer's reverse relation `registrations` and the Session
model is looked up by name.
"""

import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from messaging.models import Batch, Channel, Kind, Message, OptOut
from messaging.segments import sms_segments
from signups.audit import AuditEntry
from signups.models import Language, Volunteer
from zones.admin_scoping import blocks_for, zones_for
from zones.models import Zone


class SegmentSend(models.Model):
    """What an organizer's Batch needs beyond the core's model: the zones it
    went to (its report is scoped like the people it reached), the Spanish
    subject, and the compose form's nonce (a double submit finds the first
    send). A Batch with none (an incident's alert) is no organizer's."""

    batch = models.OneToOneField(Batch, on_delete=models.CASCADE, related_name="segment_send")
    zones = models.ManyToManyField(Zone, verbose_name=_("zones"), related_name="+", blank=True)
    subject_es = models.CharField(_("subject (Spanish)"), max_length=200, blank=True)
    nonce = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        app_label = "messaging"
        verbose_name = _("message to a segment")
        verbose_name_plural = _("messages to a segment")

    def __str__(self):
        return str(self.batch)


class Training(models.TextChoices):
    ANY = "", _("Anyone")
    TRAINED = "trained", _("Trained")
    UNTRAINED = "untrained", _("Never trained")
    REFRESHER = "refresher", _("Needs a refresher")


# The kinds an organizer sends to a segment. Urgent alerts go out only
# through a verified, approved incident (the rapid-response issue).
SEGMENT_KINDS = (Kind.NEWS, Kind.REMINDER)


def sessions_for(user):
    """Training sessions of the user's zones, newest first (the trainings
    app's model, looked up by name)."""
    try:
        Session = apps.get_model("trainings", "Session")
    except LookupError:
        return None
    return Session.objects.filter(zone__in=zones_for(user)).select_related("topic").order_by("-starts_at")


def segment_volunteers(segment, *, user, now=None):
    """The volunteers `segment` names, within `user`'s zones.

    `segment`: {"zones": [ids] (required: nobody without one),
    "blocks": [ids], "languages": [codes], "ways_to_help": [codes] (any of),
    "training": Training, "session": id or None (registered, not waitlisted
    or cancelled)}. Ids outside the user's zones are ignored."""
    zones = zones_for(user).filter(pk__in=segment.get("zones") or [])
    people = Volunteer.objects.filter(block__zone__in=zones)
    if segment.get("blocks"):
        people = people.filter(block__in=blocks_for(user).filter(pk__in=segment["blocks"]))
    if segment.get("languages"):
        people = people.filter(language__in=segment["languages"])
    if segment.get("ways_to_help"):
        any_way = Q()
        for way in segment["ways_to_help"]:
            any_way |= Q(ways_to_help__icontains=f'"{way}"')
        people = people.filter(any_way)
    training = segment.get("training") or Training.ANY
    if training == Training.TRAINED:
        people = people.trained(now=now)
    elif training == Training.UNTRAINED:
        people = people.filter(trained_at__isnull=True)
    elif training == Training.REFRESHER:
        people = people.needing_refresher(now=now)
    if segment.get("session"):
        sessions = sessions_for(user)
        registered = Volunteer.objects.filter(
            registrations__session__in=sessions.filter(pk=segment["session"]) if sessions is not None else [],
            registrations__status="registered",
        )
        people = people.filter(pk__in=registered.values("pk"))
    return people


@dataclass
class Reach:
    channels: dict = field(default_factory=lambda: {channel: 0 for channel in Channel.values})
    languages: dict = field(default_factory=lambda: {Language.ENGLISH: 0, Language.SPANISH: 0})
    no_contact: int = 0
    no_consent: int = 0
    opted_out: int = 0
    # When quiet hours release the messages (None: they leave now).
    held_until: object = None

    @property
    def recipients(self):
        return sum(self.channels.values())

    @property
    def excluded(self):
        return self.no_contact + self.no_consent + self.opted_out

    def channel_rows(self):
        return [(label, self.channels[code]) for code, label in Channel.choices]


_CHUNK = 2000


def segment_reach(volunteers, *, kind, now=None):
    """Who of `volunteers` a message of `kind` would reach, by channel and
    language, and who not, by the first reason that stops it — the same
    rules messages_queue_many applies (messaging.outbox)."""
    from messaging.outbox import (
        KINDS_QUIET_AT_NIGHT,
        channel_for,
        contact_hashes,
        message_language,
        quiet_hours_end,
        volunteer_consented,
    )

    reach = Reach()
    fields = ("id", "phone", "email", "language", "contact_methods", "message_kinds")
    chunk = []

    def count(people):
        hashes = {person.pk: contact_hashes(person) for person in people}
        opted_out = set(
            OptOut.objects.filter(contact_hash__in=[h for hs in hashes.values() for h in hs])
            .values_list("contact_hash", flat=True)
        )
        for person in people:
            channel = channel_for(person)
            if channel is None:
                reach.no_contact += 1
            elif not volunteer_consented(person, kind):
                reach.no_consent += 1
            elif opted_out.intersection(hashes[person.pk]):
                reach.opted_out += 1
            else:
                reach.channels[channel] += 1
                reach.languages[message_language(person)] += 1

    for person in volunteers.only(*fields).order_by("pk").iterator(chunk_size=_CHUNK):
        chunk.append(person)
        if len(chunk) >= _CHUNK:
            count(chunk)
            chunk = []
    if chunk:
        count(chunk)
    if kind in KINDS_QUIET_AT_NIGHT:
        reach.held_until = quiet_hours_end(now)
    return reach


@dataclass
class LanguagePreview:
    language: str
    label: str
    subject: str
    text: str  # as the organizer wrote it
    sms: str  # as a text message carries it, footer included
    text_count: object  # SegmentCount of the text alone
    sms_count: object  # SegmentCount of the whole text message


def sample_settings_url(language):
    # As long as a real link (messaging.self_service: 22-character token).
    with translation.override(language):
        return settings.SITE_URL.rstrip("/") + reverse("messaging:self_service", args=["x" * 22])


def segment_preview(*, texts, subjects):
    """[LanguagePreview] for English and Spanish: each text as a text
    message will carry it (the core's footer with a settings link of real
    length) and what that costs in segments."""
    from messaging.outbox import message_with_footer

    previews = []
    for language, label in ((Language.ENGLISH, Language.ENGLISH.label), (Language.SPANISH, Language.SPANISH.label)):
        text = texts[language]
        sms = message_with_footer(
            text, channel=Channel.SMS, language=language, settings_url=sample_settings_url(language),
        )
        previews.append(LanguagePreview(
            language=language, label=label, subject=subjects.get(language, ""), text=text, sms=sms,
            text_count=sms_segments(text), sms_count=sms_segments(sms),
        ))
    return previews


def _audit_send(*, user, batch, segment):
    # Ids and counts only: no name, number or text in the audit log.
    detail = "segment send, kind {kind}, zones {zones}".format(
        kind=batch.kind, zones=",".join(str(pk) for pk in segment.get("zones", [])),
    )
    return AuditEntry.objects.create(
        actor=user, actor_name=user.get_username(), action=AuditEntry.Action.CREATE,
        model="messaging.batch", object_id=str(batch.pk), row_count=batch.recipients, detail=detail[:200],
    )


def segment_send(*, user, segment, kind, texts, subjects, nonce):
    """Send `texts` ({"en", "es"}) to the people of `segment`, as `user`.

    Returns (batch, created). The same `nonce` (one compose form) makes one
    batch: a double submit, or a second tab's, returns the first. Writes the
    Batch, its SegmentSend, every Message (in bulk, after the same rules as
    segment_reach) and one audit entry in one transaction; the worker sends
    after the commit. Refuses (ValueError) a kind that is not a segment's."""
    from messaging.outbox import messages_queue_many

    if kind not in SEGMENT_KINDS:
        raise ValueError(f"a segment sends {SEGMENT_KINDS}, not {kind}")
    existing = SegmentSend.objects.filter(nonce=nonce).select_related("batch").first()
    if existing is not None:
        return existing.batch, False
    zones = list(zones_for(user).filter(pk__in=segment.get("zones") or []))
    try:
        with transaction.atomic():
            batch = Batch.objects.create(
                subject=subjects.get(Language.ENGLISH, ""), text_en=texts[Language.ENGLISH],
                text_es=texts[Language.SPANISH], kind=kind, segment=segment, created_by=user,
            )
            # A twin post with this nonce waits here until this one commits,
            # then fails on the unique nonce and returns this batch.
            send = SegmentSend.objects.create(batch=batch, nonce=nonce, subject_es=subjects.get(Language.SPANISH, ""))
            send.zones.set(zones)
            batch.recipients = messages_queue_many(
                segment_volunteers(segment, user=user), kind=kind, key_prefix=f"batch:{batch.pk}",
                texts=texts, subject=subjects, batch=batch,
            )
            batch.save(update_fields=["recipients"])
            _audit_send(user=user, batch=batch, segment=segment)
    except IntegrityError:
        return SegmentSend.objects.select_related("batch").get(nonce=nonce).batch, False
    return batch, True


# What the provider's error codes (messaging.providers) mean, for the report.
ERROR_REASONS = {
    "21211": _("Not a valid phone number"),
    "21610": _("The person replied STOP"),
    "21614": _("Not a mobile number"),
    "30003": _("Phone off or out of reach"),
    "30005": _("Unknown number, or no longer in service"),
    "30006": _("Landline, or the carrier cannot take texts"),
    "30007": _("Filtered by the carrier"),
    "429": _("The provider asked us to slow down"),
    "unavailable": _("The provider was unavailable"),
    "no-provider": _("No provider is configured for this channel"),
}


@dataclass
class Report:
    total: int
    by_status: dict
    failures: list  # [(code, reason, count)]
    held_until: object

    @property
    def finished(self):
        return self.total == 0 or self.by_status.get(Message.Status.QUEUED, 0) + self.by_status.get(
            Message.Status.SENDING, 0
        ) == 0

    @property
    def done(self):
        pending = self.by_status.get(Message.Status.QUEUED, 0) + self.by_status.get(Message.Status.SENDING, 0)
        return self.total - pending

    @property
    def percent_done(self):
        return 100 if self.total == 0 else round(100 * self.done / self.total)

    def status_rows(self):
        return [(code, label, self.by_status.get(code, 0)) for code, label in Message.Status.choices]


def batch_report(batch, *, now=None):
    """Counts of the batch's messages by status and of its failures by
    provider error code, and when quiet hours release the rest: at most
    three queries, whatever the size of the send."""
    now = now or timezone.now()
    messages = Message.objects.filter(batch=batch)
    by_status = dict(messages.values_list("status").annotate(n=Count("pk")).order_by())
    failed = [Message.Status.FAILED, Message.Status.UNDELIVERABLE, Message.Status.DROPPED]
    failures = [
        (code, ERROR_REASONS.get(code, ""), n)
        for code, n in messages.filter(status__in=failed).values_list("error_code").annotate(n=Count("pk"))
        .order_by("-n", "error_code")
    ]
    held = messages.filter(status=Message.Status.QUEUED, not_before__gt=now).order_by("not_before").values_list(
        "not_before", flat=True
    ).first() if by_status.get(Message.Status.QUEUED) else None
    return Report(total=sum(by_status.values()), by_status=by_status, failures=failures, held_until=held)
