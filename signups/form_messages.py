"""Error messages of the public forms in the voice of the rest of the page.

Django's own Spanish says `usted` ("Asegúrese de que este valor tenga menos
de 200 caracteres", "Introduzca una dirección de correo electrónico
válida"), right above our `tú` labels ("Tu nombre"). The join form, the RSVP
and the walk-in form replace those defaults with ours; a message a form
sets itself ("Tell us your name.") is left alone. The admin keeps Django's.
"""

import copy
import functools

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

PUBLIC_MESSAGES = {
    "required": _("Fill in this field."),
    "max_length": ngettext_lazy(
        "Use at most %(limit_value)d character (this has %(show_value)d).",
        "Use at most %(limit_value)d characters (this has %(show_value)d).",
        "limit_value",
    ),
    "invalid_choice": _("Choose one of the options shown."),
}
PUBLIC_INVALID = {
    forms.EmailField: _("Enter a valid email address, for example ana@example.com."),
}


def _django_default(field, code):
    return _class_default(type(field), code)


# Per field class: every form on a public post asks it for every field.
@functools.cache
def _class_default(field_class, code):
    for klass in field_class.__mro__:
        message = getattr(klass, "default_error_messages", {}).get(code)
        if message is not None:
            return message
    return None


def _is_default(current, default):
    # A field's messages are the very objects of its class's defaults
    # unless it set its own: that identity answers without translating.
    # Comparing a lazy message translates it, and every sign-up did so
    # some thirty times.
    return current is default or (current is not None and default is not None and current == default)


class PublicFormMessagesMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # Only Django's defaults: validators' codes (max_length) have no
            # entry yet, and a field's own message has replaced the default.
            messages = field.error_messages
            for code, message in PUBLIC_MESSAGES.items():
                current = messages.get(code)
                if current is None or _is_default(current, _django_default(field, code)):
                    messages[code] = message
            for klass, message in PUBLIC_INVALID.items():
                if isinstance(field, klass) and _is_default(messages.get("invalid"), _django_default(field, "invalid")):
                    messages["invalid"] = message


class ChoicesShared(dict):
    """A form class's base_fields whose copy per form (Django deep-copies
    them for every form made) shares each field's list of choices instead
    of copying it label by label: most of a public post's form cost. The
    lists are never changed in place (a form that needs other choices
    assigns new ones, as AddressChoiceMixin gives a new widget), so
    sharing them is safe. Everything else is copied as Django copies it."""

    def __deepcopy__(self, memo):
        for field in self.values():
            for choices in (getattr(field, "_choices", None), getattr(field.widget, "choices", None)):
                if isinstance(choices, list):
                    memo[id(choices)] = choices
        return {name: copy.deepcopy(field, memo) for name, field in self.items()}


def choices_shared(form_class):
    """Decorate a form class so that each form shares its fields' choices
    (ChoicesShared)."""
    form_class.base_fields = ChoicesShared(form_class.base_fields)
    return form_class
