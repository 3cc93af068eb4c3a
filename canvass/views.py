"""The canvasser's pages: today's blocks with their tallies, taps, notes,
claims, pauses, and the offline service worker.

Every POST answers the phone's script with JSON and a plain form post with a
redirect back to the block, so the tally works without JavaScript too.
"""

import datetime
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from canvass.models import TALLY_FIELDS, CanvassTeam
from canvass.roles import is_canvasser
from canvass.services import (
    CanvassError,
    block_claim,
    block_pause,
    canvasser_blocks,
    claimable_blocks,
    qr_signups_for,
    tallies_for,
    tally_increment,
    tally_note_add,
)
from canvass.tally import block_centre, blocks_map_svg, tally_boxes
from zones.models import Block

# Claimable blocks shown on the phone: the nearest come first (sorted on the
# phone), and a zone of 2,000 blocks must not weigh down the page.
CLAIMABLE_SHOWN = 200


def canvasser_required(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_canvasser(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _day_of(request, now):
    """The day a tap belongs to: the phone says which (a queue sent after
    midnight still counts for the day it was tapped), today or yesterday."""
    today = timezone.localdate(now)
    try:
        day = datetime.date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        return today
    return day if today - datetime.timedelta(days=1) <= day <= today else today


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _answer_refusal(request, error, anchor=""):
    if _wants_json(request):
        return JsonResponse({"ok": False, "code": error.code, "message": error.message}, status=400)
    messages.error(request, error.message)
    return redirect(reverse("canvass:home") + anchor)


def _tally_json(tally):
    return {name: getattr(tally, name) for name in TALLY_FIELDS}


@never_cache
@canvasser_required
@require_safe
def home(request):
    now = timezone.now()
    today = timezone.localdate(now)
    pairs = canvasser_blocks(user=request.user, day=today, now=now)
    tallies = tallies_for(pairs, day=today)
    qr = qr_signups_for({block.pk for block, _team in pairs}, day=today)
    cards = []
    for block, team in pairs:
        tally = tallies.get((block.pk, team.pk))
        # Each form carries its own id: a double tap of a plain form post
        # (no script) is applied once.
        boxes = [{**box, "id": uuid.uuid4(), "minus_id": uuid.uuid4()} for box in tally_boxes(tally)]
        cards.append({
            "block": block,
            "team": team,
            "key": f"{block.pk}-{team.pk}",
            "centre": block_centre(block.geometry),
            "boxes": boxes,
            "note": tally.note if tally else "",
            "qr_signups": qr.get(block.pk, 0),
            "note_id": uuid.uuid4(),
        })
    teams = list(CanvassTeam.objects.on_day(today).for_canvasser(request.user).order_by("name"))
    claimable = list(claimable_blocks(user=request.user, day=today, now=now)[:CLAIMABLE_SHOWN]) if teams else []
    response = render(
        request,
        "canvass/home.html",
        {
            "cards": cards,
            "map": blocks_map_svg([card["block"] for card in cards]),
            "teams": teams,
            "claimable": [{"block": b, "centre": block_centre(b.geometry)} for b in claimable],
            "today": today,
            "offline": {"day": today.isoformat(), "now": now.isoformat(), "tally": reverse("canvass:tally"), "note": reverse("canvass:note")},
        },
    )
    # The service worker keeps this page for a reload without signal, and
    # only while the canvasser has blocks today.
    response["X-Offline-Allowed"] = "1" if cards else "0"
    return response


@login_required
@require_POST
def tally(request):
    """Canvassers only, as every canvass page; the check is part of the
    tap's one query of rights (canvass.taps), so a refusal that comes
    before it asks again."""
    now = timezone.now()
    block_id, team_id = _int(request.POST.get("block")), _int(request.POST.get("team"))
    anchor = f"#block-{block_id}-{team_id}"
    try:
        door_tally, applied = tally_increment(
            user=request.user, block_id=block_id, team_id=team_id,
            field=request.POST.get("field", ""), delta=request.POST.get("delta", "1"),
            increment_id=request.POST.get("id", ""), made_at=request.POST.get("at", ""),
            day=_day_of(request, now), now=now,
        )
    except CanvassError as error:
        if error.code == "not_canvasser" or not is_canvasser(request.user):
            raise PermissionDenied from None
        return _answer_refusal(request, error, anchor)
    if _wants_json(request):
        return JsonResponse(
            {"ok": True, "applied": applied, "tally": _tally_json(door_tally), "now": now.isoformat()}
        )
    return redirect(reverse("canvass:home") + anchor)


@canvasser_required
@require_POST
def note(request):
    now = timezone.now()
    block_id, team_id = _int(request.POST.get("block")), _int(request.POST.get("team"))
    anchor = f"#block-{block_id}-{team_id}"
    try:
        door_tally, applied = tally_note_add(
            user=request.user, block_id=block_id, team_id=team_id, note=request.POST.get("note", ""),
            increment_id=request.POST.get("id", ""), made_at=request.POST.get("at", ""),
            day=_day_of(request, now), now=now,
        )
    except CanvassError as error:
        return _answer_refusal(request, error, anchor)
    if _wants_json(request):
        return JsonResponse({"ok": True, "applied": applied, "note": door_tally.note})
    messages.success(request, gettext("Note saved for the organizers."))
    return redirect(reverse("canvass:home") + anchor)


@canvasser_required
@require_POST
def claim(request):
    block_id, team_id = _int(request.POST.get("block")), _int(request.POST.get("team"))
    try:
        claimed = block_claim(user=request.user, block_id=block_id, team_id=team_id)
    except CanvassError as error:
        return _answer_refusal(request, error)
    messages.success(request, gettext("{block} is your team's until {time}, and longer while you tally.").format(
        block=claimed.block.name, time=timezone.localtime(claimed.expires_at).strftime("%H:%M")))
    return redirect(reverse("canvass:home") + f"#block-{claimed.block_id}-{claimed.team_id}")


@canvasser_required
@require_POST
def pause(request):
    """Any block the canvasser works today (or could claim) may be paused:
    a safety call is never refused for want of an assignment in its zone."""
    now = timezone.now()
    today = timezone.localdate(now)
    block_id = _int(request.POST.get("block"))
    mine = {block.pk for block, _team in canvasser_blocks(user=request.user, day=today, now=now)}
    if block_id not in mine and not claimable_blocks(user=request.user, day=today, now=now).filter(pk=block_id).exists():
        raise PermissionDenied
    block = get_object_or_404(Block.objects.select_related("zone"), pk=block_id)
    block_pause(block=block, by=request.user, now=now)
    messages.warning(request, gettext("{block} is paused for {hours} hours. Its organizers have been told.").format(
        block=block.name, hours=settings.BLOCK_PAUSE_HOURS))
    return redirect("canvass:home")


@require_safe
def signed_out(request):
    return render(request, "canvass/signed_out.html")


_SERVICE_WORKER_FILES = (
    settings.BASE_DIR / "static" / "js" / "sw-network-first.js",
    settings.BASE_DIR / "static" / "js" / "canvass-sw.js",
)


@require_safe
def service_worker(request):
    """Served under /<lang>/canvass/ so that its scope covers the canvass
    page (a script under /static/ could only control /static/)."""
    script = "\n".join(path.read_text() for path in _SERVICE_WORKER_FILES)
    response = HttpResponse(script, content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    return response
