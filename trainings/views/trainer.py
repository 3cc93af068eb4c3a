"""The trainer's pages: today's sessions, the roster, check-in, undo,
walk-in, "done", and the offline service worker.

Check-in endpoints answer the phone's script with JSON and a plain form post
with a redirect, so check-in works without JavaScript too.
"""

import datetime
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from pagecache.pages import CSRF_PLACEHOLDER, cached, stamp
from signups.forms import block_choice_label
from signups.protection import guard_public_form
from signups.services import SignupError
from trainings.forms import CheckInForm, UndoForm, WalkInForm
from trainings.models import Attendance, Registration, Session
from trainings.services import (
    TrainingError,
    attendance_record,
    attendance_record_walk_in,
    attendance_undo,
    session_mark_done,
)
from trainings.services.attendance import check_in_tap
from trainings.views.roster import roster_fill, roster_rows, walk_in_form_html


def _trainer_session(request, pk):
    # Another trainer's session does not exist for this one.
    return get_object_or_404(Session.objects.select_related("topic"), pk=pk, trainers=request.user)


def _today_bounds():
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def offline_session_ids(user):
    """What the phone may keep for offline use: today's sessions of this
    trainer that are still open. Everything else it wipes."""
    start, end = _today_bounds()
    return list(
        Session.objects.for_trainer(user)
        .filter(status=Session.Status.SCHEDULED, starts_at__lt=end, ends_at__gte=start)
        .values_list("pk", flat=True)
    )


@login_required
@require_safe
def trainer_home(request):
    start, end = _today_bounds()
    sessions = list(
        Session.objects.for_trainer(request.user)
        .exclude(status=Session.Status.CANCELLED)
        .filter(ends_at__gte=start - datetime.timedelta(days=14))
        .with_counts()
        .select_related("topic")
        .order_by("starts_at")
    )
    today = [s for s in sessions if s.starts_at < end and s.ends_at >= start]
    upcoming = [s for s in sessions if s.starts_at >= end]
    recent = [s for s in sessions if s.ends_at < start][::-1]
    return render(
        request,
        "trainings/trainer_home.html",
        {"today": today, "upcoming": upcoming, "recent": recent, "offline_ids": [s.pk for s in today if s.status == Session.Status.SCHEDULED]},
    )



def _roster_context(request, session, *, query="", fill=True):
    urls = {
        "checkin": reverse("trainings:checkin", args=[session.pk]),
        "undo": reverse("trainings:undo", args=[session.pk]),
    }
    html, counts, private = roster_rows(request, session, urls, query, fill=fill)
    return {
        "session": session,
        "roster_rows": html,
        "query": query,
        "private": private,
        "counts": counts,
        "walk_in_form": walk_in_form_html(fill=fill),
        "offline": {
            "session": session.pk,
            "allowed": offline_session_ids(request.user),
            "walkin": reverse("trainings:walk-in", args=[session.pk]),
            **urls,
        },
    }


def _roster_page(request, pk, query, *, keep=False):
    """(the roster page's HTML, whether the phone may keep it offline). To
    `keep`: with placeholders for what differs per response (roster_fill)."""
    session = _trainer_session(request, pk)
    context = _roster_context(request, session, query=query, fill=not keep)
    if keep:
        context["csrf_token"] = CSRF_PLACEHOLDER
    return render_to_string("trainings/roster.html", context, request), session.pk in context["offline"]["allowed"]


