"""Coverage totals per zone: how many blocks have no trained neighbor, how
many are below the zone's target and how many reach it.

Per-block counts come from Block.objects.with_coverage() (one SQL query, the
one place that knows who is trained); the totals are added up from that one
query's rows, so a zone of 10 blocks and all South Philadelphia cost the same
number of queries.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from zones.models import Block, CoverageLevel


def rounded_percent(part, whole):
    """`part` of `whole` as a percent, a Decimal rounded half up: to one
    decimal below 10% (a zone starts there, and 2.8% shown as 2% hid a
    third of the progress), to a whole number above. Never 0 while some
    part exists, nor 100 before all of it: a campaign reads those two as
    "nothing yet" and "done"."""
    if not whole or not part:
        return Decimal(0)
    exact = Decimal(part) * 100 / Decimal(whole)
    step = Decimal("0.1") if exact < Decimal("9.95") else Decimal(1)
    rounded = exact.quantize(step, rounding=ROUND_HALF_UP)
    if part < whole and rounded >= 100:
        return Decimal(99)
    return max(rounded, Decimal("0.1"))


@dataclass
class CoverageSummary:
    blocks: int = 0
    none: int = 0
    below: int = 0
    at_target: int = 0
    residents: int = 0
    trained: int = 0
    needing_refresher: int = 0

    @property
    def blocks_with_trained(self):
        return self.below + self.at_target

    @property
    def percent_with_trained(self):
        """Percent of blocks with at least one trained neighbor (see
        rounded_percent)."""
        return rounded_percent(self.blocks_with_trained, self.blocks)

    @property
    def percent_at_target(self):
        return rounded_percent(self.at_target, self.blocks)

    def add(self, *, level, residents, trained, refresher):
        self.blocks += 1
        if level == CoverageLevel.NONE:
            self.none += 1
        elif level == CoverageLevel.BELOW:
            self.below += 1
        else:
            self.at_target += 1
        self.residents += residents
        self.trained += trained
        self.needing_refresher += refresher


def zone_coverage_summaries(*, zones, now=None):
    """{zone id: CoverageSummary} for `zones` (a queryset or a list of zones
    or ids), in one query. Zones without blocks get an empty summary."""
    ids = [getattr(zone, "pk", zone) for zone in zones]
    summaries = {zone_id: CoverageSummary() for zone_id in ids}
    rows = (
        Block.objects.filter(zone_id__in=ids)
        .with_coverage(now=now)
        .order_by()
        .values_list("zone_id", "coverage_level", "resident_count", "trained_count", "refresher_count")
    )
    for zone_id, level, residents, trained, refresher in rows:
        summaries[zone_id].add(level=level, residents=residents, trained=trained, refresher=refresher)
    return summaries


def zone_coverage_summary(*, zone, now=None):
    return zone_coverage_summaries(zones=[zone], now=now)[zone.pk]
