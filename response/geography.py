"""Distances between blocks, for "the nearest responders" and "the
neighbors within N blocks".

Each block is one point (BlockCentroid: the centroid of its GeoJSON line,
computed with shapely), and distance is straight-line on a local flat
projection: over a few blocks of Philadelphia's grid, walking distance is
this within a block's length. Both queries are one SQL statement whatever
the number of blocks or people; the centroid cache is checked by one more
(centroids_refresh), which writes only blocks that are new or changed.
"""

import math

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import MD5, Cast

from response.models import BlockCentroid
from signups.models import MessageKind, Volunteer, WayToHelp
from zones.models import Block

# A Philadelphia hundred-block, corner to corner (about 400 feet).
BLOCK_METERS = 125.0
METERS_PER_DEGREE_LAT = 111_320.0

RESPONDER_WAYS = (WayToHelp.RAPID_RESPONSE, WayToHelp.LEGAL_OBSERVER)


def _centroid(geometry):
    # shapely (with numpy) is imported here, in the few requests that place
    # new blocks, not in every web worker (tests/test_worker_footprint.py).
    from shapely.geometry import shape

    try:
        point = shape(geometry).centroid
    except (AttributeError, KeyError, TypeError, ValueError, IndexError):
        return None
    if point.is_empty:
        return None
    return point.y, point.x


def centroids_refresh():
    """Compute the centroid of every block that has none yet or whose
    geometry changed since. Returns how many were written."""
    stale = list(
        Block.objects.filter(geometry__isnull=False)
        .annotate(md5=MD5(Cast("geometry", TextField())))
        .filter(Q(response_centroid__isnull=True) | ~Q(response_centroid__geometry_md5=F("md5")))
        .values_list("pk", "geometry", "md5")
    )
    rows = []
    for pk, geometry, md5 in stale:
        point = _centroid(geometry)
        if point is not None:
            rows.append(BlockCentroid(block_id=pk, lat=point[0], lon=point[1], geometry_md5=md5))
    if rows:
        with transaction.atomic():
            BlockCentroid.objects.bulk_create(
                rows, batch_size=1000, update_conflicts=True, unique_fields=["block"],
                update_fields=["lat", "lon", "geometry_md5"],
            )
    return len(rows)


def _squared_meters(lat, lon, prefix):
    """SQL for the squared distance in meters from (lat, lon) to the
    centroid reached through `prefix` ("block__response_centroid__")."""
    scale_lon = math.cos(math.radians(lat))
    dy = (F(f"{prefix}lat") - Value(lat)) * Value(METERS_PER_DEGREE_LAT)
    dx = (F(f"{prefix}lon") - Value(lon)) * Value(METERS_PER_DEGREE_LAT * scale_lon)
    return (dx * dx + dy * dy)


def _box(lat, lon, meters, prefix):
    """A bounding box around (lat, lon): lets the index on (lat, lon) cut
    the candidates before the exact distance."""
    dlat = meters / METERS_PER_DEGREE_LAT
    dlon = meters / (METERS_PER_DEGREE_LAT * math.cos(math.radians(lat)))
    return Q(**{f"{prefix}lat__gte": lat - dlat, f"{prefix}lat__lte": lat + dlat,
                f"{prefix}lon__gte": lon - dlon, f"{prefix}lon__lte": lon + dlon})


def block_point(block):
    """(lat, lon) of `block`, or None when it has no usable geometry."""
    row = BlockCentroid.objects.filter(block=block).values_list("lat", "lon").first()
    return row if row is not None else _centroid(block.geometry)


def urgent_consenting():
    """Trained people who agreed to urgent alerts."""
    return Volunteer.objects.trained().accepting(MessageKind.URGENT)


def responders():
    """Trained people who chose rapid response or legal observing, and
    agreed to urgent alerts."""
    ways = Q()
    for way in RESPONDER_WAYS:
        ways |= Q(ways_to_help__icontains=f'"{way}"')
    # A phone: they are asked by text and answer by text.
    return urgent_consenting().exclude(phone="").filter(ways)


# Rings searched for the nearest responders, in blocks: most incidents
# find enough in the first, and nobody beyond the last could get there in
# time. At most len(SEARCH_RINGS) queries, whatever the number of blocks.
SEARCH_RINGS = (6, 15, 40)


def _blocks_near(lat, lon, meters):
    """The ids of the blocks whose centroid lies within `meters` of (lat, lon),
    as a subquery (the centroid index does the work)."""
    prefix = ""
    return (
        BlockCentroid.objects.filter(_box(lat, lon, meters, prefix))
        .alias(distance2=_squared_meters(lat, lon, prefix)).filter(distance2__lte=meters * meters)
        .values("block_id")
    )


def responders_nearest(point, *, count, exclude_ids=()):
    """Up to `count` responders nearest to `point` (lat, lon), nearest first,
    within SEARCH_RINGS[-1] blocks: the people are looked for on the blocks
    of the nearest ring that holds enough of them."""
    lat, lon = point
    found = []
    for ring in SEARCH_RINGS:
        meters = ring * BLOCK_METERS
        found = list(
            responders().filter(block_id__in=_blocks_near(lat, lon, meters)).exclude(pk__in=list(exclude_ids))
            .annotate(distance2=_squared_meters(lat, lon, "block__response_centroid__"))
            .filter(distance2__lte=meters * meters)
            .order_by("distance2", "pk")[:count]
        )
        if len(found) >= count:
            break
    return found


def neighbors_within(point, *, blocks=None):
    """The queryset of trained people who agreed to urgent alerts and live
    within `blocks` (RAPID_ALERT_RADIUS_BLOCKS) blocks of `point`."""
    lat, lon = point
    blocks = settings.RAPID_ALERT_RADIUS_BLOCKS if blocks is None else blocks
    meters = blocks * BLOCK_METERS
    return urgent_consenting().filter(block_id__in=_blocks_near(lat, lon, meters))


__all__ = ["block_point", "centroids_refresh", "neighbors_within", "responders", "responders_nearest"]
