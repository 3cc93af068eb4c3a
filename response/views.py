"""The dispatch pages (/<lang>/dispatch/: dispatchers and organizers, phone
first) and a verifier's one-time link page (/<lang>/respond/<token>/,
public). Thin: the rules live in response.incidents and response.decisions."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from messaging.models import Channel
from messaging.outbox import message_footer
from messaging.segments import sms_segments
from response.access import incidents_for, is_dispatch_staff, zones_for
from response.decisions import alert_refusal, delivery_counts, incident_approve, incident_close
from response.forms import ClosingForm, IncidentForm, TextsForm, VerifierReportForm, _time_today
from response.incidents import IncidentRefused, incident_open, verification_for_token, verification_report
from response.models import AlertTemplate, Incident, Verification
from response.places import blocks_map
from response.timeline import timeline
from signups.secret_links import secret_link_page
from zones.models import Block

RECENT_CLOSED = 20
# Blocks drawn on the pick-a-block map (a zone is a few hundred).
MAP_BLOCKS_MAX = 3000


def dispatcher_required(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_dispatch_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _incidents(request):
    return incidents_for(request.user, Incident.objects.select_related("block", "zone"))


def _blocks(request):
    return Block.objects.filter(zone__in=zones_for(request.user))


@dispatcher_required
def home(request):
    incidents = _incidents(request)
    return render(request, "response/home.html", {
        "open": list(incidents.filter(closed_at__isnull=True)),
        "closed": list(incidents.filter(closed_at__isnull=False).order_by("-closed_at")[:RECENT_CLOSED]),
    })


@dispatcher_required
def incident_new(request):
    blocks = _blocks(request)
    if request.method == "POST":
        form = IncidentForm(request.POST, blocks=blocks)
        if form.is_valid():
            data = form.cleaned_data
            existing = Incident.objects.filter(submission=data["submission"]).first()
            if existing is not None:
                return redirect("response:incident", existing.pk)
            first, *others = data["blocks"]
            incident = incident_open(user=request.user, block=first, blocks=others, kind=data["kind"],
                                     seen_at=data["seen_at"], text=data["text"], spot=data["spot"],
                                     submission=data["submission"])
            messages.success(request, gettext("Report recorded. The nearest responders are being asked to check."))
            return redirect("response:incident", incident.pk)
    else:
        picked = blocks.filter(pk=request.GET.get("block")).first() if request.GET.get("block", "").isdigit() else None
        form = IncidentForm(blocks=blocks, initial={
            "submission": uuid.uuid4(), "seen_time": timezone.localtime().strftime("%H:%M"),
            "block": picked.pk if picked else None,
        })
    picked_pk = form["block"].value()
    picked = blocks.filter(pk=picked_pk).first() if str(picked_pk or "").isdigit() else None
    map_blocks = blocks.order_by("pk")[:MAP_BLOCKS_MAX]
    return render(request, "response/new.html", {"form": form, "picked": picked, "map": blocks_map(map_blocks)})


def _incident_for(request, pk):
    incident = _incidents(request).filter(pk=pk).first()
    if incident is None:
        raise Http404
    return incident


def _footers():
    sample = "https://example.org/en/me/" + "x" * 32 + "/"
    return {f"footer_{lang}": message_footer(channel=Channel.SMS, language=lang, settings_url=sample)
            for lang in ("en", "es")}


def _with_counts(form, footers):
    """Each text box's SMS count as the page is sent (messaging.segments,
    the footer included); the script keeps it current while typing."""
    for name in ("text_en", "text_es"):
        body = (form[name].value() or "").rstrip()
        footer = footers[f"footer_{name[-2:]}"]
        form.fields[name].sms_count = sms_segments(f"{body}\n{footer}" if body else footer)
    return form


@dispatcher_required
def incident_page(request, pk, *, alert_form=None, closing_form=None):
    incident = _incident_for(request, pk)
    counts = incident.verifications.aggregate(
        going=Count("pk", filter=Q(chosen=True)),
        cannot=Count("pk", filter=Q(answer=Verification.Answer.CANNOT)),
        confirmed=Count("pk", filter=Q(report=Verification.Report.CONFIRMED)),
        not_seen=Count("pk", filter=Q(report=Verification.Report.NOT_SEEN)),
        unclear=Count("pk", filter=Q(report=Verification.Report.UNCLEAR)),
    )
    delivery = delivery_counts([incident.alert_batch_id, incident.closing_batch_id])
    refusal = alert_refusal(incident, request.user) if incident.is_open else None
    template_id = request.GET.get("template") if request.GET.get("template", "").isdigit() else None
    footers = _footers()
    alert_form = alert_form or TextsForm.from_template(AlertTemplate.Purpose.ALERT, prefix="alert",
                                                       template_id=template_id, incident=incident)
    closing_form = closing_form or ClosingForm.from_template(AlertTemplate.Purpose.ALL_CLEAR, prefix="close",
                                                             incident=incident)
    return render(request, "response/incident.html", {
        "incident": incident, "counts": counts, "timeline": timeline(incident),
        "alert_delivery": delivery.get(incident.alert_batch_id), "closing_delivery": delivery.get(incident.closing_batch_id),
        "refusal": refusal,
        "alert_form": _with_counts(alert_form, footers), "closing_form": _with_counts(closing_form, footers),
        "templates": list(AlertTemplate.objects.filter(purpose=AlertTemplate.Purpose.ALERT)),
        **footers,
    })


@require_POST
@dispatcher_required
def incident_approve_view(request, pk):
    incident = _incident_for(request, pk)
    form = TextsForm(request.POST, prefix="alert")
    if not form.is_valid():
        return incident_page(request, pk, alert_form=form)
    try:
        queued = incident_approve(incident, user=request.user, **form.cleaned_data)
    except IncidentRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, gettext("Approved. The alert is on its way to %(count)s people.") % {"count": queued})
    return redirect("response:incident", incident.pk)


@require_POST
@dispatcher_required
def incident_close_view(request, pk):
    incident = _incident_for(request, pk)
    form = ClosingForm(request.POST, prefix="close")
    if not form.is_valid():
        messages.error(request, gettext("An incident closes only with an all-clear or a correction, "
                                        "written in English and in Spanish."))
        return incident_page(request, pk, closing_form=form)
    try:
        queued = incident_close(incident, user=request.user, **form.cleaned_data)
    except IncidentRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, gettext("Closed. The message is on its way to %(count)s people.") % {"count": queued})
    return redirect("response:incident", incident.pk)


@secret_link_page
def verifier_report(request, token):
    verification = verification_for_token(token)
    if verification is None:
        return render(request, "response/report_gone.html", status=404)
    if request.method == "POST":
        form = VerifierReportForm(request.POST)
        if form.is_valid():
            verification_report(verification, report=form.cleaned_data["report"],
                                seen_at=_time_today(form.cleaned_data["seen_time"]))
            return render(request, "response/report_thanks.html")
    else:
        form = VerifierReportForm(initial={"seen_time": timezone.localtime().strftime("%H:%M")})
    return render(request, "response/report.html", {"form": form, "incident": verification.incident})
