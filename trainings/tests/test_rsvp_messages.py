"""An RSVP is confirmed by each person's channel (a text for people who
text, with their link, and "reply 2 if you can't come"); a full session's
waitlist place is said too. The RSVP form asks which messages the person
wants, and only adds."""

import re

import pytest
from django.core import mail
from django.test import Client

from messaging.models import Message
from messaging.tests.worker import worker_run_queued
from signups.models import PendingChange, Volunteer
from signups.tests.factories import VolunteerFactory
from trainings.models import Registration
from trainings.tests.factories import RegistrationFactory, SessionFactory
from trainings.tests.test_public_pages import _rsvp

pytestmark = pytest.mark.django_db(transaction=True)


def _rsvps(session, lang="es", **overrides):
    return Client().post(f"/{lang}/trainings/{session.pk}/", _rsvp(**overrides), follow=True)


def test_a_new_registration_is_confirmed_by_text_with_its_link(texts):
    session = SessionFactory(address="1409 S 9th St (side door)")
    _rsvps(session, phone="215-555-0177", message_kinds=["reminder"])
    # Nothing during the request: the worker sends it.
    assert texts == []
    worker_run_queued()
    registration = Registration.objects.get()
    [text] = texts
    assert text["to"] == "+12155550177"
    assert text["body"].startswith(f"Te inscribimos en «{session.topic.name_es}»")
    assert "1409 S 9th St (side door)" in text["body"]
    # The same link as the page the person just saw: sent once, not rotated.
    assert f"/es/trainings/r/{registration.cancel_token}/" in text["body"]
    assert "Responde 2 si no puedes venir." in text["body"]
    assert Message.objects.get().reply_topic == f"registration:{registration.pk}"


def test_a_full_session_says_the_person_is_on_the_waitlist_without_the_address(texts):
    session = SessionFactory(capacity=1, address="1409 S 9th St (side door)")
    RegistrationFactory(session=session)
    _rsvps(session, phone="215-555-0177")
    worker_run_queued()
    [text] = texts
    assert "estás en la lista de espera" in text["body"]
    assert "1409 S 9th St" not in text["body"]
    # Nothing to answer: a "2" is for a seat.
    assert Message.objects.get().reply_topic == ""


def test_an_email_only_person_gets_the_confirmation_by_email():
    session = SessionFactory()
    _rsvps(session, lang="en", phone="", email="ana@example.org", language="en")
    worker_run_queued()
    registration = Registration.objects.get()
    [email] = mail.outbox
    assert email.to == ["ana@example.org"]
    assert email.subject == "You are registered for the training"
    assert registration.cancel_token in email.body


def test_a_double_submit_confirms_once(texts):
    session = SessionFactory()
    _rsvps(session, phone="215-555-0177")
    _rsvps(session, phone="215-555-0177")
    worker_run_queued()
    confirmations = [t for t in texts if t["body"].startswith("Te inscribimos")]
    assert len(confirmations) == 1


@pytest.mark.parametrize(("lang", "question", "reminders"), [
    ("en", "Which messages would you like from us?", "Reminders of the trainings I sign up for"),
    ("es", "¿Qué mensajes quieres recibir de nosotros?", "Recordatorios de los talleres a los que me inscriba"),
])
def test_the_rsvp_form_asks_which_messages_with_reminders_offered(lang, question, reminders):
    page = Client().get(f"/{lang}/trainings/{SessionFactory().pk}/").content.decode()
    assert question in page and reminders in page
    checked = re.findall(r'name="message_kinds" value="(\w+)"\s+id="\w+" checked', page)
    assert checked == ["reminder"]


def test_an_rsvp_keeps_the_kinds_ticked_for_a_new_person():
    _rsvps(SessionFactory(), phone="215-555-0177", message_kinds=["reminder", "urgent"])
    assert Volunteer.objects.get().message_kinds == ["reminder", "urgent"]


def test_an_rsvp_adds_kinds_to_a_known_person_and_takes_none_away():
    known = VolunteerFactory(name="Lucía Ramírez", phone="+12155550177", language="es", message_kinds=["news"])
    _rsvps(SessionFactory(), phone="215-555-0177", message_kinds=["reminder"])
    known.refresh_from_db()
    assert known.message_kinds == ["news", "reminder"]
    assert not PendingChange.objects.exists()
