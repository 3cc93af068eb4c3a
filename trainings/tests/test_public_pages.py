import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from signups.models import Volunteer
from signups.protection import HONEYPOT_FIELD, STARTED_FIELD, form_started_token
from signups.tests.factories import VolunteerFactory
from signups.tests.helpers import _bot_trap_fields as bot_trap_fields
from trainings.models import Registration, Session
from trainings.tests.factories import RegistrationFactory, SessionFactory
from zones.tests.factories import ZoneFactory

pytestmark = pytest.mark.django_db


def _rsvp(**overrides):
    # What a person's browser posts, bot trap included (filled in time).
    data = {
        HONEYPOT_FIELD: "",
        STARTED_FIELD: form_started_token(now=time.time() - 30),
        "name": "Lucía Ramírez",
        "phone": "215-555-0123",
        "email": "",
        "language": "es",
        "address": "",
        "consent": "on",
        **bot_trap_fields(),
    }
    data.update(overrides)
    return data


def test_the_list_shows_upcoming_sessions_with_seats_left_but_never_the_address(client):
    session = SessionFactory(capacity=5, neighborhood="Passyunk Square")
    RegistrationFactory(session=session)
    SessionFactory(starts_at=timezone.now() - datetime.timedelta(days=2))
    SessionFactory(status=Session.Status.CANCELLED)
    response = client.get("/en/trainings/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Passyunk Square" in body
    assert "4 seats left" in body
    assert session.address not in body
    assert list(response.context["sessions"]) == [session]


def test_the_list_speaks_spanish(client):
    SessionFactory(capacity=1)
    body = client.get("/es/trainings/").content.decode()
    assert "Próximos talleres" in body
    assert "Queda 1 lugar" in body


def test_the_list_filters_by_language_and_zone(client):
    zone = ZoneFactory(slug="passyunk")
    spanish = SessionFactory(language=Session.Language.SPANISH, zone=zone)
    bilingual = SessionFactory(language=Session.Language.BILINGUAL)
    SessionFactory(language=Session.Language.ENGLISH)
    response = client.get("/en/trainings/", {"language": "es"})
    assert set(response.context["sessions"]) == {spanish, bilingual}
    response = client.get("/en/trainings/", {"zone": "passyunk"})
    assert list(response.context["sessions"]) == [spanish]


def test_the_session_page_shows_the_form_and_no_address(client):
    session = SessionFactory()
    response = client.get(reverse("trainings:session", args=[session.pk]))
    assert response.status_code == 200
    assert session.address not in response.content.decode()
    assert "consent" in response.context["form"].fields


def test_an_unknown_or_done_session_is_404(client):
    done = SessionFactory(status=Session.Status.DONE)
    assert client.get(reverse("trainings:session", args=[done.pk])).status_code == 404
    assert client.get(reverse("trainings:session", args=[99999])).status_code == 404


def test_rsvp_creates_a_volunteer_and_shows_the_address_on_the_confirmation(client):
    session = SessionFactory()
    response = client.post(reverse("trainings:session", args=[session.pk]), _rsvp(), follow=True)
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.REGISTERED
    assert registration.volunteer.phone == "+12155550123"
    assert registration.volunteer.language == "es"
    assert registration.language == "en"
    assert response.redirect_chain[-1][0] == reverse("trainings:registration", args=[registration.cancel_token])
    body = response.content.decode()
    assert session.address in body
    assert reverse("trainings:calendar", args=[registration.cancel_token]) in body


def test_rsvp_finds_a_known_volunteer_by_email(client):
    known = VolunteerFactory(email="lucia@example.org", phone="")
    session = SessionFactory()
    client.post(reverse("trainings:session", args=[session.pk]), _rsvp(phone="", email="Lucia@Example.org"))
    assert Registration.objects.get().volunteer == known
    assert Volunteer.objects.count() == 1


def test_rsvp_twice_creates_one_registration(client):
    session = SessionFactory()
    url = reverse("trainings:session", args=[session.pk])
    client.post(url, _rsvp())
    client.post(url, _rsvp())
    assert Registration.objects.count() == 1


def test_a_full_session_puts_the_person_on_the_waitlist_and_says_so(client):
    session = SessionFactory(capacity=1)
    RegistrationFactory(session=session)
    response = client.post(reverse("trainings:session", args=[session.pk]), _rsvp(), follow=True)
    assert Registration.objects.get(volunteer__phone="+12155550123").status == Registration.Status.WAITLISTED
    body = response.content.decode()
    assert "You are on the waitlist" in body
    assert session.address not in body


def test_rsvp_errors_are_shown_next_to_the_field_in_spanish(client):
    session = SessionFactory()
    response = client.post(
        reverse("trainings:session", args=[session.pk], ).replace("/en/", "/es/"),
        _rsvp(phone="12", consent=""),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "phone" in form.errors
    assert form.errors["consent"] == ["Solo podemos inscribirte si aceptas que te contactemos."]
    assert Registration.objects.count() == 0


def test_rsvp_without_phone_or_email_is_refused(client):
    session = SessionFactory()
    response = client.post(reverse("trainings:session", args=[session.pk]), _rsvp(phone=""))
    assert "phone" in response.context["form"].errors
    assert Volunteer.objects.count() == 0


def test_the_calendar_file_is_only_for_registered_people(client):
    registered = RegistrationFactory(language="es")
    waiting = RegistrationFactory(status=Registration.Status.WAITLISTED)
    response = client.get(reverse("trainings:calendar", args=[registered.cancel_token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar"
    assert registered.session.topic.name_es in response.content.decode()
    assert client.get(reverse("trainings:calendar", args=[waiting.cancel_token])).status_code == 404


def test_i_cant_come_frees_the_seat_for_the_waitlist(client):
    session = SessionFactory(capacity=1)
    seated = RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session, status=Registration.Status.WAITLISTED)
    response = client.post(reverse("trainings:cancel", args=[seated.cancel_token]), {"confirm": "yes"}, follow=True)
    assert "Your registration is cancelled" in response.content.decode()
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert seated.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.REGISTERED


def test_cancel_needs_post_and_the_right_token(client):
    registration = RegistrationFactory()
    assert client.get(reverse("trainings:cancel", args=[registration.cancel_token])).status_code == 405
    assert client.post(reverse("trainings:cancel", args=["wrong-token"])).status_code == 404


def test_a_bot_filling_the_honeypot_registers_nobody(client):
    session = SessionFactory()
    response = client.post(reverse("trainings:session", args=[session.pk]), _rsvp(**{HONEYPOT_FIELD: "spam"}))
    assert response.status_code == 400
    assert Registration.objects.count() == 0
