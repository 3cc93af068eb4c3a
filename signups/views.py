from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods, require_safe

from resistance_zone.caching import page_for_everyone
from signups.forms import JoinForm, block_from_param
from signups.models import Language, Volunteer
from signups.protection import guard_public_form
from signups.services import SignupError, campaign_current, volunteer_upsert

# The volunteer just signed up, for the thank-you page: in a signed cookie
# of that browser, never in the URL (a thank-you link shared or left in a
# browser's history must not reveal anyone's block). Not in the session: on
# launch day that was a session row, and a second commit, per sign-up.
THANKS_COOKIE = "rz_thanks"
THANKS_COOKIE_SALT = "signups.thanks"
THANKS_SECONDS = 60 * 60


def thanks_cookie_set(response, volunteer_id):
    response.set_signed_cookie(
        THANKS_COOKIE, volunteer_id, salt=THANKS_COOKIE_SALT, max_age=THANKS_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
    )
    return response


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
                return thanks_cookie_set(redirect(_thanks_url(volunteer)), volunteer.pk)
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


def _thanks_url(volunteer):
    """The thank-you page in the language the neighbor asked for; with
    "both", in the language of the page they filled in."""
    language = volunteer.language
    if language == Language.BOTH:
        language = translation.get_language()
    with translation.override(language):
        return reverse("signups:thanks")


@require_safe
def thanks(request):
    volunteer_id = request.get_signed_cookie(
        THANKS_COOKIE, default=None, salt=THANKS_COOKIE_SALT, max_age=THANKS_SECONDS
    )
    volunteer = (
        Volunteer.objects.select_related("block").filter(pk=volunteer_id).first()
        if volunteer_id is not None and volunteer_id.isdigit()
        else None
    )
    if volunteer is None:
        # Nobody signed up in this browser (or the record is gone): nothing
        # to thank anyone for, and nothing to show.
        return redirect("signups:join")
    campaign, _closed = campaign_current()
    return render(
        request,
        "signups/thanks.html",
        {
            "volunteer": volunteer,
            "home_block": volunteer.block,
            "campaign": campaign,
            # "which starts on <date>" only while that date is ahead.
            "campaign_started": campaign is not None and campaign.starts_on <= timezone.localdate(),
        },
    )
