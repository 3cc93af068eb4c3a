"""Forms: an RSVP on the public session page, and the trainer's check-in,
undo and walk-in forms (the phone's script posts the same fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from signups.forms import (
    ZIP_CODE,
    AddressChoiceMixin,
    ContactFormMixin,
    address_choice_field,
    email_field,
    message_kinds_field,
    phone_field,
)
from signups.models import Language, MessageKind
from trainings.models import Session


def _name_field(label):
    return forms.CharField(label=label, max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))


def _as_placed(place):
    """The address the services will resolve again (they take text): the
    block's own street once it is placed or picked, so a pick among the
    choices places the person on the block picked."""
    return f"{place.resolved.house_number} {place.resolved.street}"


class RegistrationForm(AddressChoiceMixin, ContactFormMixin, forms.Form):
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
    address_choice = address_choice_field()
    # Reminders of the training they are registering for are what most
    # people expect from this form: offered ticked, and untickable.
    message_kinds = message_kinds_field(initial=[MessageKind.REMINDER])
    consent = forms.BooleanField(
        label=_("I agree to be contacted about this training and the Community Resistance Zone."),
        error_messages={"required": _("We can only register you if you agree to be contacted.")},
    )

    # A ZIP typed inside the address, stored with the block.
    zip_code = ""

    def clean(self):
        cleaned = super().clean()
        address = " ".join((cleaned.get("address") or "").split())
        if address:
            # The address stays optional: one we cannot find registers the
            # person without a block, as before; an unclear one asks.
            place = self.address_read(address)
            self.zip_code = place.zip_code
            if place.block is not None:
                cleaned["address"] = _as_placed(place)
        return cleaned


class WalkInForm(AddressChoiceMixin, ContactFormMixin, forms.Form):
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
    address_choice = address_choice_field()
    # Offered (made a checkbox) only once an address could not be placed:
    # see clean().
    without_block = forms.BooleanField(label=_("Check in without a block"), required=False, widget=forms.HiddenInput)
    # One box per kind of message, each with its own name: the phone's
    # queue keeps a walk-in as one value per field name (static/js/trainer.js).
    wants_reminder = forms.BooleanField(label=_("Wants reminders of the trainings they sign up for"), required=False)
    wants_news = forms.BooleanField(label=_("Wants news of the campaign"), required=False)
    wants_urgent = forms.BooleanField(label=_("Wants urgent alerts when something happens near them"), required=False)
    # Present on every walk-in form that asks the three questions: a walk-in
    # queued on a phone before they were asked says nothing of them (None),
    # rather than "no messages at all".
    kinds_asked = forms.BooleanField(widget=forms.HiddenInput, required=False, initial=True)
    consent = forms.BooleanField(
        label=_("The person agrees to be contacted about the Community Resistance Zone."),
        error_messages={"required": _("We need the person's consent to keep their contact.")},
    )
    nonce = forms.UUIDField(widget=forms.HiddenInput, required=False)
    at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    # True when an address was typed that no block matches (and the trainer
    # chose to check the person in anyway): the answer says so.
    address_unplaced = False

    def message_kinds(self):
        """The kinds the person chose (MessageKind values), or None when the
        post did not ask (see kinds_asked)."""
        if not self.cleaned_data.get("kinds_asked"):
            return None
        chosen = {
            MessageKind.REMINDER: self.cleaned_data.get("wants_reminder"),
            MessageKind.NEWS: self.cleaned_data.get("wants_news"),
            MessageKind.URGENT: self.cleaned_data.get("wants_urgent"),
        }
        return [kind.value for kind, wanted in chosen.items() if wanted]

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
        place = None
        if address:
            place = self.address_read(address, zip_code=self.zip_code, ask=not cleaned.get("without_block"))
        if place is not None:
            self.zip_code = self.zip_code or place.zip_code
            if place.block is not None:
                cleaned["address"] = _as_placed(place)
        self.address_unplaced = place is not None and place.block is None
        if self.address_choices and not cleaned.get("without_block"):
            # Asked to pick a block (address_read): ticking "without a
            # block" is the other way on.
            self.fields["without_block"].widget = forms.CheckboxInput()
            return cleaned
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
