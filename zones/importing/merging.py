"""Merging what was read into what is stored: a centerline's segments into
one Block per hundred-block (its line and its two cross streets), and zone
polygons onto the Blocks whose line lies mostly inside them.

The City publishes its centerline as one feature per segment (a piece of
street between two intersections, sometimes shorter). A Block is a
hundred-block of one street, both sides, so segments are grouped by
(street, hundred) and their lines merged.
"""

from collections import Counter, defaultdict

from shapely.geometry import LineString, MultiLineString, shape
from shapely.ops import linemerge
from shapely.strtree import STRtree

from zones.models import Block


def _merged_geometry(lines):
    """The block's segments as one GeoJSON geometry: a LineString when they
    join end to end, else a MultiLineString (gaps, or two carriageways)."""
    merged = linemerge(MultiLineString([list(line) for line in lines]))
    if merged.geom_type == "LineString":
        return {"type": "LineString", "coordinates": [list(p) for p in merged.coords]}
    return {
        "type": "MultiLineString",
        "coordinates": [[list(p) for p in part.coords] for part in merged.geoms],
    }


def _ends(lines):
    """The block's two outer ends: the segment ends touched only once (a
    merged line has two; two carriageways have four), taking the two farthest
    apart."""
    counts = Counter()
    for line in lines:
        counts[line[0]] += 1
        counts[line[-1]] += 1
    ends = sorted(point for point, n in counts.items() if n == 1)
    if len(ends) < 2:
        return None
    best, best_distance = None, -1.0
    for i, a in enumerate(ends):
        for b in ends[i + 1 :]:
            distance = (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2
            if distance > best_distance:
                best, best_distance = (a, b), distance
    return best


def _lower_end_first(street, hundred, ends, blocks_at):
    """Order the two ends so the first is where the addresses start (the
    "from" cross street). The data says it when the previous or next
    hundred of the same street touches an end; otherwise Philadelphia's grid
    does: numbers grow away from Market St and away from the Delaware."""
    a, b = ends
    if (street, hundred - 100) in blocks_at[a] or (street, hundred + 100) in blocks_at[b]:
        return a, b
    if (street, hundred - 100) in blocks_at[b] or (street, hundred + 100) in blocks_at[a]:
        return b, a
    north_south = abs(a[1] - b[1]) >= abs(a[0] - b[0])
    if north_south:
        north, south = (a, b) if a[1] >= b[1] else (b, a)
        return (south, north) if street.startswith("N ") else (north, south)
    east, west = (a, b) if a[0] >= b[0] else (b, a)
    return (west, east) if street.startswith("E ") else (east, west)


def _cross_street(point, street, streets_at):
    others = streets_at[point].copy()
    others.pop(street, None)
    if not others:
        return ""
    # The street met by the most segments at this corner; ties alphabetical
    # so that every run picks the same one.
    return sorted(others.items(), key=lambda item: (-item[1], item[0]))[0][0][:80]


def block_values(segments, streets_at, blocks_at):
    """(street, hundred) -> the Block's geometry, from_street and to_street,
    from parsing.street_segments."""
    wanted = {}
    for (street, hundred), lines in segments.items():
        from_street = to_street = ""
        ends = _ends(lines)
        if ends:
            first, last = _lower_end_first(street, hundred, ends, blocks_at)
            from_street = _cross_street(first, street, streets_at)
            to_street = _cross_street(last, street, streets_at)
        wanted[(street, hundred)] = {
            "geometry": _merged_geometry(lines),
            "from_street": from_street,
            "to_street": to_street,
        }
    return wanted


# --- Zones ----------------------------------------------------------------------

def block_shape(geometry):
    """A Block's stored GeoJSON as a shapely line, or None."""
    if not geometry:
        return None
    try:
        line = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError):
        return None
    if not isinstance(line, (LineString, MultiLineString)) or line.is_empty or not line.length:
        return None
    return line


def block_moves(polygons, existing_zones, *, reassign, report):
    """slug -> [Block, ...]: the blocks that join each zone's polygon (more
    than half their line inside it). A block already in another zone stays
    there unless `reassign`; those are counted into `report`."""
    blocks = [
        (block, line)
        for block, line in (
            (block, block_shape(block.geometry))
            for block in Block.objects.only("id", "zone_id", "geometry")
        )
        if line is not None
    ]
    tree = STRtree([line for _block, line in blocks])
    moves = defaultdict(list)
    slug_of_zone_id = {zone.pk: slug for slug, zone in existing_zones.items()}
    for slug, (_name, _geometry, polygon) in polygons.items():
        for index in tree.query(polygon):
            block, line = blocks[index]
            if polygon.intersection(line).length / line.length <= 0.5:
                continue
            if block.zone_id is not None and slug_of_zone_id.get(block.zone_id) == slug:
                continue
            if block.zone_id is not None and not reassign:
                report.blocks_in_other_zones += 1
                continue
            moves[slug].append(block)
    return moves
