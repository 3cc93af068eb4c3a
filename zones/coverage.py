"""Coverage totals per zone: how many blocks have no trained neighbor, how
many are below the zone's target and how many reach it.

Per-block counts come from Block.objects.with_coverage() (one SQL query, the
one place that knows who is trained); the totals are added up from that one
query's rows, so a zone of 10 blocks and all South Philadelphia cost the same
number of queries.
"""

from dataclasses import dataclass

from zones.models import Block, CoverageLevel


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
        """Percent of blocks with at least one trained neighbor, rounded down
        so that 99.6% never shows as the 100% nobody has reached."""
        if not self.blocks:
            return 0
        return self.blocks_with_trained * 100 // self.blocks

    @property
    def percent_at_target(self):
        if not self.blocks:
            return 0
        return self.at_target * 100 // self.blocks

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
