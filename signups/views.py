from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from pagecache.pages import page_for_everyone
from signups.forms import JoinForm, block_from_param
from signups.models import Language, Volunteer
from signups.pending import (
    pending_change_accept,
    pending_change_described,
    pending_change_for_token,
    pending_change_reject,
)
from signups.protection import guard_public_form
from signups.secret_links import secret_link_page
from signups.services import SignupError, campaign_current, volunteer_upsert
from zones.models import Block

# What the neighbor just typed, for the thank-you page: the block of the
# address they gave (or none) and the language they chose. Only their own
# answers: a repeat sign-up with someone else's phone must not show the block
# stored for that person, and the cookie names no database id (an id would
# confirm that a phone is registered, and count the volunteers). In a signed
# cookie of that browser, never in the URL; not in the session: on launch day
# that was a session row, and a second commit, per sign-up.
THANKS_COOKIE = "rz_thanks"
THANKS_COOKIE_SALT = "signups.thanks"
THANKS_SECONDS = 60 * 60


def thanks_cookie_set(response, *, block, language):
    value = f"{block.pk if block else ''}:{language}"
    response.set_signed_cookie(
        THANKS_COOKIE, value, salt=THANKS_COOKIE_SALT, max_age=THANKS_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
    )
    return response


def _thanks_cookie_read(request):
    """(block or None, language) from the thanks cookie, or None without a
    valid one."""
    value = request.get_signed_cookie(THANKS_COOKIE, default=None, salt=THANKS_COOKIE_SALT, max_age=THANKS_SECONDS)
    block_pk, _sep, language = (value or "").partition(":")
    if language not in Language.values:
        return None
    block = Block.objects.filter(pk=block_pk).first() if block_pk.isdigit() else None
    return block, language


@require_safe
def choose_language(request):
    """`/` (printed on flyers): the language remembered from a last visit,
    else the best match among the browser's languages."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language_from_request(request, check_path=False)
    return redirect(f"/{language}/")


@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for on pages that name no icon (the
    admin's): without it every such page logged a 404."""
    return redirect(static("favicon.svg"), permanent=True)


def _campaign_context():
    campaign, closed_campaign = campaign_current()
    return {"campaign": campaign, "closed_campaign": closed_campaign}


@require_safe
def landing(request):
    # The same page for everyone: rendered once per language and campaign
    # change, not once per visit of a shared link.
    return page_for_everyone(request, "signups/landing.html", depends_on=["campaigns"], context=_campaign_context)


def _empty_join_context():
    campaign, closed_campaign = campaign_current()
    form = JoinForm(campaign=campaign, initial={"language": translation.get_language(), "block": ""})
    return {
        "form": form,
        "campaign": campaign,
        "closed_campaign": closed_campaign,
        "link_block": None,
        "unknown_link_block": False,
    }


@require_http_methods(["GET", "POST"])
@guard_public_form("join")
def join(request):
    if request.method == "GET" and not request.GET:
        # The empty form is the same for everyone who opens the shared link:
        # served from the cache, with this visitor's CSRF token and start
        # time filled in. A QR code's ?block= link is rendered for itself.
        return page_for_everyone(request, "signups/join.html", depends_on=["campaigns"], context=_empty_join_context)
    campaign, closed_campaign = campaign_current()
    unknown_link_block = False
    if request.method == "POST":
        form = JoinForm(request.POST, campaign=campaign)
        if form.is_valid():
            volunteer = _save(form, campaign=campaign)
            if volunteer is not None:
                language = form.cleaned_data["language"]
                response = redirect(_thanks_url(language))
                return thanks_cookie_set(response, block=form.resolved_block, language=language)
    else:
        link_block = block_from_param(request.GET.get("block"))
        # A QR code whose block is gone (or a mistyped link): say so now,
        # since the form below has nothing left that would.
        unknown_link_block = bool(request.GET.get("block")) and link_block is None
        form = JoinForm(
            campaign=campaign,
            initial={
                "language": translation.get_language(),
                "block": link_block.pk if link_block else "",
            },
        )
    # The block a QR code's link names, shown back so the neighbor knows which
    # block they are joining (valid or not, the hidden field keeps it).
    link_block = block_from_param(form["block"].value())
    return render(
        request,
        "signups/join.html",
        {
            "form": form,
            "campaign": campaign,
            "closed_campaign": closed_campaign,
            "link_block": link_block,
            "unknown_link_block": unknown_link_block,
        },
    )


def _save(form, *, campaign):
    """Write the sign-up through the one service; a refusal it raises goes
    back onto the form, next to its field when it has one."""
    data = form.cleaned_data
    try:
        volunteer, _created = volunteer_upsert(
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            language=data["language"],
            contact_methods=data["contact_methods"],
            block=form.resolved_block,
            zip_code=data["zip_code"],
            address_withheld=data["address_withheld"],
            street_address=form.street_address,
            ways_to_help=data["ways_to_help"],
            weekend_availability=data.get("weekend_availability", []),
            message_kinds=data["message_kinds"],
            campaign=campaign,
            source=Volunteer.Source.FORM,
            consent_version=settings.CONSENT_VERSION,
        )
    except SignupError as error:
        field = "phone" if error.code in ("invalid_phone", "no_contact") else None
        form.add_error(field, error.message)
        return None
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
            return None
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return None
    return volunteer


def _thanks_url(language):
    """The thank-you page in the language the neighbor asked for; with
    "both", in the language of the page they filled in."""
    if language == Language.BOTH:
        language = translation.get_language()
    with translation.override(language):
        return reverse("signups:thanks")


# The language chosen, said inside a sentence: Spanish writes language names
# in lower case there ("en el idioma que elegiste (español)"), while the
# choices' labels on the form start with a capital.
LANGUAGE_IN_A_SENTENCE = {
    Language.ENGLISH: pgettext_lazy("in a sentence", "English"),
    Language.SPANISH: pgettext_lazy("in a sentence", "Spanish"),
    Language.BOTH: pgettext_lazy("in a sentence", "English and Spanish"),
}


@require_safe
def thanks(request):
    answers = _thanks_cookie_read(request)
    if answers is None:
        # Nobody signed up in this browser: nothing to thank anyone for,
        # and nothing to show.
        return redirect("signups:join")
    block, language = answers
    campaign, _closed = campaign_current()
    return render(
        request,
        "signups/thanks.html",
        {
            "home_block": block,
            "language_chosen": LANGUAGE_IN_A_SENTENCE[Language(language)],
            "campaign": campaign,
            # "which starts on <date>" only while that date is ahead.
            "campaign_started": campaign is not None and campaign.starts_on <= timezone.localdate(),
        },
    )


@secret_link_page
@require_http_methods(["GET", "POST"])
# Rate-limited like every public post; no bot trap: the link in an email is
# the whole form.
@guard_public_form("confirm-changes", bot_trap=False)
def confirm_changes(request, token):
    """The one-time link emailed to the address on file when a sign-up
    proposed answers that would replace stored ones. GET only shows them (a
    mail scanner opening the link changes nothing); the person's button
    applies or drops them, and either way the link is spent."""
    pending = pending_change_for_token(token)
    outcome = None
    if request.method == "POST" and pending is not None:
        if request.POST.get("answer") == "accept":
            pending_change_accept(pending=pending)
            outcome = "accepted"
        else:
            pending_change_reject(pending=pending)
            outcome = "rejected"
    context = {"outcome": outcome, "pending": pending}
    if pending is not None and outcome is None:
        context["changes"] = pending_change_described(pending)
    status = 404 if pending is None else 200
    return render(request, "signups/confirm_changes.html", context, status=status)
