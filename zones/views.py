import gzip
import json

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from pagecache.pages import cached_entry, cached_keep, page_for_everyone, stamp
from pagecache.pages import generations
from zones.admin_scoping import blocks_for, sees_everything, zones_for
from zones.coverage import zone_coverage_summaries, zone_coverage_summary
from zones.extensions import map_layers_for, progress_generations, progress_parts
from zones.models import Block, CoverageLevel, Zone


@never_cache
@require_safe
def healthz(request):
    """Liveness and database check. Says ok or not ok, and nothing else.

    A load balancer probing with HEAD gets the status without a body:
    gunicorn drops a HEAD response's body itself, but logs a warning each
    time, which every few seconds would bury the log."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        status, text = 503, "not ok"
    else:
        status, text = 200, "ok"
    return HttpResponse("" if request.method == "HEAD" else text, status=status, content_type="text/plain")


@never_cache
@require_safe
def join_block(request, block_id):
    """/j/<block>, a packet's QR code: the sign-up form in the language of
    whoever scans it, with the block preselected. The language is picked as
    `/` picks it (the remembered cookie, else the browser's languages), not
    from the organizer who printed the packet. A block deleted since the
    packet was printed still leads to the form, with no block chosen. Not
    cached: the answer depends on the reader's cookie and browser."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language_from_request(request, check_path=False)
    with translation.override(language):
        url = reverse("signups:join")
    if Block.objects.filter(pk=block_id).exists():
        url = f"{url}?block={block_id}"
    response = redirect(url)
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


# --- Zone progress (public) and the coverage map (staff) ----------------------

# The zone progress page's canvass totals follow the phones' taps, which
# bump no generation (canvass/apps.py): kept two minutes at most.
INDEX_SECONDS = 2 * 60


def _index_context():
    zones = list(Zone.objects.exclude(status=Zone.Status.PLANNED))
    summaries = zone_coverage_summaries(zones=zones)
    # What the apps above add (canvass: doors, blocks visited, a chart),
    # totals only, through zones.extensions.
    parts = progress_parts(zones)
    return {"rows": [{"zone": zone, "coverage": summaries[zone.pk], "parts": parts[zone.pk]} for zone in zones]}


def index(request):
    """Every zone's progress, as totals only: no block, no count per block
    and no name, because a small count on a named block can point at a
    person. The same for every visitor, so kept rendered (pagecache) until
    coverage or a provider's data changes; a constant number of queries
    whatever the number of zones and blocks."""
    return page_for_everyone(
        request, "zones/index.html", depends_on=["coverage", *progress_generations()],
        context=_index_context, timeout=INDEX_SECONDS,
    )


def _volunteers_admin_url():
    try:
        return reverse("admin:signups_volunteer_changelist")
    except NoReverseMatch:  # the volunteer admin is not installed
        return ""


@staff_member_required
@require_safe
def zone_map(request, slug=None):
    """The coverage map of one zone (or of every block, without a slug). The
    page itself carries no block data: zone_map.js fetches the GeoJSON."""
    # An organizer sees the map of their own zones only (404 for others).
    zone = get_object_or_404(zones_for(request.user), slug=slug) if slug else None
    if zone is not None:
        geojson_url = reverse("zones:blocks_geojson", args=[zone.slug])
        summary = zone_coverage_summary(zone=zone)
    else:
        geojson_url = reverse("zones:all_blocks_geojson")
        summary = None
    context = {
        "zone": zone,
        "summary": summary,
        "taken_today": _blocks_taken_today(zone) if zone is not None else [],
        "geojson_url": geojson_url,
        "volunteers_url": _volunteers_admin_url(),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "levels": CoverageLevel.choices,
        # Other colourings of the blocks (canvass: each block's state),
        # fetched by zone_map.js when chosen (zones.extensions).
        "layers": map_layers_for(zone),
    }
    return render(request, "zones/map.html", context)


def _blocks_taken_today(zone):
    """[(block, team name)] of the zone's blocks a canvass team has today:
    assigned to a team of today, or claimed and not lapsed. Team names only,
    never a member's. Through the reverse relations of the canvass app
    (zones imports no app above it); two queries."""
    now = timezone.now()
    today = timezone.localdate(now)
    weekday = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[today.weekday()]
    assigned = Block.objects.filter(
        zone=zone, canvass_teams__day=weekday,
        canvass_teams__campaign__starts_on__lte=today, canvass_teams__campaign__ends_on__gte=today,
    ).annotate(team_name=F("canvass_teams__name"))
    claimed = Block.objects.filter(
        zone=zone, canvass_claims__day=today, canvass_claims__expires_at__gt=now
    ).annotate(team_name=F("canvass_claims__team__name"))
    taken = {(block.pk, block.team_name): block for block in [*assigned, *claimed]}
    return sorted(
        ((block, team_name) for (_pk, team_name), block in taken.items()),
        key=lambda pair: (pair[0].street, pair[0].hundred, pair[1]),
    )


# Five decimals of a degree is about a meter: finer than a street map can
# draw, and each dropped digit is a byte per number on a weak signal.
COORDINATE_DIGITS = 5


def _rounded(coordinates):
    if coordinates and isinstance(coordinates[0], (int, float)):
        return [round(value, COORDINATE_DIGITS) for value in coordinates]
    return [_rounded(part) for part in coordinates]


def _blocks_geojson_body(user, zone):
    """The FeatureCollection, gzipped. Only what zone_map.js draws: the line,
    the colour (level), and the popup's words and counts."""
    blocks = blocks_for(user).filter(geometry__isnull=False).select_related("zone")
    if zone is not None:
        blocks = blocks.filter(zone=zone)
    labels = dict(CoverageLevel.choices)
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": block.geometry["type"],
                "coordinates": _rounded(block.geometry["coordinates"]),
            },
            "properties": {
                "id": block.pk,
                "name": str(block.name),
                "cross_streets": str(block.cross_streets),
                "zone": block.zone.name if block.zone else "",
                "level": block.coverage_level,
                "level_label": str(labels[block.coverage_level]),
                "residents": block.resident_count,
                "trained": block.trained_count,
            },
        }
        for block in blocks.with_coverage().order_by("street", "hundred")
    ]
    body = json.dumps(
        {"type": "FeatureCollection", "features": features},
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    return gzip.compress(body, compresslevel=9, mtime=0)


@staff_member_required
@require_safe
def blocks_geojson(request, slug=None):
    """Blocks with their coverage as a GeoJSON FeatureCollection: one zone's,
    or every block (all South Philadelphia in one response, 86 kB gzipped).
    One query for the blocks, whatever their number.

    Built once per coverage generation (pagecache.pages: a sign-up,
    a check-in, a block or zone change bumps it), per language and per
    scope: everything for a superuser, an organizer's own zones otherwise.
    The ETag names that version, so a phone revalidating gets its 304
    without the server touching a block. `private` keeps shared proxies
    from storing per-block counts. Kept gzipped; the rare client that
    refuses gzip gets it unpacked (it carries no secret, so compression
    leaks nothing)."""
    scope = "all" if sees_everything(request.user) else f"user-{request.user.pk}"
    key = f"blocks-geojson:{scope}:{slug}:{translation.get_language()}"
    # The ETag names the coverage generation alone, so a revalidation reads
    # one counter and not the 86 kB kept body. The body read after it is
    # at least as new: at worst a phone gets it again once.
    # Read with the session when this worker served it before (signups.sessions).
    read_already = getattr(request.session, "rz_read_with_session", None)
    etag = f'"{stamp(key, sorted(generations("coverage", found=read_already).items()))}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        version, body = cached_entry(key, ["coverage"])
        if body is None:
            zone = get_object_or_404(zones_for(request.user), slug=slug) if slug else None
            body = _blocks_geojson_body(request.user, zone)
            cached_keep(key, version, body)
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            response = HttpResponse(body, content_type="application/geo+json")
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(gzip.decompress(body), content_type="application/geo+json")
    response["ETag"] = etag
    patch_cache_control(response, private=True, max_age=60)
    patch_vary_headers(response, ["Cookie", "Accept-Language", "Accept-Encoding"])
    return response
