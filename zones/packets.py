"""Printable canvass packets: one page per block, English and Spanish side
by side, with a small map drawn from the block's own geometry (no tiles, no
JavaScript: it prints the same on any printer), a QR code to the sign-up
form with the block preselected, and a tally of counts (never one row per
door). Each block fits one Letter page (static/css/packet.css)."""

import math

from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from zones.geometry import geometry_lines
from zones.models import Block
from zones.streets import display_street

PACKET_LANGUAGES = ("en", "es")

# The boxes of the paper tally: the same counts, in the same order, as the
# canvasser's phone (canvass.models.TALLY_FIELDS; a test holds them equal),
# so an organizer types a sheet into the admin's door tally box by box.
# Written out, so that makemessages finds each label.
PACKET_TALLY_BOXES = (
    ("knocked", lambda: pgettext("canvass tally", "Doors knocked")),
    ("answered", lambda: pgettext("canvass tally", "Answered")),
    ("not_home", lambda: pgettext("canvass tally", "Not home")),
    ("no_thanks", lambda: pgettext("canvass tally", "No thanks")),
    ("flyer_left", lambda: pgettext("canvass tally", "Flyer left")),
    ("come_back", lambda: pgettext("canvass tally", "Come back later")),
    ("signups_on_spot", lambda: pgettext("canvass tally", "Signed up on the spot")),
)
MAP_WIDTH, MAP_HEIGHT, MAP_PADDING = 320, 200, 8


def block_map_svg(block, context_blocks=()):
    """A small SVG map of `block`: its line in bold, the blocks around it in
    grey, its cross streets written at its ends. Empty when the block has no
    geometry."""
    # Imported here: shapely (and numpy under it) and segno are ~30 MB that
    # every web worker would otherwise carry for a page organizers print.
    from zones.importing import block_shape

    line = block_shape(block.geometry)
    if line is None:
        return ""
    west, south, east, north = line.bounds
    # Show about a block's length around it, so the corners are readable.
    margin = max(east - west, north - south, 0.0005) * 0.6
    west, south, east, north = west - margin, south - margin, east + margin, north + margin
    # Longitude degrees are shorter than latitude ones at this latitude.
    x_scale = math.cos(math.radians((south + north) / 2))
    width_deg, height_deg = (east - west) * x_scale, north - south
    scale = min(
        (MAP_WIDTH - 2 * MAP_PADDING) / width_deg, (MAP_HEIGHT - 2 * MAP_PADDING) / height_deg
    )
    off_x = (MAP_WIDTH - width_deg * scale) / 2
    off_y = (MAP_HEIGHT - height_deg * scale) / 2

    def xy(point):
        return (
            round(off_x + (point[0] - west) * x_scale * scale, 1),
            round(off_y + (north - point[1]) * scale, 1),
        )

    def path(coordinates):
        return " ".join(
            f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y) in enumerate(xy(p) for p in coordinates)
        )

    def inside(other):
        o_west, o_south, o_east, o_north = other.bounds
        return not (o_east < west or o_west > east or o_north < south or o_south > north)

    context_paths = []
    for other in context_blocks:
        if other.pk == block.pk:
            continue
        other_line = block_shape(other.geometry)
        if other_line is not None and inside(other_line):
            context_paths.extend(path(part) for part in geometry_lines(other.geometry))
    block_paths = [path(part) for part in geometry_lines(block.geometry)]

    # Cross street names go just beyond each end, along the block's own
    # direction, so that they never sit on the block or on each other.
    labels = []
    coords = [p for part in geometry_lines(block.geometry) for p in part]
    if len(coords) > 1:
        (x1, y1), (x2, y2) = xy(coords[0]), xy(coords[-1])
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        for (x, y), sign, street in (((x1, y1), -1, block.from_street), ((x2, y2), 1, block.to_street)):
            if not street:
                continue
            lx, ly = x + sign * ux * 10, y + sign * uy * 10 + 4
            if abs(ux) < 0.5:  # a north-south block: names above and below
                anchor = "middle"
                ly += sign * uy * 6
            else:
                anchor = "end" if sign * ux < 0 else "start"
            labels.append((round(lx, 1), round(min(max(ly, 12), MAP_HEIGHT - 4), 1), anchor,
                           display_street(street)))

    return format_html(
        '<svg class="block-map" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-label="{label}"><rect class="block-map-bg" width="{w}" height="{h}"/>{context}{lines}{labels}</svg>',
        w=MAP_WIDTH, h=MAP_HEIGHT, label=block.name,
        context=format_html_join("", '<path class="block-map-context" d="{}"/>', ((d,) for d in context_paths)),
        lines=format_html_join("", '<path class="block-map-block" d="{}"/>', ((d,) for d in block_paths)),
        labels=format_html_join(
            "", '<text class="block-map-label" x="{}" y="{}" text-anchor="{}">{}</text>', labels
        ),
    )


