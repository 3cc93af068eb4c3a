"""Keep less of training days: shred the details of old check-ins.

A year after a session, what still matters is who was trained there: the
volunteer and the session (its topic and end date) are all that trained
status needs (trainings.services.status). The minute someone checked in,
the time on the trainer's phone, which trainer tapped their name and whether
they came unannounced only say where a person was at a given moment, so
they go. Modelled on signups.retention.volunteers_purge_inactive.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pagecache.pages import generation_bump
from signups.audit import AuditEntry, audit_retention
from trainings.models import Attendance

# The fields a shredded row has emptied (all nullable).
SHREDDED_FIELDS = ("checked_in_at", "phone_at", "checked_in_by", "walk_in")


def attendance_shreddable(*, older_than_days, now=None):
    """Check-ins at sessions that ended more than `older_than_days` days ago
    whose details are still there."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=older_than_days)
    return Attendance.objects.filter(session__ends_at__lt=cutoff, details_shredded_at__isnull=True)


def attendance_details_shred(*, older_than_days=None, commit=False, now=None):
    """Drop the details of old check-ins (see the module docstring); dry run
    unless `commit`. `older_than_days` defaults to ATTENDANCE_DETAIL_DAYS.

    Standing check-ins keep their volunteer and session, so trained status
    does not change; their SHREDDED_FIELDS become empty and
    `details_shredded_at` says when. Undone check-ins are deleted: a mistaken
    tap trained no one, and its row would only keep the detail that a name
    was tapped. Running it again finds nothing left to do.

    Returns counts: {"shredded": n, "undone_deleted": n}. One audit entry
    records the shredding and how many rows it emptied (the rows are updated
    in one statement, which writes no entry per row)."""
    days = settings.ATTENDANCE_DETAIL_DAYS if older_than_days is None else older_than_days
    if days < 1:
        raise ValueError("older_than_days must be at least 1")
    now = now or timezone.now()
    rows = attendance_shreddable(older_than_days=days, now=now)
    standing = rows.filter(undone_at__isnull=True)
    undone = rows.filter(undone_at__isnull=False)
    counts = {"shredded": standing.count(), "undone_deleted": undone.count()}
    if not commit or not any(counts.values()):
        return counts
    with transaction.atomic():
        counts["undone_deleted"] = undone.delete()[0]
        counts["shredded"] = standing.update(
            **dict.fromkeys(SHREDDED_FIELDS), details_shredded_at=now
        )
        audit_retention(
            action=AuditEntry.Action.CHANGE,
            model="trainings.attendance",
            row_count=counts["shredded"],
            changed_fields=SHREDDED_FIELDS,
            detail=f"shred_attendance --older-than {days}",
        )
        # An UPDATE sends no signal: rosters still showing "walk-in" render
        # again.
        generation_bump("rosters")
    return counts
