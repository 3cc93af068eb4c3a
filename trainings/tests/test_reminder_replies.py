"""A text reminder asks "Reply 1 if you're coming, 2 if you can't": "2"
frees the seat and moves the waitlist up exactly as "I can't come" does,
"1" confirms, and each answer is confirmed by text in the person's
language.

End to end: the reminder leaves through the worker to a loopback Twilio,
the person's reply comes back signed to our inbound webhook, and the
answers leave through the worker again."""

import datetime

import pytest
from django.utils import timezone

from messaging.inbound import inbound_message_handle
from messaging.tests.worker import worker_run_queued
from signups.tests.factories import VolunteerFactory
from trainings.models import Registration
from trainings.services import registration_send_reminders
from trainings.tests.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, settings, twilio_fake):
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def full_session():
    """Rosa holds the one seat and is reminded by text; Ana waits."""
    session = SessionFactory(capacity=1, starts_at=timezone.now() + datetime.timedelta(hours=20))
    long_ago = timezone.now() - datetime.timedelta(days=3)
    rosa = RegistrationFactory(
        session=session, created_at=long_ago,
        volunteer=VolunteerFactory(name="Rosa", phone="+12155550101", language="es", contact_methods=["text"]),
    )
    ana = RegistrationFactory(
        session=session, created_at=long_ago + datetime.timedelta(minutes=1), status=Registration.Status.WAITLISTED,
        volunteer=VolunteerFactory(name="Ana", phone="+12155550102", language="en", contact_methods=["text"]),
    )
    return session, rosa, ana


def test_replying_2_gives_the_seat_to_the_waitlist_and_says_so(site, twilio_fake, full_session):
    session, rosa, ana = full_session
    registration_send_reminders()
    worker_run_queued()
    [reminder] = twilio_fake.sent_to("+12155550101")
    assert "Responde 1 si vienes, 2 si no puedes." in reminder

    status, _ = twilio_fake.inbound_send(f"{site}/messaging/twilio/inbound", from_="+12155550101", body="2")
    assert status == 200
    worker_run_queued()

    assert Registration.objects.get(pk=rosa.pk).status == Registration.Status.CANCELLED
    assert Registration.objects.get(pk=ana.pk).status == Registration.Status.REGISTERED
    [_, answer] = twilio_fake.sent_to("+12155550101")
    assert answer.startswith(f"Gracias por avisarnos: cancelamos tu inscripción a «{session.topic.name_es}»")
    # Ana hears of her seat by text, in English, with her link.
    [seat] = twilio_fake.sent_to("+12155550102")
    ana.refresh_from_db()
    assert seat.startswith("A seat opened up and it is yours")
    assert f"/en/trainings/r/{ana.cancel_token}/" in seat


def test_replying_1_confirms_and_says_when(site, twilio_fake, full_session):
    session, rosa, ana = full_session
    registration_send_reminders()
    worker_run_queued()
    twilio_fake.inbound_send(f"{site}/messaging/twilio/inbound", from_="+12155550101", body="1")
    worker_run_queued()
    rosa.refresh_from_db()
    assert rosa.status == Registration.Status.REGISTERED
    assert rosa.confirmed_at is not None
    answer = twilio_fake.sent_to("+12155550101")[-1]
    assert answer.startswith(f"¡Gracias! Nos vemos en «{session.topic.name_es}»")
    assert Registration.objects.get(pk=ana.pk).status == Registration.Status.WAITLISTED


@pytest.mark.parametrize("reply", ["1", "si", "SÍ", "Sí, voy", "yes", "YES!"])
def test_the_ways_of_saying_yes(full_session, reply):
    session, rosa, ana = full_session
    registration_send_reminders()
    assert inbound_message_handle(number="+12155550101", text=reply) == "handled"
    rosa.refresh_from_db()
    assert rosa.confirmed_at is not None
    assert rosa.status == Registration.Status.REGISTERED


@pytest.mark.parametrize("reply", ["2", "no", "NO", "No puedo"])
def test_the_ways_of_saying_no(full_session, reply):
    session, rosa, ana = full_session
    registration_send_reminders()
    inbound_message_handle(number="+12155550101", text=reply)
    assert Registration.objects.get(pk=rosa.pk).status == Registration.Status.CANCELLED
    assert Registration.objects.get(pk=ana.pk).status == Registration.Status.REGISTERED


def test_an_unclear_reply_changes_nothing_and_asks_again(full_session, texts):
    session, rosa, ana = full_session
    registration_send_reminders()
    worker_run_queued()
    inbound_message_handle(number="+12155550101", text="no sé si puedo")
    worker_run_queued()
    rosa.refresh_from_db()
    assert rosa.status == Registration.Status.REGISTERED and rosa.confirmed_at is None
    assert texts[-1]["body"].startswith("Perdona, no te entendimos. Responde 1 si vienes a «")


def test_saying_2_twice_frees_one_seat(full_session):
    session, rosa, ana = full_session
    third = RegistrationFactory(session=session, status=Registration.Status.WAITLISTED)
    registration_send_reminders()
    inbound_message_handle(number="+12155550101", text="2", message_sid="SMreply1")
    inbound_message_handle(number="+12155550101", text="2", message_sid="SMreply2")
    assert Registration.objects.get(pk=ana.pk).status == Registration.Status.REGISTERED
    assert Registration.objects.get(pk=third.pk).status == Registration.Status.WAITLISTED


def test_yes_after_cancelling_does_not_take_the_seat_back(full_session, texts):
    session, rosa, ana = full_session
    registration_send_reminders()
    inbound_message_handle(number="+12155550101", text="2", message_sid="SMreply1")
    inbound_message_handle(number="+12155550101", text="1", message_sid="SMreply2")
    worker_run_queued()
    assert Registration.objects.get(pk=rosa.pk).status == Registration.Status.CANCELLED
    assert Registration.objects.get(pk=ana.pk).status == Registration.Status.REGISTERED
    assert texts[-1]["body"].startswith("Tu inscripción a «")


def test_a_text_after_the_training_is_not_an_answer(full_session, texts):
    session, rosa, ana = full_session
    registration_send_reminders()
    worker_run_queued()
    session.starts_at = timezone.now() - datetime.timedelta(hours=3)
    session.ends_at = timezone.now() - datetime.timedelta(hours=1)
    session.save()
    inbound_message_handle(number="+12155550101", text="no")
    worker_run_queued()
    assert Registration.objects.get(pk=rosa.pk).status == Registration.Status.REGISTERED
    assert len(texts) == 1  # the reminder, and no answer
