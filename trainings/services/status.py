"""Sessions done, and the trained status that follows from attendance."""

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils.translation import gettext_lazy as _

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
    counting = (
        Attendance.objects.active()
        .filter(volunteer_id__in=ids, session__status=Session.Status.DONE, session__topic__counts_as_training=True)
        .values_list("volunteer_id", "session__ends_at", "session__topic__valid_for_months")
    )
    status = {pk: [None, None, False] for pk in ids}  # trained_at, until, forever
    for volunteer_id, ends_at, months in counting:
        entry = status[volunteer_id]
        if entry[0] is None or ends_at < entry[0]:
            entry[0] = ends_at
        if months is None:
            entry[2] = True
        else:
            until = ends_at + relativedelta(months=months)
            if entry[1] is None or until > entry[1]:
                entry[1] = until
    for pk, (trained_at, until, forever) in status.items():
        Volunteer.objects.filter(pk=pk).update(trained_at=trained_at, trained_until=None if forever else until)
