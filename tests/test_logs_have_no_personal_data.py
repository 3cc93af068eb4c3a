"""A full sign-up, RSVP, check-in and walk-in, with every log record of every
logger captured at DEBUG: no name, phone, email or street address appears."""

import datetime
import logging
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from signups.models import Volunteer
from signups.tests.helpers import join_data
from tests.auth import login_with_otp
from trainings.tests.factories import RegistrationFactory, SessionFactory, UserFactory
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = pytest.mark.django_db

PERSON = {"name": "Xiomara Quintanilla-Bustos", "phone": "215-555-0187", "email": "xiomara.q@example.org",
          "address": "1123 S. Ninth Street, Apt 2"}
WALK_IN = {"name": "Wenceslao Ybarra", "phone": "267-555-0144", "email": "wen.ybarra@example.net"}
SECRETS = [
    "Xiomara", "Quintanilla", "2155550187", "555-0187", "xiomara.q@example.org", "1123 S", "Ninth Street",
    "Wenceslao", "Ybarra", "2675550144", "555-0144", "wen.ybarra@example.net",
]


@pytest.fixture
def everything_logged(caplog):
    # Every logger, every level, including django.db.backends' SQL (which
    # Django emits at DEBUG only when settings.DEBUG is on: turn it on too).
    caplog.set_level(logging.DEBUG)
    return caplog


def test_a_whole_day_of_use_logs_no_personal_data(client, everything_logged, settings):
    settings.DEBUG = False
    zone = ZoneFactory(slug="pilot")
    BlockFactory(zone=zone, street="S 9TH ST", hundred=1100)
    trainer = UserFactory()
    now = timezone.now()
    session = SessionFactory(
        zone=zone, trainers=[trainer], starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=2),
    )

    response = client.post("/es/join/", join_data(**PERSON))
    assert response.status_code == 302, "sign-up"
    volunteer = Volunteer.objects.get(name=PERSON["name"])

    upcoming = SessionFactory(zone=zone)
    response = client.post(
        reverse("trainings:session", args=[upcoming.pk]),
        join_data(name=PERSON["name"], phone=PERSON["phone"], email=PERSON["email"], language="es", address=""),
    )
    assert response.status_code == 302, "RSVP"
    client.get(response["Location"])

    # On today's list too (registered earlier, by an organizer).
    RegistrationFactory(session=session, volunteer=volunteer)
    login_with_otp(client, trainer)
    client.get(reverse("trainings:roster", args=[session.pk]))
    response = client.post(
        reverse("trainings:checkin", args=[session.pk]),
        {"volunteer": volunteer.pk, "nonce": str(uuid.uuid4())}, HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200, "check-in"
    response = client.post(
        reverse("trainings:walk-in", args=[session.pk]),
        {**WALK_IN, "language": "es", "consent": "on", "nonce": str(uuid.uuid4()), "address": ""},
    )
    assert response.status_code in (200, 302), "walk-in"
    assert Volunteer.objects.filter(name=WALK_IN["name"]).exists()

    # A failed login with a person's email as the username.
    client.logout()
    client.post("/en/login/", {"username": PERSON["email"], "password": "wrong"})

    logged = "\n".join(
        f"{record.name} {record.getMessage()} {record.args!r} {getattr(record, 'request', '')}"
        for record in everything_logged.records
    )
    assert everything_logged.records, "nothing was logged: the test would prove nothing"
    leaked = [secret for secret in SECRETS if secret.lower() in logged.lower()]
    assert leaked == []
