"""Geography: zones and the hundred-blocks they are made of."""

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, F, Q, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zones.streets import display_street


# Trained neighbors a block needs, unless its zone says otherwise.
DEFAULT_TARGET_PER_BLOCK = 2


class in_active_language:
    """Organizer-written text kept in two fields (`name_en`, `name_es`), read
    as one: `name = in_active_language("name")` gives the Spanish field on a
    Spanish page, and English when the Spanish one is empty."""

    def __init__(self, field):
        self.field = field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        if translation.get_language() == "es":
            value = getattr(instance, f"{self.field}_es")
            if value:
                return value
        return getattr(instance, f"{self.field}_en")


class Zone(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("zone status", "Planned")
        PILOT = "pilot", pgettext_lazy("zone status", "Pilot")
        ACTIVE = "active", pgettext_lazy("zone status", "Active")

    slug = models.SlugField(_("short name (in URLs)"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PLANNED
    )
    target_per_block = models.PositiveSmallIntegerField(
        _("target of trained neighbors per block"), default=DEFAULT_TARGET_PER_BLOCK
    )
    # GeoJSON geometry (Polygon or MultiPolygon, lon/lat), kept in a JSONField so
    # the embedded SQLite default works too; no GIS server needed.
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    # Who organizes this zone: in the admin, an organizer sees and exports
    # only the volunteers, blocks and sessions of their zones
    # (zones.admin_scoping).
    organizers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organizers"),
        related_name="organized_zones",
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["name_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_per_block__gte=1), name="zone_target_at_least_one"
            )
        ]

    def __str__(self):
        return self.name

    name = in_active_language("name")

    description = in_active_language("description")


class CoverageLevel(models.TextChoices):
    NONE = "none", _("No trained neighbor")
    BELOW = "below", _("Below target")
    AT_TARGET = "at_target", _("At target")


def trained_resident_q(prefix="", *, now=None):
    """Who counts as a trained neighbor today, as a filter on Volunteer fields
    (prefix "residents__" when asked from a Block).

    This is the one place coverage learns who is trained. Volunteer.trained_at
    and trained_until are kept by the signups/trainings services (attendance
    decides); a training past its topic's months of validity needs a refresher
    and stops counting.
    """
    now = now or timezone.now()
    return Q(**{f"{prefix}trained_at__isnull": False}) & (
        Q(**{f"{prefix}trained_until__isnull": True})
        | Q(**{f"{prefix}trained_until__gt": now})
    )


def refresher_resident_q(prefix="", *, now=None):
    """Trained once, but the training is no longer current."""
    now = now or timezone.now()
    return Q(**{f"{prefix}trained_at__isnull": False}) & Q(
        **{f"{prefix}trained_until__lte": now}
    )


class BlockQuerySet(models.QuerySet):
    def with_coverage(self, *, now=None):
        """Annotate resident, trained and needs-refresher counts and the
        coverage level, all in the one query that lists the blocks."""
        residents = F("residents")
        return self.annotate(
            resident_count=Count(residents, distinct=True),
            trained_count=Count(
                residents,
                filter=trained_resident_q("residents__", now=now),
                distinct=True,
            ),
            refresher_count=Count(
                residents,
                filter=refresher_resident_q("residents__", now=now),
                distinct=True,
            ),
        ).annotate(
            coverage_level=Case(
                When(trained_count=0, then=Value(CoverageLevel.NONE)),
                When(
                    trained_count__lt=F("zone__target_per_block"),
                    then=Value(CoverageLevel.BELOW),
                ),
                # A block outside any zone has the default target.
                When(
                    zone__isnull=True, trained_count__lt=DEFAULT_TARGET_PER_BLOCK,
                    then=Value(CoverageLevel.BELOW),
                ),
                default=Value(CoverageLevel.AT_TARGET),
                output_field=models.CharField(),
            )
        )


class Block(models.Model):
    """A hundred-block of one street, both sides: "the 1100 block of S 9th St"."""

    # Normalized as the City writes it: "S 9TH ST", "WASHINGTON AVE".
    street = models.CharField(_("street"), max_length=80)
    hundred = models.PositiveIntegerField(_("hundred"))
    from_street = models.CharField(_("from cross street"), max_length=80, blank=True)
    to_street = models.CharField(_("to cross street"), max_length=80, blank=True)
    zone = models.ForeignKey(
        Zone,
        verbose_name=_("zone"),
        related_name="blocks",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    # GeoJSON geometry (LineString or MultiLineString, lon/lat).
    geometry = models.JSONField(_("geometry (GeoJSON)"), null=True, blank=True)

    objects = BlockQuerySet.as_manager()

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["street", "hundred"]
        constraints = [
            models.UniqueConstraint(fields=["street", "hundred"], name="block_unique_street_hundred"),
            models.CheckConstraint(
                condition=Q(hundred__lt=100000), name="block_hundred_in_range"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def street_display(self):
        return display_street(self.street)

    @property
    def name(self):
        return _("%(hundred)s block of %(street)s") % {
            "hundred": self.hundred,
            "street": self.street_display,
        }

    @property
    def cross_streets(self):
        if self.from_street and self.to_street:
            return _("between %(a)s and %(b)s") % {
                "a": display_street(self.from_street),
                "b": display_street(self.to_street),
            }
        return ""