def join_url(request, block):
    """The absolute sign-up link printed on a block's page: /j/<block>, which
    picks the reader's language when scanned (zones.views.join_block), not
    the language of the organizer who printed the packet."""
    return request.build_absolute_uri(reverse("join-block", args=[block.pk]))


def qr_svg(url):
    import segno  # see block_map_svg

    return mark_safe(  # segno writes only its own SVG markup; the URL is ours
        segno.make(url, error="m").svg_inline(scale=3, svgclass="qr-code", lineclass=None)
    )


def _teams_of(block, day):
    teams = [team for team in block.canvass_teams.all() if not day or team.day == day]
    return sorted(teams, key=lambda team: (team.day != "saturday", team.name))


def _side(block, teams, language):
    """One language's half of a block's page."""
    with translation.override(language):
        return render_to_string(
            "zones/packet_side.html",
            {
                "block": block,
                "zone_name": block.zone.name if block.zone else "",
                "teams": [
                    {
                        "name": team.name,
                        "day": team.get_day_display(),
                        "members": ", ".join(sorted(member.name for member in team.members.all())),
                    }
                    for team in teams
                ],
                "language": language,
            },
        )


def _both(text):
    """The same label in English and in Spanish: `text` is a function that
    translates it (written out, so that makemessages finds the message)."""
    texts = []
    for language in PACKET_LANGUAGES:
        with translation.override(language):
            texts.append(text())
    return " / ".join(texts)


def packet_pages(request, *, blocks, day=""):
    """The pages of a packet: one per block, in street order."""
    blocks = list(
        blocks.select_related("zone")
        .prefetch_related("canvass_teams__members")
        .order_by("street", "hundred")
    )
    zone_ids = {block.zone_id for block in blocks if block.zone_id}
    context_blocks = list(Block.objects.filter(zone_id__in=zone_ids).only("id", "geometry"))
    pages = []
    for block in blocks:
        teams = _teams_of(block, day)
        url = join_url(request, block)
        pages.append(
            {
                "block": block,
                "sides": [_side(block, teams, language) for language in PACKET_LANGUAGES],
                "map": block_map_svg(block, context_blocks),
                "qr": qr_svg(url),
                "url": url,
            }
        )
    return pages


def packet_response(request, *, blocks, day=""):
    """Render the printable packet for `blocks` (a Block queryset). With
    `day` ("saturday" / "sunday") only that day's canvass teams are listed."""
    pages = packet_pages(request, blocks=blocks, day=day)
    # Counts per block and day, never a row per door: a lost or seized
    # packet must not say which houses answered or signed up (DESIGN.md,
    # block state). Canvassers keep tally marks in each box.
    tally_headings = [_both(label) for _field, label in PACKET_TALLY_BOXES]
    tally_days = [
        _both(lambda: pgettext("canvass day", "Saturday")),
        _both(lambda: pgettext("canvass day", "Sunday")),
    ]
    return TemplateResponse(
        request,
        "zones/packet.html",
        {
            "pages": pages,
            "tally_headings": tally_headings,
            "tally_days": tally_days,
            "tally_note": _both(lambda: gettext("Tally marks only: no house numbers, names or addresses.")),
            "tally_note_line": _both(lambda: gettext("Note for the organizers (about the block, never about a person or a house)")),
            "title": _both(lambda: gettext("Canvass packet")),
        },
    )
