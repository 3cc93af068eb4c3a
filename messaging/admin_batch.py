"""Organizer messages to a segment, in the admin (messaging.Batch).

- The list: every send of the organizer's zones, with its delivery counts
  (one query for the page).
- "Add": the compose page. The organizer picks people (zones, blocks,
  language, way to help, training, a session's registrations), writes both
  texts, and previews them: per language the text as it will be sent, its
  characters and SMS segments (a warning when it goes UCS-2), the people
  reached per channel and those left out, and why. Sending is a second
  step, allowed only for exactly what was previewed (a signed digest), and
  the form's nonce makes a double submit one batch.
- The change page is the delivery report: a progress bar and the counts
  by status, failures with reasons, and the messages, contacts masked. It
  reloads itself (a meta refresh, no script) while the send is under way.
"""

import json
import uuid

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from messaging.models import Batch, Channel, Kind, Message
from messaging.outbox import message_footer
from messaging.segment_send import (
    SEGMENT_KINDS,
    Training,
    batch_report,
    sample_settings_url,
    segment_preview,
    segment_reach,
    segment_send,
    segment_volunteers,
    sessions_for,
)
from signups.models import Language, WayToHelp
from signups.templatetags.protection import mask_email, mask_phone
from zones.admin_scoping import ZoneScopedAdminMixin, blocks_for, zones_for

_DIGEST_SALT = "messaging.segment-preview"
REPORT_PAGE_SIZE = 50
# Seconds between reloads of a report while its messages are leaving.
REPORT_REFRESH_SECONDS = 5


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session):
        return str(session)


