"""Registrations: seats, the waitlist, "I can't come", reminders and the
calendar file."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pagecache.pages import generation_bump
from trainings.models import Attendance, Registration, Session, new_cancel_token
from trainings.services.common import TrainingError


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
            # A new registration, a new secret: the old link (in an old email)
            # opens nothing any more.
            existing.cancel_token = new_cancel_token()
            existing.save(
                update_fields=["status", "language", "created_at", "reminder_sent_at", "cancel_token", "updated_at"]
            )
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


def registration_rsvp(*, session, volunteer, language="en"):
    """An RSVP from the public session page. Returns (registration,
    already_registered).

    A phone number is not a password: when this person already holds a seat
    or a waitlist place in the session, the post may come from anyone who
    knows their phone or email. Then nothing changes hands: the caller shows
    no registration, and the registration's link is sent again, rotated, to
    the email on file (registration_link_resend). Otherwise as
    registration_create (the new registration's page is the submitter's:
    they made it)."""
    existing = (
        Registration.objects.filter(session=session, volunteer=volunteer)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("volunteer", "session__topic")
        .first()
    )
    if existing is not None:
        registration_link_resend(registration=existing)
        return existing, True
    return registration_create(session=session, volunteer=volunteer, language=language), False


def registration_link_resend(*, registration):
    """Email the registration's link again to the email on file, under a new
    secret (the link is a bearer secret: one sent again is rotated, so an
    older copy, forwarded or left in a shared inbox, stops working).

    Without an email on file nothing is sent and the link is kept: rotating
    it would only lock the person out of their own page."""
    volunteer = registration.volunteer
    if not volunteer.email:
        return False
    registration.cancel_token = new_cancel_token()
    registration.save(update_fields=["cancel_token", "updated_at"])
    transaction.on_commit(lambda: _send_registration_email(registration, kind="link"))
    return True


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


def registrations_forget(*, volunteer):
    """Forget-me's step for trainings (signups.retention.volunteer_erase runs
    it, registered in trainings.apps): delete the person's registrations and
    give each seat they held to the first person on that session's waitlist,
    emailed after commit as with "I can't come". Their check-ins go with the
    person's row. Returns the promoted registrations."""
    with transaction.atomic():
        session_ids = set(Registration.objects.filter(volunteer=volunteer).values_list("session_id", flat=True))
        # Each Session row decides its seats, as in registration_create: a
        # newcomer racing the erasure waits here and then counts the promoted
        # person's seat. Locked in one order, so two erasures sharing
        # sessions cannot deadlock.
        sessions = list(Session.objects.select_for_update().filter(pk__in=session_ids).order_by("pk"))
        Registration.objects.filter(volunteer=volunteer).delete()
        promoted = [registration for session in sessions if (registration := _promote_from_waitlist(session))]
        # Every roster that showed them, registered or walked in, renders
        # again without their name: said here rather than left to the
        # cascade's signals, which a faster delete would skip.
        session_ids |= set(Attendance.objects.filter(volunteer=volunteer).values_list("session_id", flat=True))
        generation_bump("rosters", *(f"roster-{pk}" for pk in sorted(session_ids)))
    return promoted


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
    update_fields = ["status", "updated_at"]
    if promoted.volunteer.email:
        # The link goes out again by email: a new secret (see
        # registration_link_resend).
        promoted.cancel_token = new_cancel_token()
        update_fields.append("cancel_token")
        transaction.on_commit(lambda: _send_registration_email(promoted, kind="promoted"))
    promoted.save(update_fields=update_fields)
    return promoted


def registration_send_reminders(*, now=None):
    """Email everyone registered (not waitlisted, not cancelled) with an email
    address for a session starting within the next 24 hours, once.

    Each registration is claimed with a conditional UPDATE before its email is
    queued, so two overlapping cron runs cannot both send it; the same UPDATE
    rotates its link. Returns the number of reminders sent."""
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
            # The reminder carries the link again, so under a new secret: a
            # copy of an older email (forwarded, in a shared inbox) stops
            # opening the registration.
            registration.cancel_token = new_cancel_token()
            claimed = Registration.objects.filter(pk=registration.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now, cancel_token=registration.cancel_token
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
        elif kind == "link":
            subject = gettext("Your training registration link")
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
        # Every topic, not only know-your-rights; and the link that frees the
        # seat, since "let us know" alone left people no way to do it.
        path = reverse("trainings:registration", args=[registration.cancel_token])
        event.add(
            "description",
            gettext(
                "{topic}. Language: {language}. If you can't come, tell us here so "
                "someone else can have your seat: {url}"
            ).format(
                topic=session.topic.name,
                language=session.get_language_display(),
                url=settings.SITE_URL.rstrip("/") + path,
            ),
        )
        calendar.add_component(event)
    return calendar.to_ical()
