"""Every step of an incident is an audit entry (signups.audit's table):
who, when, which step, how many recipients. The incident page reads its
timeline from them; no entry holds free text or a number."""

from django.utils.translation import gettext_lazy as _

from signups.audit import AuditEntry, current_actor

MODEL = "response.incident"

STEPS = {
    "reported": _("Report recorded"),
    "asked": _("Nearest responders asked to check"),
    "verifier": _("A responder is going to check"),
    "covered": _("Enough responders going: the others thanked"),
    "confirmed": _("A verifier confirmed it"),
    "not_seen": _("A verifier did not see it"),
    "unclear": _("A verifier found it unclear"),
    "approved": _("Approved by a second person: alert queued"),
    "closed_all_clear": _("Closed with an all-clear"),
    "closed_correction": _("Closed with a correction"),
    "paged": _("Open six hours: dispatchers paged"),
    "details_erased": _("Free text and lists of people erased"),
}


def step_record(incident, step, *, actor=None, row_count=None, subject="", action=AuditEntry.Action.CHANGE):
    actor = actor if actor is not None else current_actor()
    return AuditEntry.objects.create(
        actor=actor, actor_name=actor.get_username() if actor is not None else "",
        action=action, model=MODEL, object_id=str(incident.pk), subject=subject,
        row_count=row_count, detail=step,
    )


def timeline(incident):
    """The incident's steps, oldest first, each with its label (one query)."""
    entries = list(AuditEntry.objects.filter(model=MODEL, object_id=str(incident.pk)).order_by("at", "pk"))
    for entry in entries:
        entry.step_label = STEPS.get(entry.detail, entry.detail)
    return entries
