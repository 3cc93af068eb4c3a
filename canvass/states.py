"""Every block's path to a trained neighbor, in one word.

    not visited → visited → has sign-ups → has a trained neighbor → at target

plus "paused" (a safety pause is on: it wins over everything, the block is
off every canvass list) and "needs a refresher" (its neighbors were trained
once, but no training is current: between sign-ups and trained).

Computed in SQL for any number of blocks in the query that lists them
(Exists and Subquery per block, so the counts never multiply each other
through joins), and added up into a zone's funnel from that one query's rows.
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from canvass.models import BlockPause, DoorTally
from signups.models import Volunteer
from zones.models import DEFAULT_TARGET_PER_BLOCK, Block, refresher_resident_q, trained_resident_q


class BlockState(models.TextChoices):
    NOT_VISITED = "not_visited", _("Not visited")
    VISITED = "visited", _("Visited")
    SIGNUPS = "signups", _("Has sign-ups")
    REFRESHER = "refresher", _("Needs a refresher")
    TRAINED = "trained", _("Has a trained neighbor")
    AT_TARGET = "at_target", _("At target")
    PAUSED = "paused", _("Paused for safety")


# The path's order, as the funnel and the legend show it.
PATH = [
    BlockState.NOT_VISITED, BlockState.VISITED, BlockState.SIGNUPS, BlockState.REFRESHER,
    BlockState.TRAINED, BlockState.AT_TARGET, BlockState.PAUSED,
]

# The map's line colours (the legend's swatches are the same, in
# static/css/zone_map.css): grey to green along the path, purple for paused.
STATE_COLORS = {
    BlockState.NOT_VISITED: "#9e9e9e",
    BlockState.VISITED: "#c62828",
    BlockState.SIGNUPS: "#ef6c00",
    BlockState.REFRESHER: "#f9a825",
    BlockState.TRAINED: "#7cb342",
    BlockState.AT_TARGET: "#1b5e20",
    BlockState.PAUSED: "#6a1b9a",
}


def _count(queryset):
    """A correlated COUNT(*) of `queryset`, 0 when it has no row."""
    counted = queryset.order_by().values("block").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), Value(0))


def blocks_with_state(blocks=None, *, now=None):
    """`blocks` (a Block queryset, all blocks by default) annotated with
    `signup_count`, `trained_count`, `visited`, `paused`, `needs_refresher`
    and `state` (a BlockState value), in the query that lists them."""
    now = now or timezone.now()
    blocks = Block.objects.all() if blocks is None else blocks
    residents = Volunteer.objects.filter(block=OuterRef("pk"))
    target = Coalesce(F("zone__target_per_block"), Value(DEFAULT_TARGET_PER_BLOCK))
    return blocks.annotate(
        signup_count=_count(residents),
        trained_count=_count(residents.filter(trained_resident_q(now=now))),
        needs_refresher=Exists(residents.filter(refresher_resident_q(now=now))),
        visited=Exists(DoorTally.objects.filter(block=OuterRef("pk"))),
        paused=Exists(BlockPause.objects.active(now=now).filter(block=OuterRef("pk"))),
    ).annotate(
        state=Case(
            When(paused=True, then=Value(BlockState.PAUSED)),
            When(trained_count__gte=target, then=Value(BlockState.AT_TARGET)),
            When(trained_count__gt=0, then=Value(BlockState.TRAINED)),
            When(needs_refresher=True, then=Value(BlockState.REFRESHER)),
            When(signup_count__gt=0, then=Value(BlockState.SIGNUPS)),
            When(visited=True, then=Value(BlockState.VISITED)),
            default=Value(BlockState.NOT_VISITED),
            output_field=models.CharField(),
        )
    )


@dataclass
class Funnel:
    """A zone's blocks per state, and what the doors and the trainings
    added up to."""

    blocks: int = 0
    by_state: dict = field(default_factory=lambda: {state.value: 0 for state in PATH})
    signups: int = 0
    trained: int = 0
    doors_knocked: int = 0
    doors_answered: int = 0
    target_per_block: int = DEFAULT_TARGET_PER_BLOCK

    @property
    def blocks_with_trained(self):
        return self.by_state[BlockState.TRAINED] + self.by_state[BlockState.AT_TARGET]

    @property
    def blocks_visited(self):
        """Blocks past "not visited" (a paused block counts as not known)."""
        return self.blocks - self.by_state[BlockState.NOT_VISITED] - self.by_state[BlockState.PAUSED]

    def rows(self):
        """[(state value, label, colour, blocks)] along the path."""
        return [(state.value, state.label, STATE_COLORS[state], self.by_state[state.value]) for state in PATH]


def zone_funnels(zones, *, now=None):
    """{zone id: Funnel} for `zones` (zones or ids): two queries whatever
    the number of zones and blocks (the blocks with their state; the door
    tallies summed per zone)."""
    zones = list(zones)
    ids = [getattr(zone, "pk", zone) for zone in zones]
    funnels = {zone_id: Funnel() for zone_id in ids}
    for zone in zones:
        if hasattr(zone, "target_per_block"):
            funnels[zone.pk].target_per_block = zone.target_per_block
    rows = (
        blocks_with_state(Block.objects.filter(zone_id__in=ids), now=now)
        .order_by()
        .values_list("zone_id", "state", "signup_count", "trained_count")
    )
    for zone_id, state, signups, trained in rows:
        funnel = funnels[zone_id]
        funnel.blocks += 1
        funnel.by_state[state] += 1
        funnel.signups += signups
        funnel.trained += trained
    doors = (
        DoorTally.objects.filter(block__zone_id__in=ids)
        .order_by()
        .values("block__zone_id")
        .annotate(knocked=Sum("knocked"), answered=Sum("answered"))
    )
    for row in doors:
        funnels[row["block__zone_id"]].doors_knocked = row["knocked"] or 0
        funnels[row["block__zone_id"]].doors_answered = row["answered"] or 0
    return funnels


def zone_funnel(zone, *, now=None):
    return zone_funnels([zone], now=now)[zone.pk]


def block_states(blocks, *, now=None):
    """{block id: state} for `blocks`, one query: the map's state layer."""
    return dict(blocks_with_state(blocks, now=now).order_by().values_list("pk", "state"))

