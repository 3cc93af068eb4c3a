"""Training reminders go through the messaging worker, the day before and
two hours before, by each person's channel, in their language, to the
people who agreed to reminders; a text asks for 1 or 2 back.

`manage.py send_reminders` (cron, every 15 minutes) queues what is due;
the real worker (db_worker) sends it."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from messaging.models import Channel, Kind, Message
from messaging.tests.worker import worker_run_queued
from signups.tests.factories import VolunteerFactory
from trainings.models import Registration
from trainings.services import registration_cancel, registration_create, registration_send_reminders
from trainings.tests.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

DAYS_AGO = datetime.timedelta(days=3)


def _in(hours):
    return timezone.now() + datetime.timedelta(hours=hours)


def _registered_long_ago(session, **volunteer):
    return RegistrationFactory(
        session=session, volunteer=VolunteerFactory(**volunteer), created_at=timezone.now() - DAYS_AGO
    )


def _run():
    out = StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue().strip()


def test_the_day_before_each_person_hears_once_by_their_own_channel_and_language(texts):
    tomorrow = SessionFactory(starts_at=_in(20), address="1409 S 9th St (side door)")
    by_text = _registered_long_ago(tomorrow, phone="+12155550101", contact_methods=["text"], language="es")
    by_email = _registered_long_ago(tomorrow, email="ana@example.org", contact_methods=["email"], language="en")
    assert _run() == "Reminders queued: 2"
    assert _run() == "Reminders queued: 0"
    worker_run_queued()
    worker_run_queued()

    # One text and one email, never both to one person.
    assert [text["to"] for text in texts] == ["+12155550101"]
    assert [email.to for email in mail.outbox] == [["ana@example.org"]]
    text = texts[0]["body"]
    assert text.startswith(f"Recordatorio: tu taller «{tomorrow.topic.name_es}» es mañana")
    assert "1409 S 9th St (side door)" in text
    assert "Responde 1 si vienes, 2 si no puedes." in text
    email = mail.outbox[0]
    assert email.subject == "Reminder: your training is tomorrow"
    assert tomorrow.address in email.body
    by_email.refresh_from_db()
    assert f"/en/trainings/r/{by_email.cancel_token}/" in email.body

    messages = {m.volunteer_id: m for m in Message.objects.all()}
    assert messages[by_text.volunteer_id].kind == Kind.REMINDER
    assert messages[by_text.volunteer_id].channel == Channel.SMS
    # A reply to the text goes to the registration it is about.
    assert messages[by_text.volunteer_id].reply_topic == f"registration:{by_text.pk}"
    # Not worth sending once the training has begun.
    assert messages[by_text.volunteer_id].expires_at == tomorrow.starts_at


def test_the_email_reminder_carries_the_link_under_a_new_secret_and_the_text_keeps_it():
    tomorrow = SessionFactory(starts_at=_in(20))
    by_email = _registered_long_ago(tomorrow, contact_methods=["email"])
    by_text = _registered_long_ago(tomorrow, contact_methods=["text"])
    old_email_token, old_text_token = by_email.cancel_token, by_text.cancel_token
    registration_send_reminders()
    by_email.refresh_from_db()
    by_text.refresh_from_db()
    assert by_email.cancel_token != old_email_token
    assert Client().get(reverse("trainings:registration", args=[old_email_token])).status_code == 404
    # The text asks for 1 or 2 and carries no link: the one the person has
    # keeps working.
    assert by_text.cancel_token == old_text_token


def test_two_hours_before_comes_a_second_reminder():
    session = SessionFactory(starts_at=_in(20))
    registration = _registered_long_ago(session, contact_methods=["text"])
    registration_send_reminders(now=timezone.now())
    registration_send_reminders(now=session.starts_at - datetime.timedelta(minutes=100))
    registration_send_reminders(now=session.starts_at - datetime.timedelta(minutes=85))
    keys = sorted(Message.objects.values_list("idempotency_key", flat=True))
    assert [key.split(":")[0] for key in keys] == ["reminder-day", "reminder-soon"]
    soon = Message.objects.get(idempotency_key__startswith="reminder-soon")
    assert "empieza en dos horas" in soon.body
    assert soon.reply_topic == f"registration:{registration.pk}"


def test_a_reminder_whose_moment_passed_is_not_made_up():
    # Registered an hour ago for a session in 20 hours: the day-before
    # moment had passed already (the confirmation said it all).
    late = RegistrationFactory(session=SessionFactory(starts_at=_in(20)), created_at=timezone.now())
    assert registration_send_reminders() == 0
    # And in the last two hours only the two-hour reminder goes, even when
    # the day-before one was never sent (the cron was down).
    session = SessionFactory(starts_at=_in(1.5))
    _registered_long_ago(session)
    assert registration_send_reminders() == 1
    assert list(Message.objects.values_list("idempotency_key", flat=True))[0].startswith("reminder-soon")
    assert not Message.objects.filter(volunteer=late.volunteer).exists()


def test_nobody_else_is_reminded():
    tomorrow = SessionFactory(starts_at=_in(20))
    _registered_long_ago(tomorrow, message_kinds=["news"])  # did not agree to reminders
    for status in (Registration.Status.WAITLISTED, Registration.Status.CANCELLED):
        RegistrationFactory(session=tomorrow, status=status, created_at=timezone.now() - DAYS_AGO)
    _registered_long_ago(SessionFactory(starts_at=_in(24 * 3)))
    _registered_long_ago(SessionFactory(starts_at=_in(20), status="cancelled"))
    assert registration_send_reminders() == 0
    assert not Message.objects.exists()


def test_without_consent_to_reminders_the_link_is_not_rotated():
    registration = _registered_long_ago(SessionFactory(starts_at=_in(20)), contact_methods=["email"], message_kinds=[])
    token = registration.cancel_token
    registration_send_reminders()
    registration.refresh_from_db()
    assert registration.cancel_token == token


def test_registering_again_after_cancelling_is_reminded_again():
    session = SessionFactory(starts_at=_in(20))
    volunteer = VolunteerFactory()
    registration = registration_create(session=session, volunteer=volunteer)
    Registration.objects.filter(pk=registration.pk).update(created_at=timezone.now() - DAYS_AGO)
    assert registration_send_reminders() == 1
    registration_cancel(registration=registration)
    again = registration_create(session=session, volunteer=volunteer)
    Registration.objects.filter(pk=again.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    assert registration_send_reminders() == 1
    assert Message.objects.filter(kind=Kind.REMINDER).count() == 2


def test_two_runs_at_once_queue_each_reminder_once_with_the_link_that_works():
    """Two cron runs overlapping (a slow run, a second host): the row lock
    lets one of them rotate the link and queue the email; the other finds
    the message and leaves the link alone, so the link in the email works."""
    from tests.races import require_postgresql, run_at_once

    require_postgresql()
    registration = _registered_long_ago(SessionFactory(starts_at=_in(20)), contact_methods=["email"])
    results, errors = run_at_once(registration_send_reminders, registration_send_reminders)
    assert errors == []
    assert sorted(results) == [0, 1]
    message = Message.objects.get()
    registration.refresh_from_db()
    assert f"/trainings/r/{registration.cancel_token}/" in message.body


def test_people_who_asked_for_whatsapp_are_reminded_on_whatsapp(texts):
    registration = _registered_long_ago(
        SessionFactory(starts_at=_in(20)), phone="+12155550133", contact_methods=["whatsapp", "email"]
    )
    registration_send_reminders()
    worker_run_queued()
    assert Message.objects.get().channel == Channel.WHATSAPP
    assert [text["to"] for text in texts] == ["whatsapp:+12155550133"]
    assert mail.outbox == []
    assert Message.objects.get().reply_topic == f"registration:{registration.pk}"
