"""Every change to registrations, attendance and trained status goes through
here: views, forms, the admin and commands call these functions so each rule
exists once."""

import csv
import datetime
import io
import uuid

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from signups.audit import audit_export
from signups.models import Volunteer
from trainings.models import Attendance, Registration, Session


class TrainingError(Exception):
    """A refusal: `message` is translated for the page, `code` is stable for
    tests and the phone's script."""

    def __init__(self, message, *, code):
        super().__init__(str(message))
        self.message = message
        self.code = code


# --- Registrations ------------------------------------------------------------


def registration_create(*, session, volunteer, language="en"):
    """Register `volunteer` for `session`, or put them on its waitlist when the
    session is full.

    Registering twice returns the first registration (a cancelled one comes
    back to life, at the end of the line). Refuses a session that is not
    open (`session_closed`). Side effect: none beyond the row.
    """
    with transaction.atomic():
        # The Session row decides: two people racing for the last seat are
        # serialized here, so the second one counts the first one's seat.
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if not locked.is_open_for_registration:
            raise TrainingError(_("This training is no longer open for registration."), code="session_closed")
        existing = Registration.objects.filter(session=locked, volunteer=volunteer).first()
        if existing and existing.status != Registration.Status.CANCELLED:
            return existing
        taken = Registration.objects.filter(session=locked, status=Registration.Status.REGISTERED).count()
        status = Registration.Status.REGISTERED if taken < locked.capacity else Registration.Status.WAITLISTED
        if existing:
            existing.status = status
            existing.language = language
            existing.created_at = timezone.now()
            existing.reminder_sent_at = None
            existing.save(update_fields=["status", "language", "created_at", "reminder_sent_at", "updated_at"])
            return existing
        registration = Registration(session=locked, volunteer=volunteer, status=status, language=language)
        registration.full_clean(exclude=["session", "volunteer"], validate_constraints=False)
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            # Same person, same moment, another request (a double tap on a
            # slow phone): theirs won, and it is ours too.
            return Registration.objects.get(session=locked, volunteer=volunteer)
        return registration


