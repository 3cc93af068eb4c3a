"""The dispatcher's report form, the alert and closing forms, and the
verifier's report."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from response.models import AlertTemplate, Incident, IncidentKind, Verification
from response.places import address_block, intersection_blocks

def _phone_sized(form):
    """Big boxes for thumbs: Bootstrap's form-control on every text box."""
    for field in form.fields.values():
        if not isinstance(field.widget, (forms.RadioSelect, forms.HiddenInput)):
            field.widget.attrs.setdefault("class", "form-control form-control-lg")


NO_PEOPLE = _("Never type names, license plates of private cars or addresses of people.")


def _time_today(value, now=None):
    """A time typed today ("14:05") as an aware datetime; a time later than
    now means yesterday (a report at 00:10 of something seen at 23:50)."""
    now = timezone.localtime(now or timezone.now())
    moment = timezone.make_aware(datetime.datetime.combine(now.date(), value), now.tzinfo)
    return moment - datetime.timedelta(days=1) if moment > now + datetime.timedelta(minutes=5) else moment


class IncidentForm(forms.Form):
    address = forms.CharField(label=_("Address on the block"), required=False, max_length=200,
                              help_text=_("For example: 1100 S 9th St. Only to find the block."))
    intersection = forms.CharField(label=_("Or a corner"), required=False, max_length=120,
                                   help_text=_("For example: 9th & Washington"))
    block = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("What kind"), choices=IncidentKind.choices, widget=forms.RadioSelect)
    seen_time = forms.TimeField(label=_("Seen at (time)"), widget=forms.TimeInput(attrs={"type": "time"}))
    spot = forms.CharField(label=_("Exact spot"), required=False, max_length=200,
                           help_text=_("For example: the corner by the laundromat. Never type names, "
                                       "license plates of private cars or addresses of people."))
    text = forms.CharField(label=_("What was seen"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}), help_text=NO_PEOPLE)
    submission = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, blocks, **kwargs):
        super().__init__(*args, **kwargs)
        self.blocks = blocks
        _phone_sized(self)

    def clean(self):
        data = super().clean()
        chosen = []
        if data.get("block"):
            block = self.blocks.filter(pk=data["block"]).select_related("zone").first()
            chosen = [block] if block else []
            if not chosen:
                raise forms.ValidationError(_("Say where: an address, a corner, or a block on the map."))
        elif (data.get("address") or "").strip():
            block = address_block(data["address"], self.blocks)
            chosen = [block] if block else []
            if not chosen:
                self.add_error("address", _("No block of your zones has this address. Check it, or give a corner."))
        elif (data.get("intersection") or "").strip():
            chosen = intersection_blocks(data["intersection"], self.blocks)
            if not chosen:
                self.add_error("intersection", _("No corner of your zones has these two streets."))
        else:
            raise forms.ValidationError(_("Say where: an address, a corner, or a block on the map."))
        data["blocks"] = chosen
        if data.get("seen_time"):
            data["seen_at"] = _time_today(data["seen_time"])
        return data


class PhoneSizedForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _phone_sized(self)


class TextsForm(PhoneSizedForm):
    text_en = forms.CharField(label=_("Message (English)"), max_length=600,
                              widget=forms.Textarea(attrs={"rows": 4, "maxlength": 600}))
    text_es = forms.CharField(label=_("Message (Spanish)"), max_length=600,
                              widget=forms.Textarea(attrs={"rows": 4, "maxlength": 600}))

    @classmethod
    def from_template(cls, purpose, *, prefix, template_id=None, incident=None):
        templates = AlertTemplate.objects.filter(purpose=purpose)
        chosen = templates.filter(pk=template_id).first() if template_id else templates.first()
        initial = {}
        if chosen is not None:
            context = {"block": incident.block if incident else None}
            initial = {"text_en": _fill(chosen.text_en, context), "text_es": _fill(chosen.text_es, context, "es")}
        return cls(prefix=prefix, initial=initial)


def _fill(text, context, language="en"):
    """Put the block into a template's "{block}" (and nothing else)."""
    from django.utils import translation

    if "{block}" not in text:
        return text
    block = context.get("block")
    with translation.override(language):
        return text.replace("{block}", str(block.name) if block is not None else "")


class ClosingForm(TextsForm):
    closing = forms.ChoiceField(label=_("Close with"), choices=Incident.Closing.choices, widget=forms.RadioSelect,
                                initial=Incident.Closing.ALL_CLEAR)


class VerifierReportForm(PhoneSizedForm):
    report = forms.ChoiceField(
        label=_("What did you see?"), widget=forms.RadioSelect,
        choices=[(Verification.Report.CONFIRMED, _("It is happening: I saw it")),
                 (Verification.Report.NOT_SEEN, _("I did not see anything")),
                 (Verification.Report.UNCLEAR, _("I am not sure"))],
    )
    seen_time = forms.TimeField(label=_("At what time?"), widget=forms.TimeInput(attrs={"type": "time"}))
