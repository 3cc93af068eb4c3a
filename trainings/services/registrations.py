"""Registrations: seats, the waitlist, "I can't come", the link sent again
and the calendar file (reminders: trainings.services.reminders)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pagecache.pages import generation_bump
from signups.services import volunteer_reachable_on_file
from trainings.models import Attendance, Registration, Session, new_cancel_token
from trainings.services.common import TrainingError
from trainings.services.registration_messages import registration_message_queue, secret_hashed


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
            existing.confirmed_at = None
            # A new registration, a new secret: the old link (in an old email)
            # opens nothing any more.
            existing.cancel_token = new_cancel_token()
            existing.save(
                update_fields=[
                    "status", "language", "created_at", "reminder_sent_at", "confirmed_at", "cancel_token",
                    "updated_at",
                ]
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
    the person's phone or email on file (registration_link_resend).
    Otherwise as registration_create (the new registration's page is the
    submitter's: they made it), and the person is told by their channel
    (registered, or on the waitlist), on a contact they gave us before
    this post."""
    existing = (
        Registration.objects.filter(session=session, volunteer=volunteer)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("volunteer", "session__topic")
        .first()
    )
    if existing is not None:
        registration_link_resend(registration=existing, volunteer=volunteer)
        return existing, True
    with transaction.atomic():
        registration = registration_create(session=session, volunteer=volunteer, language=language)
        registration_message_queue(
            registration,
            "registered" if registration.status == Registration.Status.REGISTERED else "waitlisted",
            volunteer=volunteer_reachable_on_file(volunteer),
        )
    return registration, False


def registration_link_resend(*, registration, volunteer=None):
    """Send the registration's link again, under a new secret (the link is a
    bearer secret: one sent again is rotated, so an older copy, forwarded or
    left in a shared inbox, stops working), by the person's channel: email,
    or a text to people with only a phone.

    `volunteer`: the registration's volunteer as volunteer_upsert returned
    it, so that a phone or email the very post added is not used.

    When nothing reaches the person (no contact on file, opted out) nothing
    is sent and the link is kept: rotating it would only lock the person
    out of their own page. Returns True when a message was queued."""
    reachable = volunteer_reachable_on_file(volunteer or registration.volunteer)
    with transaction.atomic():
        # Two resends at once (two taps on a slow phone) take turns here, so
        # the second sends the secret the first one made, not an older one.
        registration.cancel_token = (
            Registration.objects.select_for_update().values_list("cancel_token", flat=True).get(pk=registration.pk)
        )
        return registration_message_queue(
            registration, "link", volunteer=reachable, rotate=True,
            # The key names the secret it replaces (hashed): one message
            # per link sent again.
            key=f"registration-link:{registration.pk}:{secret_hashed(registration.cancel_token)}",
        ) is not None


def registration_cancel(*, registration):
    """The "I can't come" link: free the seat and move the first person on the
    waitlist up. Returns the promoted registration or None. Cancelling twice
    changes nothing. Side effect: the promoted person is told by their
    channel, with their link under a new secret (queued; the worker sends
    it after the commit)."""
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
    told as with "I can't come". Their check-ins go with the
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
    promoted.save(update_fields=["status", "updated_at"])
    # Told by their channel, with the link under a new secret (see
    # registration_link_resend); the worker sends it after the commit.
    registration_message_queue(promoted, "promoted", volunteer=promoted.volunteer, rotate=True)
    return promoted


def registration_language(registration):
    if registration.language in ("en", "es"):
        return registration.language
    return "es" if registration.volunteer.language == "es" else "en"


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
