"""Public training pages (list, session and RSVP, confirmation, calendar file,
"I can't come") and the trainer's check-in pages.

Views stay thin: a lookup that 404s on what the person may not see, a form,
a service call, a redirect. Check-in endpoints answer the phone's script with
JSON and a plain form post with a redirect, so check-in works without
JavaScript too.
"""

import datetime
import unicodedata
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from pagecache.pages import CSRF_PLACEHOLDER, cached, page_for_everyone, per_response
from signups.forms import block_choice_label
from signups.models import Volunteer
from signups.protection import guard_public_form
from signups.secret_links import secret_link_page
from signups.services import SignupError
from trainings.forms import CheckInForm, RegistrationForm, SessionFilterForm, UndoForm, WalkInForm
from trainings.models import Attendance, Registration, Session
from trainings.services import (
    TrainingError,
    attendance_record,
    attendance_record_walk_in,
    attendance_undo,
    registration_calendar,
    registration_cancel,
    registration_rsvp,
    session_mark_done,
    volunteer_for_training,
)
from zones.models import Zone

# --- Public pages -------------------------------------------------------------


SESSIONS_PER_PAGE = 20
# The query strings the list answers; any other (a tracking tag added to a
# shared link) is rendered for itself rather than fill the cache.
_LIST_PARAMETERS = {"language", "zone", "page"}


def _session_list_context(request):
    upcoming = Session.objects.upcoming()
    # Only zones that have an upcoming session are worth offering.
    zones = list(Zone.objects.filter(training_sessions__in=upcoming).distinct().order_by("name_en"))
    form = SessionFilterForm(request.GET or None, zones=zones)
    sessions = upcoming.with_counts().select_related("topic", "zone")
    if form.is_valid():
        language = form.cleaned_data["language"]
        if language in (Session.Language.ENGLISH, Session.Language.SPANISH):
            # A bilingual session suits a speaker of either language.
            sessions = sessions.filter(language__in=[language, Session.Language.BILINGUAL])
        elif language:
            sessions = sessions.filter(language=language)
        if form.cleaned_data["zone"]:
            sessions = sessions.filter(zone__slug=form.cleaned_data["zone"])
    # A page at a time: a phone on one bar of signal gets twenty sessions,
    # not every session of the season.
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return {"sessions": page, "page": page, "form": form, "filters": filters.urlencode()}


@require_safe
def session_list(request):
    if set(request.GET) - _LIST_PARAMETERS:
        return render(request, "trainings/session_list.html", _session_list_context(request))
    # Seats left change with every registration, which bumps the
    # "trainings" generation; a session that has ended leaves the list
    # within the minute.
    return page_for_everyone(
        request, "trainings/session_list.html", depends_on=["trainings"],
        context=lambda: _session_list_context(request), timeout=60,
    )


@require_http_methods(["GET", "POST"])
@guard_public_form("rsvp")
def session_detail(request, pk):
    session = get_object_or_404(
        Session.objects.with_counts().select_related("topic", "zone").exclude(status=Session.Status.DONE), pk=pk
    )
    form = RegistrationForm(
        request.POST or None, initial={"language": translation.get_language()}
    )
    if request.method == "POST" and session.is_open_for_registration and form.is_valid():
        data = form.cleaned_data
        try:
            volunteer = volunteer_for_training(
                name=data["name"], phone=data["phone"], email=data["email"], language=data["language"],
                address=data["address"], zip_code=form.zip_code, source=Volunteer.Source.FORM,
            )
            registration, already_registered = registration_rsvp(
                session=session, volunteer=volunteer, language=translation.get_language()
            )
        except (SignupError, TrainingError) as error:
            form.add_error(None, error.message)
        else:
            if already_registered:
                # Someone else may know this phone: the registration's page
                # (the exact address, "I can't come") stays behind the link,
                # which went to the email on file.
                return render(request, "trainings/registration_resent.html", {"session": session})
            return redirect("trainings:registration", registration.cancel_token)
    return render(request, "trainings/session_detail.html", {"session": session, "form": form})