def registration_cancel(*, registration):
    """The "I can't come" link: free the seat and move the first person on the
    waitlist up. Returns the promoted registration or None. Cancelling twice
    changes nothing. Side effect: the promoted person is emailed (after
    commit) when they gave an email."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=registration.session_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == Registration.Status.CANCELLED:
            return None
        current.status = Registration.Status.CANCELLED
        current.save(update_fields=["status", "updated_at"])
        registration.status = current.status
        return _promote_from_waitlist(session)


def _promote_from_waitlist(session):
    taken = Registration.objects.filter(session=session, status=Registration.Status.REGISTERED).count()
    if taken >= session.capacity or session.status != Session.Status.SCHEDULED:
        return None
    promoted = (
        Registration.objects.select_for_update()
        .filter(session=session, status=Registration.Status.WAITLISTED)
        .select_related("volunteer", "session__topic")
        .order_by("created_at", "pk")
        .first()
    )
    if promoted is None:
        return None
    promoted.status = Registration.Status.REGISTERED
    promoted.save(update_fields=["status", "updated_at"])
    if promoted.volunteer.email:
        transaction.on_commit(lambda: _send_registration_email(promoted, kind="promoted"))
    return promoted


def registration_send_reminders(*, now=None):
    """Email everyone registered (not waitlisted, not cancelled) with an email
    address for a session starting within the next 24 hours, once.

    Each registration is claimed with a conditional UPDATE before its email is
    queued, so two overlapping cron runs cannot both send it. Returns the
    number of reminders sent."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        reminder_sent_at__isnull=True,
        session__status=Session.Status.SCHEDULED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + datetime.timedelta(hours=24),
    ).exclude(volunteer__email="").select_related("volunteer", "session__topic")
    sent = 0
    for registration in due:
        with transaction.atomic():
            claimed = Registration.objects.filter(pk=registration.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if claimed:
                transaction.on_commit(
                    lambda r=registration: _send_registration_email(r, kind="reminder")
                )
                sent += 1
    return sent


def registration_language(registration):
    if registration.language in ("en", "es"):
        return registration.language
    return "es" if registration.volunteer.language == "es" else "en"


def _send_registration_email(registration, *, kind):
    volunteer = registration.volunteer
    with translation.override(registration_language(registration)):
        # An email has no request to build a link from: SITE_URL says where
        # the site lives.
        path = reverse("trainings:registration", args=[registration.cancel_token])
        context = {
            "registration": registration,
            "session": registration.session,
            "volunteer": volunteer,
            "registration_url": settings.SITE_URL.rstrip("/") + path,
        }
        if kind == "reminder":
            subject = gettext("Reminder: your training is tomorrow")
        else:
            subject = gettext("A seat opened up: you are registered for the training")
        body = render_to_string(f"trainings/email/{kind}.txt", context)
    send_mail(subject, body, None, [volunteer.email])


def registration_calendar(*, registration):
    """An .ics file for one registration, in the person's language, with the
    exact address (only people who registered get this file)."""
    import icalendar

    session = registration.session
    with translation.override(registration_language(registration)):
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Resistance Zone//Trainings//EN")
        calendar.add("version", "2.0")
        event = icalendar.Event()
        event.add("uid", f"session-{session.pk}-registration-{registration.pk}@resistance-zone")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", str(session.topic.name))
        event.add("location", f"{session.location_name}, {session.address}")
        event.add(
            "description",
            gettext("Know-your-rights training in {language}. If you can't come, please let us know.").format(
                language=session.get_language_display()
            ),
        )
        calendar.add_component(event)
    return calendar.to_ical()


# --- Attendance ---------------------------------------------------------------


def attendance_record(*, session, volunteer, nonce, at=None, by=None, walk_in=False):
    """Check `volunteer` in to `session`.

    `nonce` is the id the phone made for this check-in: sending it again
    (a retry, a duplicated offline replay) returns the first row and changes
    nothing. A person already checked in (say by another trainer at the same
    moment) keeps the one check-in. `at` is the phone's time.

    Refuses a cancelled session (`session_cancelled`) and a nonce already used
    for someone else (`nonce_reused`). When the session is already done, the
    person's trained status is recomputed.
    """
    nonce = _as_uuid(nonce)
    previous = Attendance.objects.filter(nonce=nonce).first()
    if previous is not None:
        if previous.session_id != session.pk or previous.volunteer_id != volunteer.pk:
            raise TrainingError(_("This check-in was already used for someone else."), code="nonce_reused")
        return previous
    if session.status == Session.Status.CANCELLED:
        raise TrainingError(_("This training was cancelled."), code="session_cancelled")
    with transaction.atomic():
        standing = Attendance.objects.active().filter(session=session, volunteer=volunteer).first()
        if standing is not None:
            return standing
        attendance = Attendance(
            session=session,
            volunteer=volunteer,
            nonce=nonce,
            phone_at=at,
            checked_in_by=by if by is not None and by.is_authenticated else None,
            walk_in=walk_in,
        )
        try:
            with transaction.atomic():
                attendance.save()
        except IntegrityError:
            # Another request won the race: the same nonce replayed, or another
            # trainer checking in the same person. Either way, theirs is ours.
            winner = (
                Attendance.objects.filter(nonce=nonce).first()
                or Attendance.objects.active().filter(session=session, volunteer=volunteer).first()
            )
            if winner is None:
                raise
            return winner
        if session.status == Session.Status.DONE:
            volunteer_training_status_refresh(volunteers=[volunteer])
    return attendance


def attendance_undo(*, session, nonce, by=None):
    """Undo the check-in made with `nonce` in `session` (a mistaken tap).

    Undoing twice, or undoing a check-in this server never saw, changes
    nothing and returns None. The row is kept, marked undone, so a late replay
    of the same check-in does not bring it back."""
    nonce = _as_uuid(nonce)
    with transaction.atomic():
        attendance = (
            Attendance.objects.select_for_update()
            .filter(session=session, nonce=nonce)
            .select_related("volunteer")
            .first()
        )
        if attendance is None or attendance.undone_at is not None:
            return None
        attendance.undone_at = timezone.now()
        attendance.save(update_fields=["undone_at"])
        if session.status == Session.Status.DONE:
            volunteer_training_status_refresh(volunteers=[attendance.volunteer])
    return attendance


def attendance_record_walk_in(
    *, session, nonce, name, phone="", email="", language="en", address="", zip_code="", consent, at=None, by=None
):
    """A walk-in: find or create the Volunteer (as the sign-up form does),
    place them on their block when the address resolves, and check them in.

    Replaying the same nonce returns the first check-in without touching the
    volunteer again. Refuses without consent (`consent_required`)."""
    previous = Attendance.objects.filter(nonce=_as_uuid(nonce)).first()
    if previous is not None:
        if previous.session_id != session.pk:
            raise TrainingError(_("This check-in was already used for someone else."), code="nonce_reused")
        return previous
    if not consent:
        raise TrainingError(_("We need the person's consent to keep their contact."), code="consent_required")
    with transaction.atomic():
        volunteer = volunteer_for_training(
            name=name, phone=phone, email=email, language=language, address=address,
            zip_code=zip_code, source=Volunteer.Source.WALK_IN,
        )
        # Someone who registered and then used the walk-in form (their name
        # was missed on the roster) is not a walk-in.
        registered = (
            Registration.objects.filter(session=session, volunteer=volunteer)
            .exclude(status=Registration.Status.CANCELLED)
            .exists()
        )
        return attendance_record(
            session=session, volunteer=volunteer, nonce=nonce, at=at, by=by, walk_in=not registered
        )


def volunteer_for_training(*, name, phone, email, language, address, zip_code, source):
    """Find the person by phone or email, or create them, exactly as sign-up
    does (signups.services.volunteer_upsert); the address places them on
    their block. Returns the Volunteer. Refusals are signups' SignupError."""
    from signups.services import volunteer_upsert
    from zones.services import block_for_address

    block, resolved = block_for_address(text=address) if address else (None, None)
    volunteer, _created = volunteer_upsert(
        name=name,
        phone=phone,
        email=email,
        language=language,
        block=block,
        # The house number found the block; it is kept only if the
        # organization chose to keep street addresses.
        street_address=f"{resolved.house_number} {resolved.street}"
        if resolved and settings.KEEP_STREET_ADDRESSES
        else "",
        zip_code=zip_code,
        source=source,
        consent_version=settings.CONSENT_VERSION,
    )
    return volunteer


def _as_uuid(value):
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise TrainingError(_("This check-in has no valid id. Reload the page."), code="bad_nonce") from None


# --- Sessions and trained status ---------------------------------------------


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


# --- Exports ------------------------------------------------------------------


def attendance_export_csv(*, session, user=None):
    """The attendance of one session as a CSV document (bytes), UTF-8 with a
    byte-order mark so spreadsheet programs read accents in names right.

    `user` is who asked: every export of attendance leaves through here."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [gettext("Name"), gettext("Phone"), gettext("Email"), gettext("Language"),
         gettext("Checked in at"), gettext("Walk-in")]
    )
    rows = Attendance.objects.active().filter(session=session).select_related("volunteer").order_by("volunteer__name")
    for attendance in rows:
        volunteer = attendance.volunteer
        writer.writerow(
            [
                _spreadsheet_safe(volunteer.name),
                volunteer.phone,
                _spreadsheet_safe(volunteer.email),
                volunteer.get_language_display(),
                timezone.localtime(attendance.checked_in_at).strftime("%Y-%m-%d %H:%M"),
                gettext("yes") if attendance.walk_in else gettext("no"),
            ]
        )
    audit_export(
        user=user, model="trainings.attendance", row_count=len(rows),
        detail=f"attendance CSV of session {session.pk}",
    )
    return out.getvalue().encode("utf-8")


def _spreadsheet_safe(value):
    # A name typed as "=HYPERLINK(...)" must stay text when opened in a
    # spreadsheet (CSV injection).
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value
