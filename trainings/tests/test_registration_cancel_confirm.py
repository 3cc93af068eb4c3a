"""'I can't come' asks first: one tap on a crowded bus used to give the
seat away for good."""

import pytest
from django.urls import reverse

from trainings.models import Registration
from trainings.tests.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def cancel(client, registration, **data):
    return client.post(reverse("trainings:cancel", args=[registration.cancel_token]), data)


def test_i_cant_come_asks_are_you_sure_and_keeps_the_seat(client):
    registration = RegistrationFactory()

    response = cancel(client, registration)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Are you sure you can't come?" in page
    assert "Your seat goes to the next person on the waitlist" in page
    assert 'name="confirm" value="yes"' in page
    assert reverse("trainings:registration", args=[registration.cancel_token]) in page
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


def test_confirming_cancels_and_gives_the_seat_to_the_waitlist(client):
    session = SessionFactory(capacity=1)
    seated = RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session, status=Registration.Status.WAITLISTED)

    response = cancel(client, seated, confirm="yes")

    assert response.status_code == 302
    assert response["Location"] == reverse("trainings:registration", args=[seated.cancel_token])
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert seated.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.REGISTERED


def test_someone_on_the_waitlist_is_told_they_leave_it(client):
    session = SessionFactory(capacity=1)
    RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session, status=Registration.Status.WAITLISTED)

    page = cancel(client, waiting).content.decode()

    assert "You leave the waitlist" in page


def test_the_confirmation_speaks_spanish_with_tu(client):
    registration = RegistrationFactory()

    page = client.post(f"/es/trainings/r/{registration.cancel_token}/cancel/").content.decode()

    assert "¿Seguro que no puedes venir?" in page
    assert "Sí, cancela mi inscripción" in page


def test_the_confirmation_is_a_secret_link_page(client):
    response = cancel(client, RegistrationFactory())

    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_a_cancelled_registration_is_not_asked_again(client):
    registration = RegistrationFactory(status=Registration.Status.CANCELLED)

    response = cancel(client, registration)

    assert response.status_code == 302


def test_a_get_still_cancels_nothing(client):
    registration = RegistrationFactory()

    assert client.get(reverse("trainings:cancel", args=[registration.cancel_token])).status_code == 405
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


def test_the_detail_pages_button_leads_to_the_question(client):
    registration = RegistrationFactory()

    page = client.get(reverse("trainings:registration", args=[registration.cancel_token])).content.decode()

    form = page[page.index('action="' + reverse("trainings:cancel", args=[registration.cancel_token])):]
    form = form[:form.index("</form>")]
    assert "I can't come" in form
    assert 'name="confirm"' not in form
