"""The tally's boxes as the phone shows them, and where a block is (for the
phone to sort blocks nearest first; the phone's own position never leaves
it)."""

from django.utils.translation import pgettext_lazy

from canvass.models import TALLY_FIELDS
from zones.geometry import geometry_lines

# The same words as the paper packet's boxes (zones/packets.py).
TALLY_LABELS = {
    "knocked": pgettext_lazy("canvass tally", "Doors knocked"),
    "answered": pgettext_lazy("canvass tally", "Answered"),
    "not_home": pgettext_lazy("canvass tally", "Not home"),
    "no_thanks": pgettext_lazy("canvass tally", "No thanks"),
    "flyer_left": pgettext_lazy("canvass tally", "Flyer left"),
    "come_back": pgettext_lazy("canvass tally", "Come back later"),
    "signups_on_spot": pgettext_lazy("canvass tally", "Signed up on the spot"),
}


def tally_boxes(tally):
    return [
        {"field": field, "label": TALLY_LABELS[field], "count": getattr(tally, field) if tally else 0}
        for field in TALLY_FIELDS
    ]


def block_centre(geometry):
    """(lat, lng) of the middle of a block's GeoJSON line, or None."""
    if not geometry:
        return None
    coordinates = geometry.get("coordinates") or []
    if geometry.get("type") == "LineString":
        points = coordinates
    elif geometry.get("type") == "MultiLineString":
        points = [point for line in coordinates for point in line]
    else:
        return None
    try:
        lngs = [float(point[0]) for point in points]
        lats = [float(point[1]) for point in points]
    except (TypeError, ValueError, IndexError):
        return None
    if not points:
        return None
    return round(sum(lats) / len(lats), 6), round(sum(lngs) / len(lngs), 6)


MAP_WIDTH, MAP_HEIGHT, MAP_PADDING = 320, 220, 14


def blocks_map_svg(blocks):
    """A small map of the canvasser's blocks of the day, each line numbered
    as its card is: drawn from the blocks' own geometry, with no tiles and no
    script, so it shows without signal and asks no map server where the
    canvasser is. Empty when no block has a geometry."""
    import math

    from django.utils.html import format_html, format_html_join

    drawn = [(n, block, geometry_lines(block.geometry)) for n, block in enumerate(blocks, start=1)]
    drawn = [(n, block, lines) for n, block, lines in drawn if any(len(line) > 1 for line in lines)]
    points = [point for _n, _block, lines in drawn for line in lines for point in line]
    if not points:
        return ""
    try:
        lngs = [float(p[0]) for p in points]
        lats = [float(p[1]) for p in points]
    except (TypeError, ValueError, IndexError):
        return ""
    west, east, south, north = min(lngs), max(lngs), min(lats), max(lats)
    x_scale = math.cos(math.radians((south + north) / 2))
    width_deg = max((east - west) * x_scale, 0.0005)
    height_deg = max(north - south, 0.0005)
    scale = min((MAP_WIDTH - 2 * MAP_PADDING) / width_deg, (MAP_HEIGHT - 2 * MAP_PADDING) / height_deg)
    off_x = (MAP_WIDTH - (east - west) * x_scale * scale) / 2
    off_y = (MAP_HEIGHT - (north - south) * scale) / 2

    def xy(point):
        return (round(off_x + (float(point[0]) - west) * x_scale * scale, 1),
                round(off_y + (north - float(point[1])) * scale, 1))

    paths, labels = [], []
    for n, _block, lines in drawn:
        for line in lines:
            paths.append((" ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y) in enumerate(map(xy, line))),))
        middle = [xy(p) for line in lines for p in line]
        cx = round(sum(x for x, _y in middle) / len(middle), 1)
        cy = round(sum(y for _x, y in middle) / len(middle), 1)
        labels.append((cx, cy, n))
    return format_html(
        '<svg class="canvass-map" viewBox="0 0 {w} {h}" role="img" aria-hidden="true">'
        '<rect class="canvass-map-bg" width="{w}" height="{h}"/>{paths}{labels}</svg>',
        w=MAP_WIDTH, h=MAP_HEIGHT,
        paths=format_html_join("", '<path class="canvass-map-block" d="{}"/>', paths),
        labels=format_html_join(
            "", '<circle class="canvass-map-dot" cx="{0}" cy="{1}" r="9"/>'
            '<text class="canvass-map-number" x="{0}" y="{1}" dy="4" text-anchor="middle">{2}</text>', labels
        ),
    )
