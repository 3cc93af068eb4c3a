"""`{% bot_trap %}` inside a public <form>: the honeypot and the signed start
time that signups.protection.guard_public_form checks."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from signups.protection import HONEYPOT_FIELD, STARTED_FIELD, form_started_token

register = template.Library()


@register.simple_tag
def bot_trap():
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
        token=form_started_token(),
    )
