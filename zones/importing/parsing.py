"""Reading the files of an import: a GeoJSON FeatureCollection, and from each
feature the street segment (street name, hundred, lines) or the zone (name,
polygon) it describes.

Two centerline schemas are read: the City's own (lower-case `stname`,
`l_hundred`, `r_hundred`, `l_f_add`...) and the shared South Philadelphia file
(upper-case, with a derived `HUNDRED`); field names are matched
case-insensitively. A feature that cannot be used is skipped and counted by
reason, never stopping the import.
"""

import json
from collections import Counter, defaultdict

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

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

class FeatureSkipped(Exception):
    """One feature that cannot be used; counted by `reason` (a key of
    SKIP_REASONS), never stopping the import."""

    def __init__(self, reason):
        self.reason = reason


def _properties(feature):
    if not isinstance(feature, dict) or not isinstance(feature.get("properties", {}), (dict, type(None))):
        raise FeatureSkipped("not_a_feature")
    return {str(k).lower(): v for k, v in (feature.get("properties") or {}).items()}


def _text(value):
    if value is None:
        return ""
    if not isinstance(value, (str, int)):
        raise FeatureSkipped("wrong_type")
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
        raise FeatureSkipped("wrong_type")
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise FeatureSkipped("wrong_type") from None
    if not isinstance(value, (int, float)) or value != value or value < 0 or value >= 100000:
        raise FeatureSkipped("wrong_type")
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
        raise FeatureSkipped("wrong_type")
    lon, lat = float(value[0]), float(value[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise FeatureSkipped("wrong_type")
    return (round(lon, PRECISION), round(lat, PRECISION))


def _line(coordinates):
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        raise FeatureSkipped("wrong_type")
    line = tuple(_point(c) for c in coordinates)
    if len(set(line)) < 2:
        raise FeatureSkipped("wrong_type")
    return line


def _lines(feature):
    geometry = feature.get("geometry")
    if not geometry:
        raise FeatureSkipped("no_geometry")
    if not isinstance(geometry, dict):
        raise FeatureSkipped("wrong_type")
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "LineString":
        return [_line(coordinates)]
    if kind == "MultiLineString" and isinstance(coordinates, list) and coordinates:
        return [_line(part) for part in coordinates]
    raise FeatureSkipped("wrong_type")


def street_segments(features, report, progress=None):
    """The usable centerline segments of `features`, grouped for merging:

    - segments: (street, hundred) -> [line, ...]
    - streets_at: end point -> {street: segments touching it}
    - blocks_at: end point -> {(street, hundred), ...}

    Counts segments and skipped features (by reason) into `report`.
    `progress` wraps the feature iterable (a tqdm bar, say)."""
    segments = defaultdict(list)
    streets_at = defaultdict(Counter)
    blocks_at = defaultdict(set)

    for feature in progress(features) if progress else features:
        try:
            props = _properties(feature)
            street = _street_name(props)
            if not street:
                raise FeatureSkipped("no_name")
            hundred = _hundred(props)
            lines = _lines(feature)
        except FeatureSkipped as skip:
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
    return segments, streets_at, blocks_at


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
        raise FeatureSkipped("no_geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise FeatureSkipped("wrong_type")
    try:
        polygon = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError):
        raise FeatureSkipped("wrong_type") from None
    if polygon.is_empty:
        raise FeatureSkipped("wrong_type")
    if not polygon.is_valid:
        polygon = polygon.buffer(0)
    return geometry, polygon


def zone_polygons(features, report, progress=None):
    """slug -> (name, GeoJSON geometry, shapely polygon) for each named
    polygon of `features`; skipped features are counted into `report`."""
    polygons = {}
    for feature in progress(features) if progress else features:
        try:
            props = _properties(feature)
            name = _zone_name(props)
            if not name or not slugify(name):
                raise FeatureSkipped("no_name")
            geometry, polygon = _polygon(feature)
        except FeatureSkipped as skip:
            report.skipped[skip.reason] += 1
            continue
        polygons[slugify(name)[:50]] = (name, geometry, polygon)
    return polygons
