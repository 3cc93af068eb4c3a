"""Import real street data: the City's street centerline into Blocks, and
neighborhood polygons into Zones.

The City publishes its centerline as one feature per segment (a piece of
street between two intersections, sometimes shorter). A Block is a
hundred-block of one street, both sides, so segments are grouped by
(street, hundred) and their lines merged. Two schemas are read: the City's
own (lower-case `stname`, `l_hundred`, `r_hundred`, `l_f_add`...) and the
shared South Philadelphia file (upper-case, with a derived `HUNDRED`); field
names are matched case-insensitively.

Both imports compute everything first, then write in one transaction with
bulk operations (a few queries whatever the number of features), so a
failure leaves the database as it was and a second run changes nothing.
"""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from shapely.geometry import LineString, MultiLineString, shape
from shapely.ops import linemerge
from shapely.strtree import STRtree

from pagecache.pages import generation_bump
from zones.models import Block, Zone
from zones.streets import normalize_street

# Coordinates are compared at 6 decimals (about 10 cm): the City's segments
# share their end vertices exactly, and the shared files are rounded to 6.
PRECISION = 6

SKIP_REASONS = {
    "not_a_feature": _("not a GeoJSON feature"),
    "no_name": _("no street name"),
    "no_hundred": _("no hundred block or address range"),
    "no_geometry": _("no geometry"),
    "wrong_type": _("wrong geometry or value type"),
}


class ImportFileError(Exception):
    """The file is not something we can import at all (not JSON, not a
    FeatureCollection). Carries a translated message and a stable code."""

    def __init__(self, message, *, code):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class BlockImportReport:
    features: int = 0
    segments: int = 0
    skipped: Counter = field(default_factory=Counter)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False

    @property
    def blocks(self):
        return self.created + self.updated + self.unchanged


@dataclass
class ZoneImportReport:
    features: int = 0
    skipped: Counter = field(default_factory=Counter)
    zones_created: int = 0
    zones_updated: int = 0
    zones_unchanged: int = 0
    blocks_assigned: int = 0
    blocks_in_other_zones: int = 0
    dry_run: bool = False


def load_features(path):
    """Read a GeoJSON FeatureCollection from `path` and return its features.
    Raises ImportFileError for unreadable or non-GeoJSON files."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise ImportFileError(
            _("Cannot read {path}: {error}").format(path=path, error=exc.strerror or exc),
            code="unreadable",
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFileError(
            _("{path} is not a JSON file.").format(path=path), code="not_json"
        ) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
        data.get("features"), list
    ):
        raise ImportFileError(
            _("{path} is not a GeoJSON FeatureCollection.").format(path=path),
            code="not_feature_collection",
        )
    return data["features"]


# --- Reading one feature ----------------------------------------------------

class _Skip(Exception):
    def __init__(self, reason):
        self.reason = reason


def _properties(feature):
    if not isinstance(feature, dict) or not isinstance(feature.get("properties", {}), (dict, type(None))):
        raise _Skip("not_a_feature")
    return {str(k).lower(): v for k, v in (feature.get("properties") or {}).items()}


def _text(value):
    if value is None:
        return ""
    if not isinstance(value, (str, int)):
        raise _Skip("wrong_type")
    return str(value).strip()


def _street_name(props):
    name = _text(props.get("stname"))
    if not name:
        # The City also splits the name into parts; use them when the
        # assembled name is missing.
        name = " ".join(
            part
            for part in (_text(props.get(key)) for key in ("pre_dir", "st_name", "st_type", "suf_dir"))
            if part
        )
    return normalize_street(name)


def _number(value):
    """An integer from a number or numeric text; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _Skip("wrong_type")
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise _Skip("wrong_type") from None
    if not isinstance(value, (int, float)) or value != value or value < 0 or value >= 100000:
        raise _Skip("wrong_type")
    return int(value)


