"""Sessions done, and the trained status that follows from attendance."""

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pagecache.pages import generation_bump
from signups.models import Volunteer
from trainings.models import Attendance, Session
from trainings.services.common import TrainingError


def session_mark_done(*, session):
    """Close a session: its attendees of a counting topic are trained from now
    on (coverage follows). Marking it done twice changes nothing more.
    Refuses a cancelled session (`session_cancelled`)."""
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if locked.status == Session.Status.CANCELLED:
            raise TrainingError(_("This training was cancelled."), code="session_cancelled")
        if locked.status != Session.Status.DONE:
            locked.status = Session.Status.DONE
            locked.save(update_fields=["status"])
        session.status = locked.status
        attendees = Volunteer.objects.filter(attendances__session=locked).distinct()
        volunteer_training_status_refresh(volunteers=attendees)
    return locked


def volunteer_training_status_refresh(*, volunteers):
    """Recompute trained_at / trained_until of `volunteers` from attendance
    alone, the single place trained status comes from:

    - counting attendance = not undone, at a done session whose topic counts;
    - trained_at = end of the first such session;
    - trained_until = the latest "session end + topic's months", or None (for
      good) when any such topic never expires.
    """
    ids = [v.pk for v in volunteers]
    status = _training_status(_counting_attendance().filter(volunteer_id__in=ids).values_list(*_ROW))
    for pk in ids:
        trained_at, until = status.get(pk, (None, None))
        Volunteer.objects.filter(pk=pk).update(trained_at=trained_at, trained_until=until)
    generation_bump("coverage")  # an UPDATE sends no signal


def volunteer_training_status_refresh_all(*, batch_size=1000):
    """The same rule as volunteer_training_status_refresh, for every volunteer
    at once: one query reads all counting attendance, one reads the stored
    status, and only rows whose status changes are written, in batches.

    For loading or repairing tens of thousands of people (the large demo, a
    data fix), where one UPDATE per person would take minutes. Returns the
    number of volunteers whose status changed."""
    counting = _counting_attendance()
    status = _training_status(counting.values_list(*_ROW).iterator(chunk_size=5000))
    # Everyone who is or should be trained; a subquery rather than a list of
    # ids, which would pass SQLite's limit on query parameters.
    stored = Volunteer.objects.filter(
        Q(trained_at__isnull=False) | Q(trained_until__isnull=False)
        | Q(pk__in=counting.values("volunteer_id"))
    ).values_list("pk", "trained_at", "trained_until")
    changed = [
        Volunteer(pk=pk, trained_at=wanted[0], trained_until=wanted[1])
        for pk, trained_at, until in stored.iterator(chunk_size=5000)
        if (wanted := status.get(pk, (None, None))) != (trained_at, until)
    ]
    Volunteer.objects.bulk_update(changed, ["trained_at", "trained_until"], batch_size=batch_size)
    if changed:
        generation_bump("coverage")  # bulk writes send no signal
    return len(changed)


_ROW = ("volunteer_id", "session__ends_at", "session__topic__valid_for_months")


def _counting_attendance():
    return Attendance.objects.active().filter(
        session__status=Session.Status.DONE, session__topic__counts_as_training=True
    )


def _training_status(rows):
    """{volunteer id: (trained_at, trained_until)} from (volunteer id, session
    end, topic's months) rows: the rule both refreshes share."""
    status = {}  # pk -> [trained_at, until, forever]
    for volunteer_id, ends_at, months in rows:
        entry = status.setdefault(volunteer_id, [None, None, False])
        if entry[0] is None or ends_at < entry[0]:
            entry[0] = ends_at
        if months is None:
            entry[2] = True
        else:
            until = ends_at + relativedelta(months=months)
            if entry[1] is None or until > entry[1]:
                entry[1] = until
    return {pk: (trained_at, None if forever else until) for pk, (trained_at, until, forever) in status.items()}