@never_cache
@login_required
@require_safe
def roster(request, pk):
    """The roster. Without a search or a message to show, the whole page is
    the same for this trainer until the session, its people, their sessions
    or their rights change: it is kept rendered under those generations
    (trainings.apps; "staff-<id>" follows Session.trainers, so a trainer
    taken off the session gets a 404 at the next request) and today's date,
    with the CSRF token and every nonce filled in per response."""
    query = " ".join(request.GET.get("q", "").split())[:60]
    if query or len(messages.get_messages(request)):
        html, offline = _roster_page(request, pk, query)
    else:
        user = request.user.pk
        key = f"roster-page:{user}:{pk}:{translation.get_language()}:{timezone.localdate()}:{stamp(request.get_full_path())}"
        depends_on = ["staff", f"staff-{user}", "trainings", f"roster-{pk}", "rosters"]

        html, offline = cached(key, depends_on, lambda: _roster_page(request, pk, "", keep=True))
        html = roster_fill(request, html)
    response = HttpResponse(html)
    # The service worker keeps only pages the server allows offline.
    response["X-Offline-Allowed"] = "1" if offline else "0"
    return response


_SERVICE_WORKER_FILES = (
    settings.BASE_DIR / "static" / "js" / "sw-network-first.js",
    settings.BASE_DIR / "static" / "js" / "trainer-sw.js",
)


