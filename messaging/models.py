"""Every message the app sends is a row: who it is for, by which channel,
of which kind, in which language, and what the provider said of it.

The row is written in the same transaction as whatever caused it (a
registration, a reminder run, an organizer's send) and the worker delivers
it after the commit, so a rolled-back sign-up sends nothing. Its
`idempotency_key` is unique: a second attempt to queue the same message
(a retried reminder run, a double-clicked send) finds the first row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from signups.models import Language, MessageKind


class Channel(models.TextChoices):
    SMS = "sms", _("Text message")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")


class Kind(models.TextChoices):
    """MessageKind (what people consent to), plus the messages a person
    asked for themselves, which need no consent of a kind: a link they
    requested, the confirmation of their own registration or change."""

    REMINDER = MessageKind.REMINDER.value, MessageKind.REMINDER.label
    NEWS = MessageKind.NEWS.value, MessageKind.NEWS.label
    URGENT = MessageKind.URGENT.value, MessageKind.URGENT.label
    TRANSACTIONAL = "transactional", _("Asked for by the person")


class MessageQuerySet(models.QuerySet):
    def deliverable(self, *, now=None):
        """Queued messages whose time has come and not yet passed."""
        now = now or timezone.now()
        return self.filter(status=Message.Status.QUEUED).filter(
            Q(not_before__isnull=True) | Q(not_before__lte=now),
        ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class Message(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("message status", "Queued")
        # Claimed by a worker, handed or being handed to the provider.
        SENDING = "sending", pgettext_lazy("message status", "Sending")
        SENT = "sent", pgettext_lazy("message status", "Sent")
        DELIVERED = "delivered", pgettext_lazy("message status", "Delivered")
        FAILED = "failed", pgettext_lazy("message status", "Failed")
        UNDELIVERABLE = "undeliverable", pgettext_lazy("message status", "Undeliverable")
        # Never handed over: opted out, no consent, or expired in our queue.
        DROPPED = "dropped", pgettext_lazy("message status", "Not sent")

    # Kept when the person is forgotten (for the delivery counts), without
    # them: the row loses its link and its body.
    volunteer = models.ForeignKey(
        "signups.Volunteer", verbose_name=_("volunteer"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="messages",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind)
    language = models.CharField(_("language"), max_length=4, choices=Language)
    # The phone or email is read from the volunteer when sending, never
    # copied here: a message list holds no numbers.
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    status = models.CharField(_("status"), max_length=15, choices=Status, default=Status.QUEUED)
    error_code = models.CharField(_("provider error code"), max_length=20, blank=True)
    provider_id = models.CharField(_("provider id"), max_length=64, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    # A segment send or an incident alert the message belongs to.
    batch = models.ForeignKey(
        "messaging.Batch", verbose_name=_("send"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="messages",
    )
    # "registration:12": a reply from this number goes to the handler
    # registered for "registration" (messaging.inbound), with "12".
    reply_topic = models.CharField(_("awaits a reply about"), max_length=100, blank=True)
    # The one answer to a STOP (or START): sent even though the number just
    # opted out, and without the footer (it says it all itself).
    confirms_opt_change = models.BooleanField(_("answers a STOP or START"), default=False)
    # A staff notification goes to a user, not a volunteer.
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff user"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+",
    )
    # Held until then (quiet hours); dropped when not handed over by then.
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    # When a task was last asked to deliver it, and when a worker took it:
    # a message queued or sending for too long after these was left by a
    # killed worker, and is recovered (messaging.recovery).
    handed_at = models.DateTimeField(_("handed to the worker at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("taken by a worker at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    body_erased_at = models.DateTimeField(_("text erased at"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "not_before"]),
            models.Index(fields=["provider_id"]),
            models.Index(fields=["created_at"]),
            models.Index(fields=["status", "claimed_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.get_channel_display()} · {self.get_status_display()}"


class Batch(models.Model):
    """One organizer's message to a segment (or one alert of an incident):
    the texts in both languages and who sent it; its messages carry the
    delivery."""

    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text_en = models.TextField(_("text (English)"))
    text_es = models.TextField(_("text (Spanish)"))
    kind = models.CharField(_("kind"), max_length=15, choices=Kind, default=Kind.NEWS)
    # The segment as the organizer chose it, for the record.
    segment = models.JSONField(_("segment"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("message to many")
        verbose_name_plural = _("messages to many")
        ordering = ["-created_at"]

    def __str__(self):
        return self.text_en[:60]


class OptOut(models.Model):
    """A phone number or email that said STOP (or that the provider says
    opted out): never sent to again, on any channel, whoever it belongs to
    later, even after the person is forgotten and imported again. Only a
    keyed hash of it is kept (signups.contact_hash)."""

    class Source(models.TextChoices):
        REPLY = "reply", _("Replied STOP")
        PROVIDER = "provider", _("The provider says the number opted out")
        SELF_SERVICE = "self_service", _("Chose it on their own page")
        UNSUBSCRIBE = "unsubscribe", _("Unsubscribe link of an email")

    contact_hash = models.CharField(_("contact (keyed hash)"), max_length=64, unique=True)
    source = models.CharField(_("how"), max_length=15, choices=Source)
    created_at = models.DateTimeField(_("opted out at"), default=timezone.now)

    class Meta:
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-outs")

    def __str__(self):
        return f"{self.get_source_display()} · {self.created_at:%Y-%m-%d}"


# The self-service link (SelfServiceLink) lives with its service; imported
# here so Django sees the model.
from messaging.self_service import SelfServiceLink  # noqa: E402, F401
# An organizer's segment send (SegmentSend) likewise lives with its service.
from messaging.segment_send import SegmentSend  # noqa: E402, F401