def _registration_by_token(token):
    return get_object_or_404(
        Registration.objects.select_related("session__topic", "volunteer"), cancel_token=token
    )


@secret_link_page
@require_safe
def registration_detail(request, token):
    """The confirmation page: the only public page with the exact address,
    reached through the secret link given to the person who registered."""
    registration = _registration_by_token(token)
    return render(
        request,
        "trainings/registration_detail.html",
        {"registration": registration, "session": registration.session},
    )


@secret_link_page
@require_safe
def registration_ics(request, token):
    registration = _registration_by_token(token)
    if registration.status != Registration.Status.REGISTERED:
        raise Http404
    response = HttpResponse(registration_calendar(registration=registration), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="training.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@secret_link_page
@require_POST
# Rate-limited like every public post; no bot trap: the link in an email is
# the whole form.
@guard_public_form("rsvp-cancel", bot_trap=False)
def registration_cancel_view(request, token):
    """The "I can't come" button, in two steps: it posts here and gets
    "Are you sure?", whose button posts again with `confirm`. One tap used
    to give the seat away, and a thumb on a crowded bus taps by mistake.
    Both steps are plain POSTs, so it works without JavaScript and a GET
    still changes nothing (and answers 405)."""
    registration = _registration_by_token(token)
    if registration.status == Registration.Status.CANCELLED:
        return redirect("trainings:registration", token)
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "trainings/registration_cancel_confirm.html",
            {"registration": registration, "session": registration.session},
        )
    registration_cancel(registration=registration)
    messages.success(request, gettext("Your registration is cancelled. Thank you for letting us know."))
    return redirect("trainings:registration", token)


# --- Trainer pages ------------------------------------------------------------


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