@require_safe
def service_worker(request):
    """The trainer pages' service worker, served under /<lang>/trainer/ so
    that its scope covers the roster pages (a script under /static/ could
    only control /static/)."""
    script = "\n".join(path.read_text() for path in _SERVICE_WORKER_FILES)
    response = HttpResponse(script, content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    return response


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _counts(session):
    # Both counts in one query: every check-in answers with them.
    return Attendance.objects.active().filter(session=session).aggregate(
        checked_in=Count("pk"), walk_ins=Count("pk", filter=Q(walk_in=True))
    )


def _answer(request, session, *, ok, message, code="ok", status=200, nonce=None):
    """JSON for the phone's script, a redirect with a message for a form."""
    if _wants_json(request):
        body = {"ok": ok, "code": code, "message": str(message)}
        if nonce is not None:
            body["nonce"] = str(nonce)
        if ok:
            body["counts"] = _counts(session)
        return JsonResponse(body, status=status)
    (messages.success if ok else messages.error)(request, message)
    return redirect("trainings:roster", session.pk)


def _form_error(form):
    for errors in form.errors.values():
        return errors[0]
    return gettext("Something is missing in this form.")


@login_required
@require_POST
def checkin(request, pk):
    form = CheckInForm(request.POST)
    if not form.is_valid():
        session = _trainer_session(request, pk)
        return _answer(request, session, ok=False, message=_form_error(form), code="invalid", status=400)
    # Only someone on this session's list (a walk-in goes through the
    # walk-in form), of one of this trainer's sessions. The common tap, on
    # a scheduled session, is one statement (trainings.services.attendance).
    found = check_in_tap(
        session_id=pk, volunteer_id=form.cleaned_data["volunteer"], trainer=request.user,
        nonce=form.cleaned_data["nonce"], at=form.cleaned_data["at"],
    )
    if found is None:
        raise Http404
    _status, name, checked_in = found
    if checked_in is not None:
        nonce, counts = checked_in
        message = gettext("{name} is checked in.").format(name=name)
        if _wants_json(request):
            return JsonResponse({"ok": True, "code": "ok", "message": message, "nonce": str(nonce), "counts": counts})
        messages.success(request, message)
        return redirect("trainings:roster", pk)
    # A replay, a person checked in already, a session done or cancelled.
    registration = (
        Registration.objects.filter(session_id=pk, volunteer_id=form.cleaned_data["volunteer"])
        .select_related("session", "volunteer")
        .first()
    )
    session, volunteer = registration.session, registration.volunteer
    try:
        attendance = attendance_record(
            session=session, volunteer=volunteer, nonce=form.cleaned_data["nonce"],
            at=form.cleaned_data["at"], by=request.user,
        )
    except TrainingError as error:
        return _answer(request, session, ok=False, message=error.message, code=error.code, status=409)
    return _answer(
        request, session, ok=True, nonce=attendance.nonce,
        message=gettext("{name} is checked in.").format(name=volunteer.name),
    )


@login_required
@require_POST
def undo(request, pk):
    session = _trainer_session(request, pk)
    form = UndoForm(request.POST)
    if not form.is_valid():
        return _answer(request, session, ok=False, message=_form_error(form), code="invalid", status=400)
    attendance = attendance_undo(session=session, nonce=form.cleaned_data["nonce"], by=request.user)
    if attendance is None:
        # Already undone, or never arrived: either way nothing to undo.
        return _answer(request, session, ok=True, message=gettext("Nothing to undo."), code="noop")
    return _answer(
        request, session, ok=True, nonce=attendance.nonce,
        message=gettext("The check-in of {name} is undone.").format(name=attendance.volunteer.name),
    )


@login_required
@require_http_methods(["GET", "POST"])
# A trainer's phone may replay a queue of walk-ins at once, and offline
# entries carry no fill time: rate limit only (per trainer account).
@guard_public_form("walk-in", bot_trap=False)
def walk_in(request, pk):
    session = _trainer_session(request, pk)
    if request.method == "GET":
        form = WalkInForm(initial={"nonce": uuid.uuid4(), "language": translation.get_language()})
        return render(request, "trainings/walk_in.html", {"session": session, "form": form})
    form = WalkInForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            attendance = attendance_record_walk_in(
                session=session, nonce=data["nonce"] or uuid.uuid4(), name=data["name"], phone=data["phone"],
                email=data["email"], language=data["language"], address=data["address"],
                zip_code=form.zip_code, consent=data["consent"], at=data["at"], by=request.user,
                message_kinds=form.message_kinds(),
            )
        except (SignupError, TrainingError) as error:
            # Next to the field it concerns, with everything typed kept: the
            # person is still standing there and should not be asked again.
            field = _WALK_IN_ERROR_FIELDS.get(error.code)
            if _wants_json(request):
                return JsonResponse(
                    {"ok": False, "code": error.code, "message": str(error.message),
                     "errors": {field: [str(error.message)]} if field else {}},
                    status=409,
                )
            form.add_error(field, error.message)
        else:
            # The name the trainer typed, not the one stored: a walk-in with a
            # known phone keeps the stored name until it is confirmed
            # (signups.pending), and saying it here would tell whoever typed
            # the phone whose it is.
            name = data["name"]
            if form.address_unplaced:
                message = gettext("{name} is checked in, but the address could not be placed on a block.").format(
                    name=name
                )
                if not _wants_json(request):
                    messages.warning(request, message)
                    return redirect("trainings:roster", session.pk)
                return _answer(request, session, ok=True, nonce=attendance.nonce, message=message, code="no_block")
            return _answer(
                request, session, ok=True, nonce=attendance.nonce,
                message=gettext("{name} is checked in.").format(name=name),
            )
    elif _wants_json(request):
        codes = {field: [e["code"] for e in errors] for field, errors in form.errors.get_json_data().items()}
        address_codes = codes.get("address", [])
        code = next((c for c in ("address_unclear", "address_unplaced") if c in address_codes), "invalid")
        return JsonResponse(
            {
                "ok": False,
                "code": code,
                "message": str(_form_error(form)),
                "errors": form.errors,
                # The blocks an unclear address could mean: the phone offers
                # them as the plain form does.
                "choices": [
                    {"value": c.value, "label": str(block_choice_label(c.block))} for c in form.address_choices
                ],
            },
            status=400,
        )
    return render(request, "trainings/walk_in.html", {"session": session, "form": form}, status=400)


# Which walk-in field a refusal of the services belongs next to.
_WALK_IN_ERROR_FIELDS = {"invalid_phone": "phone", "no_contact": "phone", "consent_required": "consent"}


@login_required
@require_POST
def mark_done(request, pk):
    session = _trainer_session(request, pk)
    try:
        session_mark_done(session=session)
    except TrainingError as error:
        messages.error(request, error.message)
        return redirect("trainings:roster", session.pk)
    messages.success(request, gettext("The session is marked done."))
    return redirect("trainings:trainer")


@require_safe
def signed_out(request):
    """Where a trainer lands after logging out: its script wipes everything
    the phone kept for offline check-in."""
    return render(request, "trainings/signed_out.html")
