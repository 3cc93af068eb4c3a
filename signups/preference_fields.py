"""The questions about a person's own preferences that both the join form and
their self-service settings page (messaging.self_service_forms) ask: one
definition, so the two pages word them and check them the same way."""

from django import forms
from django.utils.translation import gettext_lazy as _

from signups.models import ContactMethod, Language


def language_field():
    return forms.ChoiceField(
        label=_("Which language do you prefer?"),
        choices=Language.choices,
        widget=forms.RadioSelect,
    )


def contact_methods_field():
    return forms.MultipleChoiceField(
        label=_("How should we contact you?"),
        choices=ContactMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one way we can reach you.")},
    )
