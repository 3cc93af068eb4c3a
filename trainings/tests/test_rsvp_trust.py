"""A repeat RSVP never hands out the existing registration's secret link:
it says the phone or email is registered and sends the link again, rotated,
to the person's email on file, or by text to their phone on file, through
the messaging worker; never to a contact typed in the post."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from messaging.tests.worker import worker_run_queued
from signups.tests.factories import VolunteerFactory
from trainings.models import Registration
from trainings.tests.factories import RegistrationFactory, SessionFactory
from trainings.tests.test_public_pages import _rsvp

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration():
    neighbor = VolunteerFactory(
        name="Rosa Muñoz", phone="+12155550123", email="rosa@example.org", language="es", contact_methods=["email"],
    )
    return RegistrationFactory(session=SessionFactory(address="1409 S 9th St (side door)"), volunteer=neighbor)


def _stranger_rsvps(registration, lang="en", **overrides):
    url = f"/{lang}/trainings/{registration.session.pk}/"
    return Client().post(url, _rsvp(**{"name": "Anyone", "phone": "215-555-0123", **overrides}), follow=True)


def test_a_repeat_rsvp_does_not_redirect_to_the_registration_page(registration, django_capture_on_commit_callbacks):
    old_token = registration.cancel_token
    with django_capture_on_commit_callbacks(execute=True):
        response = _stranger_rsvps(registration)
    page = response.content.decode()
    assert response.redirect_chain == []
    assert old_token not in page
    assert "1409 S 9th St" not in page
    assert "I can&#x27;t come" not in page and "I can't come" not in page
    assert "already registered" in page


def test_a_repeat_rsvp_says_so_in_spanish_on_the_spanish_page(registration):
    page = _stranger_rsvps(registration, lang="es").content.decode()
    assert "ya está inscrito" in page


@pytest.mark.django_db(transaction=True)
def test_the_link_is_rotated_and_sent_again_to_the_email_on_file(registration):
    old_token = registration.cancel_token
    _stranger_rsvps(registration, email="stranger@example.org")
    registration.refresh_from_db()
    assert registration.cancel_token != old_token
    # Nothing leaves during the request: the worker sends it.
    assert mail.outbox == []
    worker_run_queued()
    # Everything goes to the address on file (the new name waits for Rosa to
    # confirm it, in a second email), nothing to the one typed.
    assert {tuple(message.to) for message in mail.outbox} == {("rosa@example.org",)}
    body = next(m.body for m in mail.outbox if m.subject == "El enlace de tu inscripción al taller")
    assert registration.cancel_token in body
    assert old_token not in body
    # The old link opens nothing; the new one the registration.
    assert Client().get(reverse("trainings:registration", args=[old_token])).status_code == 404
    assert Client().get(reverse("trainings:registration", args=[registration.cancel_token])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_to_someone_with_only_a_phone_the_link_goes_by_text(texts):
    registration = RegistrationFactory(volunteer=VolunteerFactory(phone="+12155550123", email="", language="es"))
    old_token = registration.cancel_token
    response = _stranger_rsvps(registration, name=registration.volunteer.name)
    worker_run_queued()
    registration.refresh_from_db()
    assert registration.cancel_token != old_token
    assert [text["to"] for text in texts] == ["+12155550123"]
    assert f"/es/trainings/r/{registration.cancel_token}/" in texts[0]["body"]
    assert "Los enlaces que te mandamos antes ya no funcionan." in texts[0]["body"]
    # The same answer whatever we have on file: it reveals nothing more.
    assert "If we have an email address or a phone number for this registration" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_an_email_typed_in_the_post_gets_nothing_the_phone_on_file_gets_the_link(texts):
    """The post adds the email to a phone-only record (an anonymous post may
    add), but a link sent to it would hand the stranger the registration."""
    registration = RegistrationFactory(
        volunteer=VolunteerFactory(phone="+12155550123", email="", contact_methods=["text"])
    )
    _stranger_rsvps(registration, name=registration.volunteer.name, email="stranger@example.org")
    worker_run_queued()
    registration.refresh_from_db()
    assert registration.volunteer.email == "stranger@example.org"
    assert mail.outbox == []
    assert [text["to"] for text in texts] == ["+12155550123"]
    assert registration.cancel_token in texts[0]["body"]


@pytest.mark.django_db(transaction=True)
def test_with_nothing_on_file_that_can_be_reached_the_link_is_kept(texts):
    registration = RegistrationFactory(volunteer=VolunteerFactory(phone="+12155550123", email=""))
    from messaging.models import OptOut
    from signups.contact_hash import contact_hash

    OptOut.objects.create(contact_hash=contact_hash("+12155550123"), source=OptOut.Source.REPLY)
    token = registration.cancel_token
    _stranger_rsvps(registration)
    worker_run_queued()
    registration.refresh_from_db()
    assert registration.cancel_token == token
    assert texts == []


def test_registering_again_after_cancelling_gives_a_new_link():
    registration = RegistrationFactory(
        volunteer=VolunteerFactory(phone="+12155550123"), status=Registration.Status.CANCELLED
    )
    old_token = registration.cancel_token
    response = _stranger_rsvps(registration)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED
    assert registration.cancel_token != old_token
    assert response.redirect_chain[-1][0].endswith(f"/trainings/r/{registration.cancel_token}/")


def test_registration_pages_send_no_referrer_and_are_not_cached(registration):
    response = Client().get(reverse("trainings:registration", args=[registration.cancel_token]))
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert re.search(r"noindex", response["X-Robots-Tag"])


@pytest.mark.django_db(transaction=True)
def test_a_reminder_sends_the_link_under_a_new_secret():
    import datetime

    from django.utils import timezone

    from trainings.services import registration_send_reminders

    registration = RegistrationFactory(
        session=SessionFactory(starts_at=timezone.now() + datetime.timedelta(hours=5)),
        volunteer=VolunteerFactory(email="rosa@example.org", contact_methods=["email"]),
        created_at=timezone.now() - datetime.timedelta(days=2),
    )
    old_token = registration.cancel_token
    registration_send_reminders()
    worker_run_queued()
    registration.refresh_from_db()
    assert registration.cancel_token != old_token
    assert registration.cancel_token in mail.outbox[0].body
    assert Client().get(reverse("trainings:registration", args=[old_token])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_person_moved_up_from_the_waitlist_gets_the_link_under_a_new_secret(texts):
    from trainings.services import registration_cancel

    session = SessionFactory(capacity=1)
    seated = RegistrationFactory(session=session)
    by_email = VolunteerFactory(email="next@example.org", contact_methods=["email"])
    waiting = RegistrationFactory(session=session, status=Registration.Status.WAITLISTED, volunteer=by_email)
    old_token = waiting.cancel_token
    registration_cancel(registration=seated)
    worker_run_queued()
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED
    assert waiting.cancel_token != old_token
    assert waiting.cancel_token in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_the_person_moved_up_hears_it_by_text_with_the_link(texts):
    from trainings.services import registration_cancel

    session = SessionFactory(capacity=1, address="1409 S 9th St (side door)")
    seated = RegistrationFactory(session=session)
    waiting = RegistrationFactory(
        session=session, status=Registration.Status.WAITLISTED,
        volunteer=VolunteerFactory(phone="+12155550188", email="", language="es"),
    )
    registration_cancel(registration=seated)
    worker_run_queued()
    waiting.refresh_from_db()
    assert [text["to"] for text in texts] == ["+12155550188"]
    body = texts[0]["body"]
    assert body.startswith("Se liberó un lugar y es tuyo: te inscribimos en «")
    assert "1409 S 9th St (side door)" in body
    assert f"/es/trainings/r/{waiting.cancel_token}/" in body
    assert "Responde 2 si no puedes venir." in body
