"""The public training pages: the list, a session and its RSVP, the
confirmation behind the secret link, its calendar file, and "I can't come".

Views stay thin: a lookup that 404s on what the person may not see, a form,
a service call, a redirect.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from pagecache.pages import page_for_everyone
from signups.models import Volunteer
from signups.protection import guard_public_form
from signups.secret_links import secret_link_page
from signups.services import SignupError
from trainings.forms import RegistrationForm, SessionFilterForm
from trainings.models import Registration, Session
from trainings.services import (
    TrainingError,
    registration_calendar,
    registration_cancel,
    registration_rsvp,
    volunteer_for_training,
)
from zones.models import Zone


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
                message_kinds=data["message_kinds"],
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
