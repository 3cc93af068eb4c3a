"""The series behind the progress charts: sign-ups per day, doors knocked per
day, and blocks with a trained neighbor over time against the zone's blocks,
with the launch weekend (a campaign's dates) marked.

Sign-ups and doors are counted from their own rows (so the chart is right
from the first day, snapshot or not); blocks with a trained neighbor come
from the daily snapshots (canvass.snapshots), the only memory of them. Four
queries for any number of zones and days.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from canvass.models import DoorTally
from canvass.snapshots import ZoneSnapshot
from signups.models import Campaign, Volunteer

# A chart of the last four months: a season of canvassing, and a table a
# screen reader can still walk.
CHART_DAYS = 120


@dataclass
class ZoneSeries:
    days: list = field(default_factory=list)
    signups: list = field(default_factory=list)
    doors: list = field(default_factory=list)
    # None on a day without a snapshot: the line has a gap, not a zero.
    blocks_with_trained: list = field(default_factory=list)
    blocks_at_target: list = field(default_factory=list)
    blocks: int = 0
    launches: list = field(default_factory=list)

    def as_json(self):
        """What progress_charts.js draws (json_script)."""
        return {
            "days": [day.isoformat() for day in self.days],
            "signups": self.signups,
            "doors": self.doors,
            "blocks_with_trained": self.blocks_with_trained,
            "blocks_at_target": self.blocks_at_target,
            "blocks": self.blocks,
            "launches": [
                {"start": start.isoformat(), "end": end.isoformat(), "label": label}
                for start, end, label in self.launches
            ],
        }

    def rows(self):
        """The table fallback: one row per day that has something to say."""
        return [
            {"day": day, "signups": s, "doors": d, "blocks_with_trained": t}
            for day, s, d, t in zip(self.days, self.signups, self.doors, self.blocks_with_trained)
            if s or d or t is not None
        ]

    @property
    def last_blocks_with_trained(self):
        known = [value for value in self.blocks_with_trained if value is not None]
        return known[-1] if known else None


def _day_range(first, today):
    first = max(first, today - datetime.timedelta(days=CHART_DAYS - 1))
    return [first + datetime.timedelta(days=n) for n in range((today - first).days + 1)]


def zone_series(zones, *, blocks_per_zone=None, today=None):
    """{zone id: ZoneSeries} for `zones`. `blocks_per_zone` ({zone id:
    blocks}, e.g. from the funnel) is the goal line; without it the latest
    snapshot's count is used."""
    today = today or timezone.localdate()
    zones = list(zones)
    ids = [zone.pk for zone in zones]
    since = today - datetime.timedelta(days=CHART_DAYS - 1)
    signups = (
        Volunteer.objects.filter(block__zone_id__in=ids, created_at__date__gte=since)
        .annotate(day=TruncDate("created_at"))
        .order_by()
        .values_list("block__zone_id", "day")
        .annotate(n=Count("pk"))
    )
    doors = (
        DoorTally.objects.filter(block__zone_id__in=ids, day__gte=since)
        .order_by()
        .values_list("block__zone_id", "day")
        .annotate(n=Sum("knocked"))
    )
    snapshots = ZoneSnapshot.objects.filter(zone_id__in=ids, day__gte=since).order_by("day").values_list(
        "zone_id", "day", "blocks", "blocks_with_trained", "blocks_at_target"
    )
    counts = {zone_id: {"signups": {}, "doors": {}, "trained": {}, "at_target": {}, "blocks": None} for zone_id in ids}
    for zone_id, day, n in signups:
        counts[zone_id]["signups"][day] = n
    for zone_id, day, n in doors:
        counts[zone_id]["doors"][day] = n or 0
    for zone_id, day, blocks, trained, at_target in snapshots:
        counts[zone_id]["trained"][day] = trained + at_target
        counts[zone_id]["at_target"][day] = at_target
        counts[zone_id]["blocks"] = blocks
    launches = list(
        Campaign.objects.filter(Q(ends_on__gte=since) & Q(starts_on__lte=today)).order_by("starts_on")
        .values_list("starts_on", "ends_on", "name_en", "name_es")
    )
    series = {}
    for zone_id in ids:
        kept = counts[zone_id]
        known_days = [*kept["signups"], *kept["doors"], *kept["trained"]]
        first = min(known_days, default=today)
        first = min([first, *[start for start, end, *_ in launches if start >= since]])
        days = _day_range(first, today)
        series[zone_id] = ZoneSeries(
            days=days,
            signups=[kept["signups"].get(day, 0) for day in days],
            doors=[kept["doors"].get(day, 0) for day in days],
            blocks_with_trained=[kept["trained"].get(day) for day in days],
            blocks_at_target=[kept["at_target"].get(day) for day in days],
            blocks=(blocks_per_zone or {}).get(zone_id, kept["blocks"] or 0),
            launches=[
                (max(start, days[0]), min(end, days[-1]), _campaign_name(name_en, name_es))
                for start, end, name_en, name_es in launches
                if end >= days[0]
            ],
        )
    return series


def _campaign_name(name_en, name_es):
    from django.utils import translation

    return (name_es or name_en) if translation.get_language() == "es" else name_en


# --- The public page's simple chart: a line drawn on the server ------------------

SVG_WIDTH, SVG_HEIGHT, SVG_PADDING = 300, 80, 4


def svg_polyline(values, *, top):
    """The `points` of an SVG polyline of `values` (None skipped) in a
    SVG_WIDTH × SVG_HEIGHT box whose top is `top`: the public page's chart,
    with no script at all."""
    if not values or not top:
        return ""
    step = (SVG_WIDTH - 2 * SVG_PADDING) / max(len(values) - 1, 1)
    height = SVG_HEIGHT - 2 * SVG_PADDING
    points = [
        f"{SVG_PADDING + n * step:.1f},{SVG_PADDING + height - height * min(value, top) / top:.1f}"
        for n, value in enumerate(values)
        if value is not None
    ]
    return " ".join(points)
