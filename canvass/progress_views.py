"""The staff map's state layer, and the public page's canvass totals.

The map (zones.views.zone_map) knows nothing of canvass: it lists the layers
registered with zones.extensions, and its script fetches this JSON when an
organizer switches to "canvass state". Block ids and states only: the
GeoJSON the map already has carries the lines and names.
"""

import datetime

from django.contrib.admin.views.decorators import staff_member_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from canvass.charts import CHART_DAYS, SVG_HEIGHT, SVG_WIDTH, svg_polyline
from canvass.snapshots import ZoneSnapshot
from canvass.states import PATH, STATE_COLORS, block_states, zone_funnels
from zones.admin_scoping import blocks_for, zones_for


def state_legend():
    return [[state.value, str(state.label), STATE_COLORS[state]] for state in PATH]


@staff_member_required
@require_safe
def block_states_json(request, slug=None):
    """{"states": {block id: state}, "legend": [[state, label, colour]]}
    for one zone's blocks (or all the user's blocks without a slug): one
    query for the blocks, whatever their number. Organizers get their own
    zones only (404 for another's)."""
    blocks = blocks_for(request.user)
    if slug is not None:
        zone = get_object_or_404(zones_for(request.user), slug=slug)
        blocks = blocks.filter(zone=zone)
    states = block_states(blocks.filter(geometry__isnull=False))
    response = JsonResponse({"states": {str(pk): state for pk, state in states.items()}, "legend": state_legend()})
    # Per-block states of a zone: never kept by a shared proxy.
    patch_cache_control(response, private=True, no_cache=True)
    return response


def state_layer_url(zone):
    if zone is None:
        return reverse("canvass:all_block_states")
    return reverse("canvass:block_states", args=[zone.slug])


def public_progress(zones):
    """{zone id: context} for the public zone progress page: totals only,
    never a number per block, and nothing about pauses (where blocks are
    paused says where enforcement was seen). The chart is a line of blocks
    with a trained neighbor over the snapshots' days, drawn on the server.
    Three queries for any number of zones."""
    funnels = zone_funnels(zones)
    since = timezone.localdate() - datetime.timedelta(days=CHART_DAYS - 1)
    lines = {}
    for zone_id, day, with_trained, at_target in (
        ZoneSnapshot.objects.filter(zone__in=zones, day__gte=since).order_by("day")
        .values_list("zone_id", "day", "blocks_with_trained", "blocks_at_target")
    ):
        lines.setdefault(zone_id, []).append((day, with_trained + at_target))
    contexts = {}
    for zone in zones:
        funnel, line = funnels[zone.pk], lines.get(zone.pk, [])
        contexts[zone.pk] = {
            "blocks_visited": funnel.blocks_visited,
            "doors_knocked": funnel.doors_knocked,
            "blocks_with_trained": funnel.blocks_with_trained,
            "blocks": funnel.blocks,
            # One point is no line: a chart from the second snapshot on.
            "points": svg_polyline([value for _day, value in line], top=funnel.blocks) if len(line) > 1 else "",
            "first_day": line[0][0] if line else None,
            "last_day": line[-1][0] if line else None,
            "width": SVG_WIDTH,
            "height": SVG_HEIGHT,
        }
    return contexts
