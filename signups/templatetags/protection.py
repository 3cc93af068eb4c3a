"""`{% bot_trap %}` inside a public <form>: the honeypot and the signed start
time that signups.protection.guard_public_form checks."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from signups.protection import HONEYPOT_FIELD, STARTED_FIELD, form_started_token, form_token_again

register = template.Library()


@register.simple_tag(takes_context=True)
def bot_trap(context):
    # The honeypot sits off screen (CSS class, no inline style: the CSP
    # forbids it), hidden from screen readers and skipped by Tab; browsers
    # must not autofill it. A person never fills it; a script filling every
    # field does.
    return format_html(
        '<div class="rz-trap" aria-hidden="true">'
        '<label for="id_{name}">{label}</label>'
        '<input type="text" name="{name}" id="id_{name}" value="" tabindex="-1" autocomplete="off">'
        "</div>"
        '<input type="hidden" name="{started}" value="{token}">',
        name=HONEYPOT_FIELD,
        label=gettext("Leave this field empty"),
        started=STARTED_FIELD,
        # A page cached for everyone carries a placeholder here, filled in
        # per response (pagecache.pages).
        token=context.get("form_started_token") or _token(context),
    )


def _token(context):
    # A form shown again after a post (with errors to fix) has been in front
    # of a person already: its token says so, and a quick fix is accepted.
    request = getattr(context, "request", None) or context.get("request")
    if request is not None and request.method == "POST":
        return form_token_again(request.POST)
    return form_started_token()


@register.filter
def mask_phone(phone):
    """"+12155550123" -> "•••0123": enough to tell two people with the same
    name apart at a check-in table, not enough to call them."""
    digits = "".join(ch for ch in str(phone or "") if ch.isdigit())
    return f"•••{digits[-4:]}" if len(digits) >= 4 else ""


@register.filter
def mask_email(email):
    """"ana.lopez@example.org" -> "a•••@e•••.org"."""
    local, _at, domain = str(email or "").partition("@")
    if not local or not domain:
        return ""
    host, _dot, tld = domain.rpartition(".")
    return f"{local[0]}•••@{(host or tld)[0]}•••.{tld}" if host else f"{local[0]}•••@•••"
