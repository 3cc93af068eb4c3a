"""The self-service pages: a person's own settings behind the link in every
message (messaging.self_service), forgetting them on their request, and
"send me my link"."""


from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_safe

from messaging.self_service import (
    SELF_SERVICE_LINK_DAYS,
    volunteer_for_self_service_token,
    volunteer_settings_update,
)
from messaging.self_service_forms import LinkRequestForm, SettingsForm
from messaging.self_service_tasks import self_service_link_request
from signups.models import Language
from signups.protection import guard_public_form
from signups.retention import volunteer_erase
from signups.secret_links import secret_link_page
from signups.services import SignupError, volunteer_find


def _link_gone(request):
    """A link we do not know (mistyped, replaced by a newer one, too old, or
    of a person since forgotten): the same answer for each."""
    return render(request, "messaging/self_service_gone.html", {"days": SELF_SERVICE_LINK_DAYS}, status=404)


def _page_language(language):
    # "both" keeps the page in the language it was read in.
    return language if language in (Language.ENGLISH, Language.SPANISH) else translation.get_language()


@secret_link_page
@require_http_methods(["GET", "POST"])
# Rate-limited like every public post; no bot trap: the link is the form's
# key, and a person may save twice in a second.
@guard_public_form("self-service", bot_trap=False)
def self_service(request, token):
    """The person's own settings: language, how to reach them, which
    messages they want. Saving brings them back here, in the language they
    chose."""
    volunteer = volunteer_for_self_service_token(token)
    if volunteer is None:
        return _link_gone(request)
    if request.method == "POST":
        form = SettingsForm(request.POST, volunteer=volunteer)
        if form.is_valid():
            data = form.cleaned_data
            volunteer_settings_update(
                volunteer=volunteer, language=data["language"],
                contact_methods=data["contact_methods"], message_kinds=data["message_kinds"],
            )
            with translation.override(_page_language(data["language"])):
                messages.success(request, gettext("Saved. We will write to you this way from now on."))
                return redirect(reverse("messaging:self_service", args=[token]))
    else:
        form = SettingsForm(
            volunteer=volunteer,
            initial={
                "language": volunteer.language,
                "contact_methods": volunteer.contact_methods,
                "message_kinds": volunteer.message_kinds,
            },
        )
    return render(request, "messaging/self_service.html", {"form": form, "token": token, "volunteer": volunteer})


@secret_link_page
@require_http_methods(["GET", "POST"])
@guard_public_form("self-service", bot_trap=False)
def self_service_forget(request, token):
    """"Forget me": GET asks once more (a mail scanner opening the link
    erases nobody); the button erases the person at once, exactly as an
    organizer's forget-me does (signups.retention.volunteer_erase)."""
    volunteer = volunteer_for_self_service_token(token)
    if volunteer is None:
        return _link_gone(request)
    if request.method == "POST":
        volunteer_erase(volunteer=volunteer, user=None)
        return redirect("messaging:forgotten")
    return render(request, "messaging/self_service_forget.html", {"token": token})


@require_safe
def forgotten(request):
    return render(request, "messaging/forgotten.html")


@require_http_methods(["GET", "POST"])
@guard_public_form("self-service-link")
def link_request(request):
    """"Send me my link": a phone or an email. The answer is the same page
    whether or not we know it, and so is the work the request does (one
    lookup, one task queued): the worker queues the link, or nothing."""
    if request.method == "POST":
        form = LinkRequestForm(request.POST)
        if form.is_valid():
            try:
                volunteer = volunteer_find(phone=form.cleaned_data["phone"], email=form.cleaned_data["email"])
            except SignupError:  # already checked by the form; never a 500
                volunteer = None
            self_service_link_request.enqueue(volunteer.pk if volunteer is not None else None)
            return redirect("messaging:link_sent")
    else:
        form = LinkRequestForm()
    return render(request, "messaging/link_request.html", {"form": form})


@require_safe
def link_sent(request):
    return render(request, "messaging/link_sent.html")