class SegmentForm(forms.Form):
    zones = forms.ModelMultipleChoiceField(
        label=_("zones"), queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one zone.")},
    )
    blocks = forms.ModelMultipleChoiceField(
        label=_("blocks"), queryset=None, required=False,
        help_text=_("Leave empty for every block of the zones chosen."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    languages = forms.MultipleChoiceField(
        label=_("preferred language"), choices=Language.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Leave empty for everyone."),
    )
    ways_to_help = forms.MultipleChoiceField(
        label=_("ways to help"), choices=WayToHelp.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("People who offered any of these; leave empty for everyone."),
    )
    training = forms.ChoiceField(label=_("training"), choices=Training.choices, required=False)
    session = SessionChoiceField(
        label=_("registered for the session"), queryset=None, required=False,
        help_text=_("Only the people registered for it (not the waitlist)."),
    )
    kind = forms.ChoiceField(
        label=_("kind of message"), initial=Kind.NEWS,
        choices=[(kind.value, kind.label) for kind in SEGMENT_KINDS],
        help_text=_("Only people who agreed to this kind of message get it."),
    )
    subject_en = forms.CharField(label=_("email subject (English)"), max_length=200)
    text_en = forms.CharField(label=_("text (English)"), max_length=1600, widget=forms.Textarea(
        attrs={"rows": 5, "data-sms-count": "en"}))
    subject_es = forms.CharField(label=_("email subject (Spanish)"), max_length=200)
    text_es = forms.CharField(label=_("text (Spanish)"), max_length=1600, widget=forms.Textarea(
        attrs={"rows": 5, "data-sms-count": "es"}))
    # One compose page, one batch: kept across previews, checked on send.
    nonce = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zones"].queryset = zones_for(user).order_by("name_en")
        # The geometry is the heavy part of a block, and a label needs none.
        self.fields["blocks"].queryset = blocks_for(user).defer("geometry").order_by("street", "hundred")
        sessions = sessions_for(user)
        if sessions is None:
            del self.fields["session"]
        else:
            self.fields["session"].queryset = sessions

    def segment(self):
        """The segment as stored on the Batch: ids and codes, never names."""
        data = self.cleaned_data
        session = data.get("session")
        return {
            "zones": sorted(zone.pk for zone in data["zones"]),
            "blocks": sorted(block.pk for block in data.get("blocks") or []),
            "languages": sorted(data.get("languages") or []),
            "ways_to_help": sorted(data.get("ways_to_help") or []),
            "training": data.get("training") or "",
            "session": session.pk if session is not None else None,
        }

    def texts(self):
        return {Language.ENGLISH: self.cleaned_data["text_en"], Language.SPANISH: self.cleaned_data["text_es"]}

    def subjects(self):
        return {Language.ENGLISH: self.cleaned_data["subject_en"], Language.SPANISH: self.cleaned_data["subject_es"]}

    def digest(self):
        """A signature of exactly what is previewed: the send button carries
        it, and a send whose people or texts changed since is shown again."""
        payload = json.dumps(
            [self.segment(), self.cleaned_data["kind"], self.texts(), self.subjects(), str(self.cleaned_data["nonce"])],
            sort_keys=True,
        )
        return salted_hmac(_DIGEST_SALT, payload, algorithm="sha256").hexdigest()


@admin.register(Batch)
class BatchAdmin(ZoneScopedAdminMixin, admin.ModelAdmin):
    # An organizer sees the sends to their zones; an incident's alert (no
    # zones of a segment) only a superuser.
    zone_path = "segment_send__zones"
    list_display = ("created_at", "kind", "text_preview", "sent_by", "recipients", "delivered", "failed")
    list_filter = ("kind",)
    list_select_related = ("created_by",)
    show_full_result_count = False

    def get_queryset(self, request):
        # The delivery counts of every row come with the list's one query.
        done = [Message.Status.FAILED, Message.Status.UNDELIVERABLE, Message.Status.DROPPED]
        return super().get_queryset(request).annotate(
            delivered_count=Count("messages", filter=Q(messages__status=Message.Status.DELIVERED)),
            failed_count=Count("messages", filter=Q(messages__status__in=done)),
        )

    @admin.display(description=_("text (English)"))
    def text_preview(self, batch):
        return batch.text_en[:80]

    @admin.display(description=_("sent by"), ordering="created_by__username")
    def sent_by(self, batch):
        return batch.created_by.get_username() if batch.created_by else ""

    @admin.display(description=Message.Status.DELIVERED.label, ordering="delivered_count")
    def delivered(self, batch):
        return batch.delivered_count

    @admin.display(description=_("failed or not sent"), ordering="failed_count")
    def failed(self, batch):
        return batch.failed_count

    # A send is history: nobody edits or deletes one.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form = SegmentForm(request.POST, user=request.user)
        else:
            form = SegmentForm(user=request.user, initial={"nonce": uuid.uuid4(), "kind": Kind.NEWS})
        context = {"form": form, **_footers()}
        if request.method == "POST" and form.is_valid():
            digest = form.digest()
            if "_send" in request.POST and constant_time_compare(request.POST.get("digest", ""), digest):
                batch, _created = segment_send(
                    user=request.user, segment=form.segment(), kind=form.cleaned_data["kind"],
                    texts=form.texts(), subjects=form.subjects(), nonce=form.cleaned_data["nonce"],
                )
                return redirect(reverse("admin:messaging_batch_change", args=[batch.pk]))
            if "_send" in request.POST:
                context["changed_since_preview"] = True
            people = segment_volunteers(form.segment(), user=request.user)
            context.update(
                previews=segment_preview(texts=form.texts(), subjects=form.subjects()),
                reach=segment_reach(people, kind=form.cleaned_data["kind"]),
                digest=digest,
            )
        return self._render(request, "admin/messaging/batch/compose.html", gettext("Message people of your zones"),
                            context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = self.get_object(request, object_id)
        if batch is None:
            raise Http404
        if not self.has_view_permission(request, batch):
            raise PermissionDenied
        report = batch_report(batch)
        messages = (
            Message.objects.filter(batch=batch)
            .select_related("volunteer")
            .only("channel", "language", "status", "error_code", "sent_at", "delivered_at",
                  "volunteer__name", "volunteer__phone", "volunteer__email")
            .order_by("pk")
        )
        page = Paginator(messages, REPORT_PAGE_SIZE).get_page(request.GET.get("p"))
        rows = [
            {
                "message": message,
                "name": message.volunteer.name if message.volunteer else "",
                "contact": _masked_contact(message),
            }
            for message in page
        ]
        context = {
            "batch": batch,
            "report": report,
            "page": page,
            "rows": rows,
            "refresh_seconds": REPORT_REFRESH_SECONDS if not report.finished and report.held_until is None else None,
        }
        return self._render(request, "admin/messaging/batch/report.html", gettext("Delivery report"), context)

    def _render(self, request, template, title, context):
        return TemplateResponse(request, template, {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "has_view_permission": self.has_view_permission(request),
            **context,
        })


def _footers():
    """The footer of a text in each language, for the live count."""
    return {
        f"footer_{language}": message_footer(
            channel=Channel.SMS, language=language, settings_url=sample_settings_url(language),
        )
        for language in (Language.ENGLISH, Language.SPANISH)
    }


def _masked_contact(message):
    """Staff lists of messages show no number or address in full."""
    volunteer = message.volunteer
    if volunteer is None:
        return ""
    if message.channel == "email":
        return mask_email(volunteer.email)
    return mask_phone(volunteer.phone)
