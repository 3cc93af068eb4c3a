"""Drawing a zone from blocks: "S 9th St from 700 to 1500" into a zone."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from pagecache.pages import generation_bump
from zones.address import resolve_address
from zones.models import Block
from zones.streets import normalize_street


class ZoneAssignError(Exception):
    def __init__(self, message, *, code):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class AssignResult:
    street: str
    assigned: int
    already_in_zone: int
    in_other_zones: int


def street_from_text(text):
    """The street as the City writes it. The address resolver knows the
    City's spellings and nicknames ("S. Ninth Street" -> "S 9TH ST"); when it
    cannot place the street, plain normalization is the best guess."""
    resolved = resolve_address(f"100 {text}")
    if resolved is not None:
        return resolved.street
    return normalize_street(text)


def zone_assign_blocks(*, zone, street, from_hundred, to_hundred, reassign=False):
    """Put into `zone` the blocks of `street` whose hundred lies between
    `from_hundred` and `to_hundred` (inclusive, either order).

    Blocks in another zone stay there unless `reassign`. Refuses with code
    "unknown_street" when no block of that street exists, and "bad_range"
    for negative hundreds. Returns an AssignResult.
    """
    if from_hundred is None or to_hundred is None or min(from_hundred, to_hundred) < 0:
        raise ZoneAssignError(_("Give two hundreds, such as 700 and 1500."), code="bad_range")
    low, high = sorted((from_hundred // 100 * 100, to_hundred // 100 * 100))
    normalized = street_from_text(street)
    if not normalized or not Block.objects.filter(street=normalized).exists():
        raise ZoneAssignError(
            _("No imported block is on {street}. Check the spelling, e.g. “S 9th St”.").format(
                street=street
            ),
            code="unknown_street",
        )
    with transaction.atomic():
        blocks = Block.objects.filter(street=normalized, hundred__gte=low, hundred__lte=high)
        already = blocks.filter(zone=zone).count()
        others = blocks.exclude(zone=zone).exclude(zone__isnull=True)
        in_other_zones = 0 if reassign else others.count()
        movable = blocks.exclude(zone=zone) if reassign else blocks.filter(zone__isnull=True)
        assigned = movable.update(zone=zone)
        generation_bump("coverage")  # an UPDATE sends no signal
    return AssignResult(
        street=normalized, assigned=assigned, already_in_zone=already, in_other_zones=in_other_zones
    )
