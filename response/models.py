"""Rapid-response incidents: a report on a block, verified by responders
before any alert, approved by a second staff member, closed only with an
all-clear or a correction to the very people alerted.

No field names a reporter or an affected person. What is kept for good:
block, kind, times and counts. The free text and who was asked or alerted
go RAPID_DETAIL_DAYS after closing (response.retention).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IncidentKind(models.TextChoices):
    IMMIGRATION = "immigration", _("Immigration enforcement")
    POLICE_STOP = "police_stop", _("Police stop")
    HATE = "hate", _("Hate incident")
    OTHER = "other", pgettext_lazy("incident kind", "Other")


class DispatcherZone(models.Model):
    """A dispatcher (staff user in the Dispatcher group) runs the incidents
    of these zones only. Given by a superuser."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dispatcher"), on_delete=models.CASCADE,
                             related_name="dispatch_zones")
    zone = models.ForeignKey("zones.Zone", verbose_name=_("zone"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("dispatcher's zone")
        verbose_name_plural = _("dispatchers' zones")
        constraints = [models.UniqueConstraint(fields=["user", "zone"], name="dispatcher_zone_once")]

    def __str__(self):
        return f"{self.user} · {self.zone}"


class BlockCentroid(models.Model):
    """Where a block is, as one point, for distance queries: kept from the
    block's GeoJSON by response.geography (zones owns Block; a bulk import
    sends no signal, so the fingerprint of the geometry tells stale rows)."""

    block = models.OneToOneField("zones.Block", on_delete=models.CASCADE, primary_key=True,
                                 related_name="response_centroid")
    lat = models.FloatField()
    lon = models.FloatField()
    geometry_md5 = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["lat", "lon"])]


class AlertTemplate(models.Model):
    """Words organizers prepare ahead, in both languages, that a dispatcher
    starts an alert or an all-clear from and edits for the incident."""

    class Purpose(models.TextChoices):
        ALERT = "alert", _("Alert")
        ALL_CLEAR = "all_clear", _("All-clear")
        CORRECTION = "correction", _("Correction")

    name = models.CharField(_("name"), max_length=100)
    purpose = models.CharField(_("for"), max_length=12, choices=Purpose, default=Purpose.ALERT)
    text_en = models.TextField(_("text (English)"))
    text_es = models.TextField(_("text (Spanish)"))

    class Meta:
        verbose_name = _("alert template")
        verbose_name_plural = _("alert templates")
        ordering = ["purpose", "name"]

    def __str__(self):
        return self.name


class Incident(models.Model):
    class Closing(models.TextChoices):
        ALL_CLEAR = "all_clear", _("All-clear")
        CORRECTION = "correction", _("Correction")

    zone = models.ForeignKey("zones.Zone", verbose_name=_("zone"), null=True, on_delete=models.PROTECT,
                             related_name="+")
    block = models.ForeignKey("zones.Block", verbose_name=_("block"), on_delete=models.PROTECT, related_name="+")
    # An intersection is its blocks; the first is `block`.
    blocks = models.ManyToManyField("zones.Block", verbose_name=_("blocks"), related_name="+")
    kind = models.CharField(_("kind"), max_length=15, choices=IncidentKind)
    seen_at = models.DateTimeField(_("seen at"))
    # Erased RAPID_DETAIL_DAYS after closing.
    text = models.CharField(_("what was seen"), max_length=500, blank=True)
    spot = models.CharField(_("exact spot"), max_length=200, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    # The report form's own id: a double submit finds the first incident.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    asked_count = models.PositiveIntegerField(_("responders asked"), default=0)
    confirmed_at = models.DateTimeField(_("confirmed by a verifier at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    alert_batch = models.OneToOneField("messaging.Batch", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    alerted_count = models.PositiveIntegerField(_("alerted"), default=0)
    closing = models.CharField(_("closed with"), max_length=12, choices=Closing, blank=True)
    closing_batch = models.OneToOneField("messaging.Batch", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+")
    closing_count = models.PositiveIntegerField(_("all-clear recipients"), default=0)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    paged_at = models.DateTimeField(_("dispatchers paged at"), null=True, blank=True)
    detail_erased_at = models.DateTimeField(_("details erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["closed_at"])]

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()}"

    @property
    def is_open(self):
        return self.closed_at is None

    @property
    def is_verified(self):
        return self.confirmed_at is not None


class Verification(models.Model):
    """One responder asked to go and look; the chosen ones report back
    through a one-time link (only its hash is kept)."""

    class Answer(models.TextChoices):
        NONE = "", _("No answer yet")
        CAN_GO = "yes", _("Can go")
        CANNOT = "no", _("Cannot go")

    class Report(models.TextChoices):
        NONE = "", _("No report yet")
        CONFIRMED = "confirmed", _("Confirmed")
        NOT_SEEN = "not_seen", _("Not seen")
        UNCLEAR = "unclear", _("Unclear")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="verifications")
    volunteer = models.ForeignKey("signups.Volunteer", on_delete=models.CASCADE, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.CharField(max_length=3, choices=Answer, blank=True, default="")
    answered_at = models.DateTimeField(null=True, blank=True)
    chosen = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    report = models.CharField(max_length=10, choices=Report, blank=True, default="")
    report_seen_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "volunteer"], name="verification_once")]


class AlertRecipient(models.Model):
    """Who the alert was queued for: the all-clear goes to exactly them."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="recipients")
    volunteer = models.ForeignKey("signups.Volunteer", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "volunteer"], name="alert_recipient_once")]
