"""Registrations: seats, the waitlist, "I can't come", reminders and the
calendar file."""

import datetime
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from messaging.models import Channel, Kind, Message
from messaging.outbox import channel_for, message_language, message_queue
from pagecache.pages import generation_bump
from signups.services import volunteer_reachable_on_file
from signups.templatetags.date_ranges import time_range_text
from trainings.models import Attendance, Registration, Session, new_cancel_token
from trainings.services.common import TrainingError
from trainings.templatetags.training_dates import long_day


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
        _registration_message_queue(
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
        return _registration_message_queue(
            registration, "link", volunteer=reachable, rotate=True,
            # The key names the secret it replaces (hashed): one message
            # per link sent again.
            key=f"registration-link:{registration.pk}:{_hashed(registration.cancel_token)}",
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


def registration_reply(volunteer, topic_id, text):
    """A text answering "Reply 1 if you're coming, 2 if you can't"
    (messaging.inbound calls it for replies to messages whose reply_topic is
    "registration:<pk>"). "1", "sí", "yes" confirm; "2", "no" free the seat
    exactly as "I can't come" does, moving the waitlist up. Returns the
    answer to text back, in the active language (the person's)."""
    from messaging.inbound import words_of

    registration = (
        Registration.objects.filter(pk=int(topic_id) if str(topic_id).isdigit() else None, volunteer=volunteer)
        .select_related("session__topic")
        .first()
    )
    if registration is None or registration.session.ends_at < timezone.now():
        # A text days after the training ("thanks!") is not an answer to
        # its reminder.
        return None
    words = set(words_of(text))
    coming, not_coming = bool(words & REPLY_COMING), bool(words & REPLY_NOT_COMING)
    session = registration.session
    topic = session.topic.name
    if coming == not_coming:
        return gettext("Sorry, we didn't understand. Reply 1 if you're coming to “{topic}”, 2 if you can't.").format(
            topic=topic
        )
    if not_coming:
        registration_cancel(registration=registration)
        return gettext(
            "Thank you for letting us know: your registration for “{topic}” is cancelled, and your seat goes "
            "to someone on the waitlist."
        ).format(topic=topic)
    if registration.status == Registration.Status.CANCELLED:
        return gettext(
            "Your registration for “{topic}” was cancelled. To come, register again on our website."
        ).format(topic=topic)
    if registration.status == Registration.Status.WAITLISTED:
        return gettext(
            "You are still on the waitlist for “{topic}”: we will write to you if a seat opens up."
        ).format(topic=topic)
    Registration.objects.filter(pk=registration.pk).update(confirmed_at=timezone.now())
    return gettext("Thank you! We'll see you at “{topic}”, {day}, {time}.").format(
        topic=topic, day=long_day(session.starts_at), time=time_range_text(session.starts_at, session.ends_at)
    )


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
    _registration_message_queue(promoted, "promoted", volunteer=promoted.volunteer, rotate=True)
    return promoted


def registration_send_reminders(*, now=None):
    """Queue the reminders that are due: the day before a session (24 hours
    ahead) and two hours before it, to everyone registered (not waitlisted,
    not cancelled), by each person's channel, in their language, if they
    agreed to training reminders. Run every 15 minutes by cron
    (`manage.py send_reminders`; README, "Messages").

    Who is due is read from the database at each run, so a session moved or
    cancelled, or a seat taken late, is reminded as it stands then. A
    reminder's moment is missed, not made up: someone who registered after
    it gets the next one only, and the day-before reminder is no longer
    sent once the two-hour one is due. Each reminder has its idempotency
    key (registration, which reminder, that registration's time), so
    overlapping or repeated runs queue it once. Returns the number queued."""
    now = now or timezone.now()
    queued = 0
    for which, ahead, before in REMINDERS:
        due = (
            Registration.objects.filter(
                status=Registration.Status.REGISTERED,
                session__status=Session.Status.SCHEDULED,
                session__starts_at__gt=now + before,
                session__starts_at__lte=now + ahead,
                created_at__lte=F("session__starts_at") - ahead,
            )
            .select_related("volunteer", "session__topic")
            .order_by("session__starts_at", "pk")
        )
        for registration in due:
            with transaction.atomic():
                # The row lock serializes two runs over one registration: the
                # second finds the first's message under the key and leaves
                # the link the first one sent alone.
                locked = Registration.objects.select_for_update().filter(
                    pk=registration.pk, status=Registration.Status.REGISTERED
                ).first()
                if locked is None or Message.objects.filter(idempotency_key=_reminder_key(which, locked)).exists():
                    continue
                locked.session, locked.volunteer = registration.session, registration.volunteer
                # An email reminder carries the link again, so under a new
                # secret; a text asks for 1 or 2 instead.
                message = _registration_message_queue(
                    locked, f"reminder_{which}", volunteer=locked.volunteer, kind=Kind.REMINDER,
                    key=_reminder_key(which, locked), rotate=True, expires_at=locked.session.starts_at,
                )
                if message is not None:
                    Registration.objects.filter(pk=locked.pk).update(reminder_sent_at=now)
                    queued += 1
    return queued


# (name, how long before the start it is due, until how long before).
REMINDERS = (
    ("day", datetime.timedelta(hours=24), datetime.timedelta(hours=2)),
    ("soon", datetime.timedelta(hours=2), datetime.timedelta(0)),
)

# The words of a reply to a reminder (messaging.inbound.words_of: lower
# case, no accents, so "SÍ" is "si").
REPLY_COMING = {"1", "si", "yes"}
REPLY_NOT_COMING = {"2", "no"}


def _hashed(secret):
    # Keys show in the admin: never a secret itself.
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


def _reminder_key(which, registration):
    return f"reminder-{which}:{registration.pk}:{registration.created_at.timestamp():.0f}"


def registration_language(registration):
    if registration.language in ("en", "es"):
        return registration.language
    return "es" if registration.volunteer.language == "es" else "en"


def _registration_message_queue(registration, template, *, volunteer, kind=Kind.TRANSACTIONAL, key=None,
                                rotate=False, expires_at=None):
    """Queue one message about `registration` to `volunteer` (the
    registration's, possibly limited to the contacts on file) from
    templates/messages/trainings/<template>.*, in the person's language.

    With `rotate`, a message that carries the registration's link carries
    it under a new secret, kept only when the message is queued (one the
    person cannot get, for want of consent or after an opt-out, leaves the
    link they have working). A text awaits a reply about the registration
    (registration_reply). Returns the Message or None."""
    channel = channel_for(volunteer)
    if channel is None:
        return None
    key = key or f"registration-{template}:{registration.pk}:{registration.created_at.timestamp():.0f}"
    queued_before = Message.objects.filter(idempotency_key=key).first()
    if queued_before is not None:
        # Sent once already: its link is the one the person has.
        return queued_before
    token = registration.cancel_token
    carries_link = channel == Channel.EMAIL or template in TEXTS_WITH_LINK
    if rotate and carries_link:
        token = new_cancel_token()
    with translation.override(message_language(volunteer)):
        path = reverse("trainings:registration", args=[token])
    message = message_queue(
        volunteer,
        kind=kind,
        key=key,
        template=f"trainings/{template}",
        context={
            "registration": registration,
            "session": registration.session,
            "volunteer": volunteer,
            # A message has no request to build a link from: SITE_URL says
            # where the site lives.
            "registration_url": settings.SITE_URL.rstrip("/") + path,
        },
        reply_topic="" if channel == Channel.EMAIL or template in TEXTS_WITHOUT_REPLY else f"registration:{registration.pk}",
        expires_at=expires_at,
    )
    # Kept only when the message queued is the one that carries the new
    # secret (not one queued under the same key by a racing call).
    if message is not None and token != registration.cancel_token and token in message.body:
        registration.cancel_token = token
        Registration.objects.filter(pk=registration.pk).update(cancel_token=token, updated_at=timezone.now())
    return message


# Texts that carry the registration's link (a text reminder asks for 1 or 2
# instead: shorter, and the link the person has keeps working), and texts
# that ask nothing back.
TEXTS_WITH_LINK = {"registered", "waitlisted", "promoted", "link"}
TEXTS_WITHOUT_REPLY = {"waitlisted", "link"}


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
