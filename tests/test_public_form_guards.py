"""The bot traps and the rate limit sit in front of every public form:
a blocked post gets a plain page in both languages and writes nothing."""

import pytest
from django.urls import reverse

from signups.models import Volunteer
from signups.protection import HONEYPOT_FIELD, STARTED_FIELD, form_started_token
from signups.tests.helpers import join_data
from trainings.models import Registration
from trainings.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _rsvp(**overrides):
    data = join_data(name="Lucía Ramírez", phone="215-555-0123", language="es", address="")
    data.update(overrides)
    return data


def test_a_filled_honeypot_on_the_join_form_writes_nothing(client):
    response = client.post("/es/join/", join_data(**{HONEYPOT_FIELD: "buy now"}))
    assert response.status_code == 400
    assert "No pudimos enviar tu formulario" in response.content.decode()
    assert not Volunteer.objects.exists()


def test_a_join_form_sent_in_no_time_writes_nothing(client):
    response = client.post("/en/join/", join_data(**{STARTED_FIELD: form_started_token()}))
    assert response.status_code == 400
    assert not Volunteer.objects.exists()


def test_a_filled_honeypot_on_the_rsvp_form_writes_nothing(client):
    session = SessionFactory()
    url = reverse("trainings:session", args=[session.pk])
    response = client.post(url, _rsvp(**{HONEYPOT_FIELD: "x"}))
    assert response.status_code == 400
    assert not Registration.objects.exists() and not Volunteer.objects.exists()


def test_the_rsvp_form_carries_the_traps(client):
    session = SessionFactory()
    html = client.get(reverse("trainings:session", args=[session.pk])).content.decode()
    assert f'name="{HONEYPOT_FIELD}"' in html and f'name="{STARTED_FIELD}"' in html


def test_too_many_rsvps_from_one_address_are_refused(client, settings):
    # Accepted RSVPs count against the larger budget (a sign-up table).
    settings.RATE_LIMIT_SUCCESSFUL_POSTS = 2
    session = SessionFactory(capacity=50)
    url = reverse("trainings:session", args=[session.pk])
    for n in range(2):
        client.post(url, _rsvp(phone=f"215-555-01{n:02d}"))
    response = client.post(url, _rsvp(phone="215-555-0199"))
    assert response.status_code == 429
    assert Registration.objects.count() == 2


def test_too_many_walk_ins_from_one_trainer_are_refused(client, settings, otp_login):
    from trainings.tests.factories import UserFactory

    settings.RATE_LIMIT_POSTS = 1
    trainer = UserFactory()
    session = SessionFactory(trainers=[trainer])
    otp_login(client, trainer)
    url = reverse("trainings:walk-in", args=[session.pk])
    client.post(url, {"name": "A B", "phone": "215-555-0111", "language": "es", "nonce": "6f1c0c1e-6b0e-4d53-8d54-6a5e8a0f6b11"})
    response = client.post(url, {"name": "C D", "phone": "215-555-0112", "language": "es", "nonce": "6f1c0c1e-6b0e-4d53-8d54-6a5e8a0f6b12"})
    assert response.status_code == 429


def test_a_join_form_fixed_at_once_after_an_error_is_accepted(client):
    # The form shown again with errors has been in front of a person: the
    # minimum fill time must not refuse the fix sent a second later.
    response = client.post("/es/join/", join_data(phone="not a phone"))
    assert response.status_code == 200
    token = _started_token(response.content.decode())
    response = client.post("/es/join/", join_data(**{STARTED_FIELD: token}))
    assert response.status_code == 302
    assert Volunteer.objects.count() == 1


def test_an_rsvp_fixed_at_once_after_an_error_is_accepted(client):
    session = SessionFactory(capacity=10)
    url = reverse("trainings:session", args=[session.pk])
    response = client.post(url, _rsvp(phone="not a phone"))
    assert response.status_code == 200
    token = _started_token(response.content.decode())
    response = client.post(url, _rsvp(**{STARTED_FIELD: token}))
    assert response.status_code == 302
    assert Registration.objects.count() == 1


def test_the_one_more_tap_page_sends_at_once_on_the_second_tap(client):
    import re

    data = join_data(name="Lucía Ramírez")
    data[STARTED_FIELD] = form_started_token()  # shown this very second
    page = client.post("/es/join/", data).content.decode()
    assert page.index("Un toque más para enviar") < page.index("One more tap to send")
    replay = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        if name != "csrfmiddlewaretoken":
            replay.setdefault(name, []).append(value.replace("&amp;", "&"))
    response = client.post("/es/join/", replay)
    assert response.status_code == 302
    assert Volunteer.objects.get().name == "Lucía Ramírez"


def test_a_form_shown_again_keeps_the_honeypot(client):
    response = client.post("/es/join/", join_data(phone="not a phone"))
    token = _started_token(response.content.decode())
    response = client.post("/es/join/", join_data(**{STARTED_FIELD: token, HONEYPOT_FIELD: "x"}))
    assert response.status_code == 400
    assert not Volunteer.objects.exists()


def test_a_refusal_on_a_spanish_page_is_in_spanish_first(client):
    page = client.post("/es/join/", join_data(**{HONEYPOT_FIELD: "x"})).content.decode()
    assert page.index("No pudimos enviar tu formulario") < page.index("Your form could not be sent")


def _started_token(page):
    import re

    return re.search(rf'name="{STARTED_FIELD}" value="([^"]+)"', page).group(1)