def _fold(text):
    """Lower case without accents, as the roster's script compares names:
    a trainer types "maria lopez" for "María Peña López"."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _roster_people(session, query):
    """Everyone the trainer may check in, with their check-in, and the counts,
    in two queries however long the roster is."""
    # Only the columns the page shows: a person's row carries a dozen dates
    # the roster never reads, each converted to a time zone on load.
    shown = ("volunteer__name", "volunteer__phone", "volunteer__email", "volunteer__language")
    registrations = list(
        Registration.objects.filter(session=session)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("volunteer")
        .only("session_id", "status", *shown)
        .order_by("volunteer__name", "pk")
    )
    attendances = {
        a.volunteer_id: a
        for a in Attendance.objects.active().filter(session=session).select_related("volunteer")
        .only("session_id", "nonce", "walk_in", "undone_at", *shown)
    }
    rows = []
    registered_ids = set()
    for registration in registrations:
        registered_ids.add(registration.volunteer_id)
        rows.append(
            {
                "volunteer": registration.volunteer,
                "waitlisted": registration.status == Registration.Status.WAITLISTED,
                "attendance": attendances.get(registration.volunteer_id),
            }
        )
    walk_ins = [a for a in attendances.values() if a.volunteer_id not in registered_ids]
    for attendance in sorted(walk_ins, key=lambda a: a.volunteer.name.lower()):
        rows.append({"volunteer": attendance.volunteer, "waitlisted": False, "attendance": attendance})
    registered_count = sum(1 for r in registrations if r.status == Registration.Status.REGISTERED)
    private = session.roster_is_private(registered_count)
    if query:
        words = _fold(query).split()
        for row in rows:
            name = _fold(row["volunteer"].name)
            row["match"] = all(word in name for word in words)
    else:
        for row in rows:
            row["match"] = not private
    counts = {
        "checked_in": len(attendances),
        "registered": registered_count,
        "walk_ins": sum(1 for a in attendances.values() if a.walk_in),
    }
    return rows, counts, private


# Every row's no-JavaScript check-in form carries a nonce of its own, made
# fresh for each response (a nonce shared by two pages could replay a
# check-in that was undone in between).
_NONCE_PLACEHOLDER = "rz-per-row-check-in-nonce"


def roster_rows(request, session, urls, query=""):
    """(the roster's list as HTML, counts, private).

    Without a search, the list is the same for every trainer of the session
    until someone on it changes: it is rendered once and kept in the shared
    cache under the session's roster generation (bumped by its check-ins,
    registrations and the session itself, see trainings.apps) and the
    "rosters" one (bumped when a person's name or contact changes). The CSRF
    token and each row's nonce are filled in per response."""

    def build():
        rows, counts, private = _roster_people(session, query)
        context = {
            "rows": rows, "urls": urls,
            "csrf_token": CSRF_PLACEHOLDER, "new_nonce": _NONCE_PLACEHOLDER,
        }
        return render_to_string("trainings/_roster_rows.html", context, request), counts, private

    if query:
        html, counts, private = build()
    else:
        key = f"roster:{session.pk}:{translation.get_language()}"
        html, counts, private = cached(key, [f"roster-{session.pk}", "rosters"], build)
    token = get_token(request)
    html = per_response(html, {CSRF_PLACEHOLDER: lambda: token, _NONCE_PLACEHOLDER: uuid.uuid4})
    return mark_safe(html), counts, private  # our own template, escaped there


_WALK_IN_NONCE_PLACEHOLDER = "rz-per-response-walk-in-nonce"


def _walk_in_form_html():
    """The roster's empty walk-in form, the same on every roster but for its
    nonce: crispy-forms took half of a roster's time to draw it, so it is
    drawn once per language and kept in the cache."""

    def build():
        form = WalkInForm(initial={"nonce": _WALK_IN_NONCE_PLACEHOLDER, "language": translation.get_language()})
        return render_to_string("trainings/_walk_in_form.html", {"form": form})

    html = cached(f"walk-in-form:{translation.get_language()}", [], build)
    return mark_safe(per_response(html, {_WALK_IN_NONCE_PLACEHOLDER: uuid.uuid4}))  # our own template


def _roster_context(request, session):
    query = " ".join(request.GET.get("q", "").split())[:60]
    urls = {
        "checkin": reverse("trainings:checkin", args=[session.pk]),
        "undo": reverse("trainings:undo", args=[session.pk]),
    }
    html, counts, private = roster_rows(request, session, urls, query)
    return {
        "session": session,
        "roster_rows": html,
        "query": query,
        "private": private,
        "counts": counts,
        "walk_in_form": _walk_in_form_html(),
        "offline": {
            "session": session.pk,
            "allowed": offline_session_ids(request.user),
            "walkin": reverse("trainings:walk-in", args=[session.pk]),
            **urls,
        },
    }


@never_cache
@login_required
@require_safe
def roster(request, pk):
    session = _trainer_session(request, pk)
    context = _roster_context(request, session)
    response = render(request, "trainings/roster.html", context)
    # The service worker keeps only pages the server allows offline.
    response["X-Offline-Allowed"] = "1" if session.pk in context["offline"]["allowed"] else "0"
    return response


_SERVICE_WORKER = settings.BASE_DIR / "static" / "js" / "trainer-sw.js"


@require_safe
def service_worker(request):
    """The trainer pages' service worker, served under /<lang>/trainer/ so
    that its scope covers the roster pages (a script under /static/ could
    only control /static/)."""
    response = HttpResponse(_SERVICE_WORKER.read_text(), content_type="application/javascript")
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
    session = _trainer_session(request, pk)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _answer(request, session, ok=False, message=_form_error(form), code="invalid", status=400)
    # Only someone on this session's list: a walk-in goes through the walk-in form.
    registration = (
        Registration.objects.filter(session=session, volunteer_id=form.cleaned_data["volunteer"])
        .select_related("volunteer")
        .first()
    )
    if registration is None:
        raise Http404
    volunteer = registration.volunteer
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