def _hundred(props):
    """HUNDRED when present; else the left or right hundred (0 there means
    "no addresses on this side", as on each carriageway of S Broad St); else
    the first address of the ranges, floored to its hundred."""
    hundred = _number(props.get("hundred"))
    if hundred is not None:
        return hundred // 100 * 100
    for key in ("l_hundred", "r_hundred"):
        value = _number(props.get(key))
        if value:
            return value // 100 * 100
    for key in ("l_f_add", "l_t_add", "r_f_add", "r_t_add"):
        value = _number(props.get(key))
        if value:
            return value // 100 * 100
    return None


def _point(value):
    if (
        not isinstance(value, (list, tuple))
        or len(value) < 2
        or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in value[:2])
    ):
        raise _Skip("wrong_type")
    lon, lat = float(value[0]), float(value[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise _Skip("wrong_type")
    return (round(lon, PRECISION), round(lat, PRECISION))


def _line(coordinates):
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        raise _Skip("wrong_type")
    line = tuple(_point(c) for c in coordinates)
    if len(set(line)) < 2:
        raise _Skip("wrong_type")
    return line


def _lines(feature):
    geometry = feature.get("geometry")
    if not geometry:
        raise _Skip("no_geometry")
    if not isinstance(geometry, dict):
        raise _Skip("wrong_type")
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "LineString":
        return [_line(coordinates)]
    if kind == "MultiLineString" and isinstance(coordinates, list) and coordinates:
        return [_line(part) for part in coordinates]
    raise _Skip("wrong_type")


# --- Blocks -------------------------------------------------------------------

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


def blocks_import(*, features, zone=None, dry_run=False, progress=None):
    """Create or update one Block per (street, hundred) found in `features`
    (GeoJSON features of street centerline segments).

    - Segments of the same hundred-block are merged into one geometry.
    - Cross streets come from the named streets whose segments touch the
      block's two ends; a value found replaces the stored one, none found
      keeps what an organizer may have typed.
    - With `zone`, every imported block is put in that zone.
    - Features that cannot be used are skipped and counted by reason
      (SKIP_REASONS); they never stop the import.
    - `dry_run` computes the same report and writes nothing.
    - `progress` wraps the feature iterable (a tqdm bar, say).

    All writes happen in one transaction: it all lands or none of it.
    Returns a BlockImportReport.
    """
    report = BlockImportReport(features=len(features), dry_run=dry_run)
    segments = defaultdict(list)  # (street, hundred) -> [line, ...]
    streets_at = defaultdict(Counter)  # point -> {street: segments touching}
    blocks_at = defaultdict(set)  # point -> {(street, hundred)}

    for feature in progress(features) if progress else features:
        try:
            props = _properties(feature)
            street = _street_name(props)
            if not street:
                raise _Skip("no_name")
            hundred = _hundred(props)
            lines = _lines(feature)
        except _Skip as skip:
            report.skipped[skip.reason] += 1
            continue
        if hundred is None:
            report.skipped["no_hundred"] += 1
            # A named segment without a hundred (a diagonal street, say) is
            # still a street that meets others: keep it for cross streets.
            for line in lines:
                streets_at[line[0]][street] += 1
                streets_at[line[-1]][street] += 1
            continue
        if len(street) > 80:
            report.skipped["wrong_type"] += 1
            continue
        report.segments += 1
        segments[(street, hundred)].extend(lines)
        for line in lines:
            for point in (line[0], line[-1]):
                streets_at[point][street] += 1
                blocks_at[point].add((street, hundred))

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

    existing = {
        (block.street, block.hundred): block
        for block in Block.objects.filter(street__in={street for street, _h in wanted})
    }
    to_create, to_update = [], []
    for key, values in wanted.items():
        block = existing.get(key)
        if block is None:
            to_create.append(Block(street=key[0], hundred=key[1], zone=zone, **values))
            continue
        changed = False
        for name, value in values.items():
            if name != "geometry" and not value:
                continue
            if getattr(block, name) != value:
                setattr(block, name, value)
                changed = True
        if zone is not None and block.zone_id != zone.pk:
            block.zone = zone
            changed = True
        if changed:
            to_update.append(block)
        else:
            report.unchanged += 1
    report.created = len(to_create)
    report.updated = len(to_update)

    if not dry_run:
        with transaction.atomic():
            Block.objects.bulk_create(to_create, batch_size=500)
            Block.objects.bulk_update(
                to_update, ["geometry", "from_street", "to_street", "zone"], batch_size=500
            )
            # Bulk writes send no signals: the map must still redraw.
            generation_bump("coverage")
    return report


# --- Zones ----------------------------------------------------------------------

def _zone_name(props):
    for key in ("listname", "name", "mapname"):
        value = props.get(key)
        if isinstance(value, str) and value.strip():
            value = value.strip()
            # "GRAYS_FERRY" -> "Grays Ferry": the City's NAME is a code.
            if key == "name" and value.isupper():
                value = value.replace("_", " ").title()
            return value[:200]
    return ""


def _polygon(feature):
    geometry = feature.get("geometry")
    if not geometry:
        raise _Skip("no_geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise _Skip("wrong_type")
    try:
        polygon = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError):
        raise _Skip("wrong_type") from None
    if polygon.is_empty:
        raise _Skip("wrong_type")
    if not polygon.is_valid:
        polygon = polygon.buffer(0)
    return geometry, polygon


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


def zones_import(*, features, dry_run=False, reassign=False, progress=None):
    """Create or update one Zone per named polygon (NAME, name or LISTNAME)
    in `features`, keyed by the slug of its name, and store its boundary.

    Blocks whose line lies mostly inside a zone's polygon (more than half its
    length) join that zone. A block already in another zone stays there
    (an organizer put it there) unless `reassign`. Names and status of an
    existing zone are left as organizers edited them.

    One transaction; `dry_run` writes nothing. Returns a ZoneImportReport.
    """
    report = ZoneImportReport(features=len(features), dry_run=dry_run)
    polygons = {}  # slug -> (name, geometry, shapely polygon)
    for feature in progress(features) if progress else features:
        try:
            props = _properties(feature)
            name = _zone_name(props)
            if not name or not slugify(name):
                raise _Skip("no_name")
            geometry, polygon = _polygon(feature)
        except _Skip as skip:
            report.skipped[skip.reason] += 1
            continue
        polygons[slugify(name)[:50]] = (name, geometry, polygon)

    existing = {zone.slug: zone for zone in Zone.objects.filter(slug__in=list(polygons))}
    to_create, to_update = [], []
    for slug, (name, geometry, _polygon_shape) in polygons.items():
        zone = existing.get(slug)
        if zone is None:
            to_create.append(Zone(slug=slug, name_en=name, name_es=name, boundary=geometry))
        elif zone.boundary != geometry:
            zone.boundary = geometry
            to_update.append(zone)
        else:
            report.zones_unchanged += 1
    report.zones_created = len(to_create)
    report.zones_updated = len(to_update)

    blocks = [
        (block, line)
        for block, line in (
            (block, block_shape(block.geometry))
            for block in Block.objects.only("id", "zone_id", "geometry")
        )
        if line is not None
    ]
    tree = STRtree([line for _block, line in blocks])
    moves = defaultdict(list)  # slug -> [block, ...]
    slug_of_zone_id = {zone.pk: slug for slug, zone in existing.items()}
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
    report.blocks_assigned = sum(len(moved) for moved in moves.values())

    if not dry_run:
        with transaction.atomic():
            Zone.objects.bulk_create(to_create)
            Zone.objects.bulk_update(to_update, ["boundary"])
            zone_ids = dict(Zone.objects.filter(slug__in=list(moves)).values_list("slug", "id"))
            for slug, moved in moves.items():
                Block.objects.filter(pk__in=[block.pk for block in moved]).update(
                    zone_id=zone_ids[slug]
                )
            generation_bump("coverage", "trainings")
    return report
