"""The follow-up list's admin pages (trainings.follow_up): an organizer of
the zone sees first names and blocks, invites the chosen people to a
session in one action, and reveals one person's contact at a time. Added to
the session admin's URLs (trainings.admin), linked from each zone's change
page (zones.extensions)."""

import uuid
from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trainings.follow_up import (
    FollowUpError, follow_up_invite, follow_up_reveal, follow_up_rows, invitation_texts, upcoming_sessions,
)
from trainings.models import Session
from zones.admin_scoping import zones_for

# Rows on one page: a zone's whole list at the pilot's size, and a page a
# laptop still opens at a city's.
LIST_LIMIT = 500


def may_follow_up(user):
    """Organizers (and superusers): they may see the zone's volunteers."""
    return user.is_active and user.is_staff and user.has_perm("signups.view_volunteer")


def follow_up_urls(model_admin):
    site = model_admin.admin_site
    return [
        path("follow-up/<int:zone_id>/", site.admin_view(lambda request, zone_id: follow_up_view(
            request, zone_id, site=site, opts=model_admin.model._meta)), name="trainings_follow_up"),
    ]


def follow_up_url(zone):
    return reverse("admin:trainings_follow_up", args=[zone.pk])


def _session_for_texts(request, rows):
    """The session the invitation names: the one chosen (?session=), else
    the one most of the list's people would go to."""
    chosen = request.POST.get("session") or request.GET.get("session")
    if chosen and str(chosen).isdigit():
        session = Session.objects.filter(pk=chosen, status=Session.Status.SCHEDULED).select_related("topic").first()
        if session is not None:
            return session
    counts = Counter(row.next_session.pk for row in rows if row.next_session is not None)
    if not counts:
        return None
    best = counts.most_common(1)[0][0]
    return next(row.next_session for row in rows if row.next_session is not None and row.next_session.pk == best)


def follow_up_view(request, zone_id, *, site, opts):
    if not may_follow_up(request.user):
        raise PermissionDenied
    zone = get_object_or_404(zones_for(request.user), pk=zone_id)
    revealed = None
    if request.method == "POST" and "reveal" in request.POST:
        revealed = follow_up_reveal(user=request.user, zone=zone, volunteer_id=request.POST["reveal"])
        if revealed is None:
            messages.error(request, _("That person is not on this list any more."))
    elif request.method == "POST":
        return _invite(request, zone)
    sessions = upcoming_sessions()
    rows = follow_up_rows(zone, sessions=sessions)[: LIST_LIMIT + 1]
    more = len(rows) > LIST_LIMIT
    rows = rows[:LIST_LIMIT]
    session = _session_for_texts(request, rows)
    context = {
        **site.each_context(request),
        "opts": opts,
        "title": _("Follow-up list of %(zone)s") % {"zone": zone.name},
        "zone": zone,
        "rows": rows,
        "more": more,
        "limit": LIST_LIMIT,
        "revealed": revealed,
        "session": session,
        "sessions": sessions,
        "texts": invitation_texts(session) if session is not None else {"en": "", "es": ""},
        "nonce": uuid.uuid4(),
    }
    return TemplateResponse(request, "admin/trainings/follow_up.html", context)


def _invite(request, zone):
    session = Session.objects.filter(
        pk=request.POST.get("session") if str(request.POST.get("session", "")).isdigit() else None,
        status=Session.Status.SCHEDULED,
    ).first()
    url = follow_up_url(zone)
    if session is None:
        messages.error(request, _("Choose the session to invite them to."))
        return redirect(url)
    try:
        nonce = uuid.UUID(request.POST.get("nonce", ""))
    except ValueError:
        nonce = uuid.uuid4()
    try:
        batch, created = follow_up_invite(
            user=request.user, zone=zone, volunteer_ids=request.POST.getlist("person"), session=session,
            texts={"en": request.POST.get("text_en", ""), "es": request.POST.get("text_es", "")}, nonce=nonce,
        )
    except FollowUpError as error:
        messages.error(request, str(error.args[0]))
        return redirect(f"{url}?session={session.pk}")
    if created:
        messages.success(request, ngettext(
            "Invitation queued for %(count)d person; the worker sends it.",
            "Invitation queued for %(count)d people; the worker sends it.", batch.recipients,
        ) % {"count": batch.recipients})
    else:
        messages.info(request, _("That invitation was already sent."))
    return redirect(reverse("admin:messaging_batch_change", args=[batch.pk]))
