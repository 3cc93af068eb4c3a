"""The public join form. It asks only what organizers need to reach a neighbor
and find their block, and never immigration status, date of birth or any ID."""

import re
from dataclasses import replace

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from signups.form_messages import PublicFormMessagesMixin, choices_shared
from signups.models import Availability, ContactMethod, MessageKind, WayToHelp
from signups.preference_fields import contact_methods_field, language_field
from signups.services import SignupError, email_normalize, phone_normalize
from zones.models import Block
from zones.services import address_place

ZIP_CODE = re.compile(r"^\d{5}$")

# Which contact methods need which detail.
_NEEDS_PHONE = {ContactMethod.CALL, ContactMethod.TEXT, ContactMethod.WHATSAPP}


def block_from_param(value):
    """The Block a `?block=<id>` link names, or None for anything else."""
    value = str(value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return Block.objects.select_related("zone").filter(pk=int(value)).first()


def phone_field():
    return forms.CharField(
        label=_("Phone"),
        required=False,
        # Longer than any phone number, so a paste of junk is refused here.
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )


def email_field():
    return forms.EmailField(
        label=_("Email"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ContactFormMixin(PublicFormMessagesMixin):
    """A name and a phone or an email, cleaned the same way wherever a person
    gives them (the join form, an RSVP, a walk-in), so that volunteer_upsert
    finds the same person again whichever form they used; with error messages
    in the page's `tú` (signups.form_messages)."""

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Tell us your name."), code="required")
        return name

    def clean_phone(self):
        try:
            return phone_normalize(self.cleaned_data["phone"])
        except SignupError as error:
            raise forms.ValidationError(error.message, code=error.code) from None

    def clean_email(self):
        return email_normalize(self.cleaned_data["email"])

    def clean(self):
        data = super().clean()
        if "phone" not in self.errors and "email" not in self.errors:
            if not data.get("phone") and not data.get("email"):
                self.add_error(
                    "phone",
                    forms.ValidationError(
                        _("Give us a phone number or an email address, so we can reach you."),
                        code="no_contact",
                    ),
                )
        return data


def message_kinds_field(*, initial=()):
    """Which kinds of messages the person wants, asked in plain words on
    every form that keeps a contact (join, RSVP; the walk-in asks the same
    with one box each, see trainings.forms). None ticked is an answer too:
    we keep the contact and send only what they ask for themselves (the
    link of their registration, a confirmation)."""
    return forms.MultipleChoiceField(
        label=_("Which messages would you like from us?"),
        help_text=_("Choose as many as you like. You can change this later from the link in any message."),
        choices=message_kind_choices(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=list(initial),
    )


def message_kind_choices():
    # Said the way a neighbor would, rather than the names organizers use
    # (MessageKind's labels).
    return [
        (MessageKind.REMINDER.value, _("Reminders of the trainings I sign up for")),
        (MessageKind.NEWS.value, _("News of the campaign: trainings and events near me")),
        (MessageKind.URGENT.value, _("Urgent alerts when something happens near me (a raid, for example)")),
    ]


def address_choice_field():
    # A CharField, not a ChoiceField: the choices depend on the address
    # posted with it, and AddressChoiceMixin makes it a radio list once it
    # has some to offer; until then it is an empty hidden input.
    return forms.CharField(label=_("Did you mean:"), required=False, widget=forms.HiddenInput)


class AddressChoiceMixin:
    """The step an unclear address takes on every form that asks for one
    (join, RSVP, walk-in): the blocks it could mean come back as a radio
    list under the address, with everything else typed kept, and one tap
    places the person. Works without JavaScript: it is a plain form field."""

    address_choices = ()

    def address_read(self, address, *, zip_code="", ask=True):
        """The AddressPlace of `address`, with the neighbor's pick applied:
        place.block is set when the address is clear or a choice offered
        was picked. Offers the choices when neither, with an error on the
        address (code "address_unclear") unless `ask` is false (a walk-in
        the trainer checks in without a block)."""
        place = address_place(text=address, zip_code=zip_code)
        if place.block is not None or not place.choices:
            return place
        picked = place.choice(self.cleaned_data.get("address_choice"))
        if picked is not None:
            return replace(place, block=picked.block, resolved=picked.resolved, choices=())
        if not ask:
            return place
        self.address_choices = place.choices
        self.fields["address_choice"].widget = forms.RadioSelect(
            attrs={"class": "form-check-input"},
            choices=[(c.value, block_choice_label(c.block)) for c in place.choices],
        )
        self.add_error(
            "address",
            forms.ValidationError(
                _("We found more than one block for this address. Choose yours below, or correct the address."),
                code="address_unclear",
            ),
        )
        return place


def block_choice_label(block):
    if block.cross_streets:
        # Translators: "the 1300 block of S 26th St, between Reed St and Dickinson St"
        return _("the %(block)s, %(cross_streets)s") % {"block": block.name, "cross_streets": block.cross_streets}
    # Translators: "the 1300 block of S 26th St"
    return _("the %(block)s") % {"block": block.name}


@choices_shared
class JoinForm(AddressChoiceMixin, ContactFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = phone_field()
    email = email_field()
    language = language_field()
    contact_methods = contact_methods_field()
    address = forms.CharField(
        label=_("Your street address"),
        help_text=_(
            "For example: 1123 S 9th St. We use it only to find your block; "
            "we don't keep your house number."
        ),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    address_choice = address_choice_field()
    address_withheld = forms.BooleanField(
        label=_("I'd rather not say where I live"),
        required=False,
    )
    zip_code = forms.CharField(
        label=_("Your ZIP code"),
        help_text=_("Needed only if you'd rather not give your address."),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    # Set from ?block=<id> (the QR code on a canvasser's flyer).
    # No max_length: an error on a hidden field could not be shown; any
    # value that is not a block's id is handled in clean_block.
    block = forms.CharField(required=False, widget=forms.HiddenInput)
    ways_to_help = forms.MultipleChoiceField(
        label=_("What would you like to do?"),
        help_text=_("Choose as many as you like."),
        choices=WayToHelp.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    weekend_availability = forms.MultipleChoiceField(
        label=_("When can you join us on the launch weekend?"),
        choices=Availability.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    message_kinds = message_kinds_field()
    consent = forms.BooleanField(
        label=_(
            "I agree to be contacted about the Community Resistance Zone in the "
            "ways I chose above. My information is not shared with anyone."
        ),
        error_messages={"required": _("We can only contact you if you agree to it.")},
    )

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        # Filled in by clean(): the block the address or the link points to,
        # and the standardized address when settings keep it.
        self.resolved_block = None
        self.street_address = ""
        self.unknown_block = False
        # Availability only for a weekend still to come: a campaign left
        # open after its dates keeps taking sign-ups, but asking "when can
        # you join us" about a past weekend confuses people.
        ask_availability = campaign is not None and campaign.ends_on >= timezone.localdate()
        if not ask_availability:
            del self.fields["weekend_availability"]
        self._ask_availability = ask_availability

    @cached_property
    def helper(self):
        # Only a page that shows the form draws its layout: an accepted
        # post never does, and building it was a tenth of its time.
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        sections = [
            Fieldset(
                _("About you"), "name", "phone", "email", "language", "contact_methods"
            ),
            Fieldset(
                _("Where you live"),
                "address",
                HTML('{% include "signups/_address_choice.html" with field=form.address_choice %}'),
                "address_withheld",
                "zip_code",
                "block",
            ),
            Fieldset(
                _("How you'd like to help"),
                "ways_to_help",
                *(["weekend_availability"] if self._ask_availability else []),
            ),
            "message_kinds",
            "consent",
        ]
        helper.layout = Layout(*sections)
        return helper

    def clean_zip_code(self):
        zip_code = "".join(self.cleaned_data["zip_code"].split())
        if zip_code and not ZIP_CODE.match(zip_code):
            raise forms.ValidationError(
                _("Enter a 5-digit ZIP code, for example 19147."), code="invalid_zip"
            )
        return zip_code

    def clean_block(self):
        block = block_from_param(self.cleaned_data["block"])
        # An unknown block matters only when nothing else says where the
        # person lives (see _clean_place).
        self.unknown_block = bool(self.cleaned_data["block"]) and block is None
        return block

    def clean(self):
        data = super().clean()
        self._clean_contact(data)
        self._clean_place(data)
        return data

    def _clean_contact(self, data):
        # ContactFormMixin.clean has already asked for a phone or an email.
        phone, email = data.get("phone"), data.get("email")
        if "phone" in self.errors or "email" in self.errors:
            return
        methods = set(data.get("contact_methods") or [])
        if methods & _NEEDS_PHONE and not phone:
            self.add_error(
                "phone",
                forms.ValidationError(
                    _("You asked us to call, text or WhatsApp you: give us your phone number."),
                    code="phone_needed",
                ),
            )
        if ContactMethod.EMAIL in methods and not email:
            self.add_error(
                "email",
                forms.ValidationError(
                    _("You asked us to email you: give us your email address."),
                    code="email_needed",
                ),
            )

    def _clean_place(self, data):
        if "address" in self.errors or "zip_code" in self.errors:
            return
        address = " ".join((data.get("address") or "").split())
        withheld = data.get("address_withheld")
        if address and withheld:
            self.add_error(
                "address",
                forms.ValidationError(
                    _(
                        "You ticked \"I'd rather not say\": leave the address empty, "
                        "or untick the box."
                    ),
                    code="address_and_withheld",
                ),
            )
        elif address:
            place = self.address_read(address, zip_code=data.get("zip_code") or "")
            # A ZIP typed inside the address is kept like one typed in its
            # own field (volunteer_upsert decides whether it replaces one).
            data["zip_code"] = data.get("zip_code") or place.zip_code
            block, resolved = place.block, place.resolved
            if self.address_choices:
                return
            if block is None:
                self.add_error(
                    "address",
                    forms.ValidationError(
                        _(
                            "We couldn't find that address in Philadelphia. Check the "
                            "house number and the street, or tick \"I'd rather not say\" "
                            "and give your ZIP code."
                        ),
                        code="address_not_found",
                    ),
                )
                return
            self.resolved_block = block
            if settings.KEEP_STREET_ADDRESSES:
                self.street_address = f"{resolved.house_number} {resolved.street}"
        elif withheld:
            if not data.get("zip_code"):
                self.add_error(
                    "zip_code",
                    forms.ValidationError(
                        _("Give us at least your ZIP code."), code="zip_needed"
                    ),
                )
        elif data.get("block") is not None:
            self.resolved_block = data["block"]
        elif self.unknown_block:
            # The hidden field has no place of its own on the page: say it
            # next to the address, where the person can fix it.
            self.add_error(
                "address",
                forms.ValidationError(
                    _("The block in your link was not found: type your address instead."),
                    code="unknown_block",
                ),
            )
        else:
            self.add_error(
                "address",
                forms.ValidationError(
                    _(
                        "Type your address, or tick \"I'd rather not say\" and give "
                        "your ZIP code."
                    ),
                    code="place_needed",
                ),
            )
