"""Training reminders, the day before and two hours before, and the
answers to "Reply 1 if you're coming, 2 if you can't"."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from messaging.models import Kind, Message
from signups.templatetags.date_ranges import time_range_text
from trainings.models import Registration, Session
from trainings.services.registration_messages import registration_message_queue
from trainings.services.registrations import registration_cancel
from trainings.templatetags.training_dates import long_day


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
                message = registration_message_queue(
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


def _reminder_key(which, registration):
    return f"reminder-{which}:{registration.pk}:{registration.created_at.timestamp():.0f}"


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
