"""The tally's boxes as the phone shows them, and where a block is (for the
phone to sort blocks nearest first; the phone's own position never leaves
it)."""

from django.utils.translation import pgettext_lazy

from canvass.models import TALLY_FIELDS

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
