"""Keep less: retention purge and forget-me.

Both are services (the command, the admin action and the tests call them);
the rule exists once here. Training records are reached through Volunteer's
reverse relations by name ("registrations", "attendances"), so signups never
imports trainings.
"""

import datetime

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from signups.audit import AuditEntry, audit_erase
from signups.forgotten import forgotten_contact_remember
from signups.models import Volunteer


def _related_names():
    return {rel.get_accessor_name() for rel in Volunteer._meta.related_objects}


def volunteers_inactive(*, older_than_days, now=None):
    """Volunteers with no sign-up, change, contact, registration or
    attendance in the last `older_than_days` days."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=older_than_days)
    active = Q(created_at__gte=cutoff) | Q(updated_at__gte=cutoff) | Q(last_contacted_at__gte=cutoff)
    related = _related_names()
    if "registrations" in related:
        active |= Q(registrations__created_at__gte=cutoff) | Q(registrations__updated_at__gte=cutoff)
    if "attendances" in related:
        active |= Q(attendances__checked_in_at__gte=cutoff)
    return Volunteer.objects.exclude(pk__in=Volunteer.objects.filter(active).values("pk"))


def _expired_registrations(cutoff):
    try:
        Registration = apps.get_model("trainings", "Registration")
    except LookupError:
        return None
    # A cancellation or a waitlist place for a session long past says
    # nothing anyone needs.
    return Registration.objects.filter(
        status__in=["cancelled", "waitlisted"], session__ends_at__lt=cutoff, updated_at__lt=cutoff
    )


def volunteers_purge_inactive(*, older_than_days, commit=False, now=None):
    """Delete inactive volunteers (see volunteers_inactive), expired
    registrations and old failed-login records. Dry run unless `commit`.

    Returns counts: {"volunteers": n, "registrations": n, "login_records": n}.
    The audit entries of purged people lose their ids; one entry records the
    purge and how many people it removed.
    """
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=older_than_days)
    volunteers = volunteers_inactive(older_than_days=older_than_days, now=now)
    registrations = _expired_registrations(cutoff)
    from axes.models import AccessAttempt, AccessLog

    attempts = AccessAttempt.objects.filter(attempt_time__lt=cutoff)
    access_logs = AccessLog.objects.filter(attempt_time__lt=cutoff)
    counts = {
        "volunteers": volunteers.count(),
        "registrations": registrations.count() if registrations is not None else 0,
        "login_records": attempts.count() + access_logs.count(),
    }
    if not commit:
        return counts
    with transaction.atomic():
        ids = list(volunteers.values_list("pk", flat=True))
        Volunteer.objects.filter(pk__in=ids).delete()
        _forget_admin_history(ids)
        AuditEntry.objects.filter(subject__in=[f"volunteer:{pk}" for pk in ids]).update(
            subject="", object_id=""
        )
        if registrations is not None:
            registrations.delete()
        attempts.delete()
        access_logs.delete()
        AuditEntry.objects.create(
            action=AuditEntry.Action.DELETE,
            model="signups.volunteer",
            row_count=len(ids),
            detail=f"purge_inactive --older-than {older_than_days}",
        )
    return counts


def _forget_admin_history(volunteer_ids):
    """Django's admin keeps its own history (LogEntry) with each record's
    name in `object_repr`: a forgotten person must not live on there."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Volunteer),
        object_id__in=[str(pk) for pk in volunteer_ids],
    ).delete()


# What other apps must do when a person is forgotten, beyond deleting their
# rows. signups may not import trainings (DESIGN.md: zones <- signups <-
# trainings), yet a seat an erased person held must go to the waitlist, as
# with "I can't come": trainings adds its step here from its AppConfig.ready.
# An explicit list rather than a pre_delete signal, because moving the
# waitlist up and emailing is a business rule (STYLE.md: no rules in signals)
# and because the step must run in the erase's transaction, before the
# cascade, while the person's registrations still say which seats they held.
_ERASE_STEPS = []


def erase_step_register(step):
    """Have `step(volunteer=...)` run inside every volunteer_erase, before the
    person's rows are deleted. Registering the same step twice runs it once."""
    if step not in _ERASE_STEPS:
        _ERASE_STEPS.append(step)
    return step


def volunteer_erase(*, volunteer, user):
    """Forget one person completely, on their request: the volunteer row,
    their registrations, attendance and team memberships (deleted with them),
    every audit entry about them reduced to one anonymous id, and the admin's
    own history of their record deleted.

    First, in the same transaction, each registered erase step runs
    (trainings: the seats they held go to the first person waiting, who is
    emailed after commit, and the rosters forget them). The keyed hashes
    of their phone and email are kept (signups.forgotten), so an import
    refuses them.

    Returns the anonymous id the audit log keeps. Coverage drops accordingly:
    an erased person no longer counts as a trained neighbor.
    """
    with transaction.atomic():
        volunteer_id = volunteer.pk
        for step in _ERASE_STEPS:
            step(volunteer=volunteer)
        # Their phone and email as keyed hashes, so an import of an old list
        # cannot bring them back (signups.forgotten).
        forgotten_contact_remember(volunteer=volunteer)
        Volunteer.objects.filter(pk=volunteer_id).delete()
        _forget_admin_history([volunteer_id])
        return audit_erase(user=user, volunteer_id=volunteer_id)
