"""Where a report is: a block picked by address (zones.services), on the
map, or an intersection ("9th & Washington") resolved to the blocks that
meet there. Only blocks of the dispatcher's zones."""

import re

from django.db.models import Q

from zones.services import address_place
from zones.streets import normalize_street

_JOINERS = re.compile(r"\s*(?:&|/|@|\+|\band\b|\by\b|\bat\b|\besquina\b|\bcon\b)\s*", re.IGNORECASE)


def _street_names(text, blocks):
    """Street names of `blocks` that `text` ("9th", "S. 9th St",
    "Washington") names: exactly, or with a direction or a suffix around it."""
    name = normalize_street(text)
    if not name:
        return set()
    pattern = rf"^([NSEW] )?{re.escape(name)}( [A-Z]+)?$"
    names = set()
    for field in ("street", "from_street", "to_street"):
        matching = Q(**{field: name}) | Q(**{f"{field}__regex": pattern})
        names |= set(blocks.filter(matching).values_list(field, flat=True).distinct())
    return names


def intersection_blocks(text, blocks):
    """The blocks of `blocks` (a queryset) that touch the corner `text`
    names, in a stable order; [] when it names no corner we know."""
    parts = [part for part in _JOINERS.split(text or "") if part and part.strip()]
    if len(parts) != 2:
        return []
    first, second = (_street_names(part, blocks) for part in parts)
    if not first or not second:
        return []
    touching = (
        Q(street__in=first) & (Q(from_street__in=second) | Q(to_street__in=second))
    ) | (Q(street__in=second) & (Q(from_street__in=first) | Q(to_street__in=first)))
    return list(blocks.filter(touching).select_related("zone").order_by("street", "hundred"))


def address_block(text, blocks):
    """The block of `blocks` an address is on, or None (unclear, not found
    or outside those blocks)."""
    place = address_place(text=text)
    if place.block is None:
        return None
    return blocks.filter(pk=place.block.pk).select_related("zone").first()


def blocks_map(blocks, *, width=340):
    """Lines of an SVG map of `blocks` (pk, name, path "d"), scaled to
    `width`, for picking a block by tapping it. No tiles, no script."""
    rows = []
    for block in blocks.only("pk", "street", "hundred", "geometry"):
        lines = _lines(block.geometry)
        if lines:
            rows.append((block, lines))
    points = [point for _, lines in rows for line in lines for point in line]
    if not points:
        return None
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    span = max(max(lons) - min(lons), max(lats) - min(lats)) or 1e-6
    scale = width / span
    height = int((max(lats) - min(lats)) * scale) + 10

    def xy(point):
        return f"{(point[0] - min(lons)) * scale + 5:.1f},{(max(lats) - point[1]) * scale + 5:.1f}"

    paths = [
        (block.pk, block.name, " ".join("M" + " L".join(xy(p) for p in line) for line in lines))
        for block, lines in rows
    ]
    return {"width": width + 10, "height": height, "paths": paths}


def _lines(geometry):
    if not isinstance(geometry, dict):
        return []
    coordinates = geometry.get("coordinates") or []
    try:
        if geometry.get("type") == "LineString":
            return [[(float(x), float(y)) for x, y, *_ in coordinates]]
        if geometry.get("type") == "MultiLineString":
            return [[(float(x), float(y)) for x, y, *_ in line] for line in coordinates]
    except (TypeError, ValueError):
        return []
    return []
