"""Forms: an RSVP on the public session page, and the trainer's check-in,
undo and walk-in forms (the phone's script posts the same fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from signups.forms import ZIP_CODE, ContactFormMixin, email_field, phone_field
from signups.models import Language
from trainings.models import Session
from zones.address import resolve_address


def _name_field(label):
    return forms.CharField(label=label, max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))


class RegistrationForm(ContactFormMixin, forms.Form):
    name = _name_field(_("Your name"))
    phone = phone_field()
    email = email_field()
    language = forms.ChoiceField(
        label=_("Which language do you prefer?"), choices=Language.choices, widget=forms.RadioSelect
    )
    address = forms.CharField(
        label=_("Your street address (optional)"),
        help_text=_("For example: 1123 S 9th St. We use it only to find your block."),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    consent = forms.BooleanField(
        label=_("I agree to be contacted about this training and the Community Resistance Zone."),
        error_messages={"required": _("We can only register you if you agree to be contacted.")},
    )


class WalkInForm(ContactFormMixin, forms.Form):
    name = _name_field(_("Name"))
    phone = phone_field()
    email = email_field()
    language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices, widget=forms.RadioSelect)
    address = forms.CharField(
        label=_("Street address or ZIP code"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # Offered (made a checkbox) only once an address could not be placed:
    # see clean().
    without_block = forms.BooleanField(label=_("Check in without a block"), required=False, widget=forms.HiddenInput)
    consent = forms.BooleanField(
        label=_("The person agrees to be contacted about the Community Resistance Zone."),
        error_messages={"required": _("We need the person's consent to keep their contact.")},
    )
    nonce = forms.UUIDField(widget=forms.HiddenInput, required=False)
    at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    # True when an address was typed that no block matches (and the trainer
    # chose to check the person in anyway): the answer says so.
    address_unplaced = False

    def clean_address(self):
        text = " ".join(self.cleaned_data["address"].split())
        # A bare ZIP code is a ZIP code, not an address.
        if ZIP_CODE.match(text):
            self.zip_code = text
            return ""
        self.zip_code = ""
        return text

    def clean(self):
        cleaned = super().clean()
        address = cleaned.get("address")
        self.address_unplaced = bool(address) and resolve_address(address) is None
        # A typo in the address would leave the person on no block, so off
        # the coverage map, and nobody would notice: the trainer is asked
        # while the person still stands there. The check-in is never lost
        # for it: one tick checks them in anyway (the phone's queue ticks it
        # for a walk-in it could not send at once).
        if self.address_unplaced and not cleaned.get("without_block"):
            self.fields["without_block"].widget = forms.CheckboxInput()
            self.add_error(
                "address",
                forms.ValidationError(
                    _(
                        "This address could not be placed on a block. Correct it, leave it empty, "
                        "or tick “Check in without a block”."
                    ),
                    code="address_unplaced",
                ),
            )
        return cleaned


class CheckInForm(forms.Form):
    volunteer = forms.IntegerField(widget=forms.HiddenInput)
    nonce = forms.UUIDField(widget=forms.HiddenInput)
    at = forms.DateTimeField(widget=forms.HiddenInput, required=False)


class UndoForm(forms.Form):
    nonce = forms.UUIDField(widget=forms.HiddenInput)


class SessionFilterForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *Session.Language.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    zone = forms.ChoiceField(
        label=_("Zone"), required=False, choices=[], widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, zones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = [("", _("Every zone")), *((z.slug, z.name) for z in zones)]
