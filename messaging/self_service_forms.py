"""The forms of the self-service pages: a person's own settings, and "send me
my link". Public pages: errors in the page's tú (PublicFormMessagesMixin)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from signups.form_messages import PublicFormMessagesMixin
from signups.forms import ContactFormMixin, email_field, phone_field
from signups.models import ContactMethod, MessageKind
from signups.preference_fields import contact_methods_field, language_field

_NEEDS_PHONE = {ContactMethod.CALL, ContactMethod.TEXT, ContactMethod.WHATSAPP}


class SettingsForm(PublicFormMessagesMixin, forms.Form):
    """Language, ways to reach the person (only those their phone or email
    allows) and the kinds of messages they agree to."""

    language = language_field()
    contact_methods = contact_methods_field()
    message_kinds = forms.MultipleChoiceField(
        label=_("Which messages do you want to get?"),
        help_text=_(
            "Leave them all unchecked and we will only send you what you ask for yourself, "
            "like this link or the confirmation of a training you sign up for."
        ),
        choices=MessageKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, volunteer, **kwargs):
        super().__init__(*args, **kwargs)
        # Ways that need a phone or an email we do not have are not offered:
        # picking them would reach nobody.
        self.fields["contact_methods"].choices = [
            (code, label)
            for code, label in ContactMethod.choices
            if (volunteer.phone if code in _NEEDS_PHONE else volunteer.email)
        ]


class LinkRequestForm(ContactFormMixin, forms.Form):
    """A phone or an email. The fields are named `phone` and `email` like
    every public form's, so the per-contact rate limit
    (signups.protection) counts them: typing a neighbor's number over and
    over sends them nothing more."""

    # ContactFormMixin cleans a name too; this form asks none.
    phone = phone_field()
    email = email_field()
