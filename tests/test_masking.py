"""Trainers see what check-in needs: name, language, registered or not, and
contact details masked to their last digits."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from signups.templatetags.protection import mask_email, mask_phone
from signups.tests.factories import VolunteerFactory
from tests.auth import login_with_otp
from trainings.tests.factories import RegistrationFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_phone_keeps_only_its_last_four_digits():
    assert mask_phone("+12155550123") == "•••0123"
    assert mask_phone("") == "" and mask_phone("12") == ""


def test_an_email_keeps_only_first_letters_and_the_ending():
    assert mask_email("ana.lopez@example.org") == "a•••@e•••.org"
    assert mask_email("not-an-email") == ""


def test_the_roster_shows_masked_contacts_only(client):
    trainer = UserFactory()
    now = timezone.now()
    session = SessionFactory(
        trainers=[trainer], starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=1),
    )
    by_phone = VolunteerFactory(name="Ana Ruiz", phone="+12155550123", email="ana.ruiz@example.org")
    by_email = VolunteerFactory(name="Beto Ruiz", phone="", email="beto.ruiz@example.org")
    RegistrationFactory(session=session, volunteer=by_phone)
    RegistrationFactory(session=session, volunteer=by_email)
    login_with_otp(client, trainer)
    html = client.get(reverse("trainings:roster", args=[session.pk])).content.decode()
    assert "Ana Ruiz" in html and "•••0123" in html and "b•••@e•••.org" in html
    for secret in ("2155550123", "555-0123", "ana.ruiz@example.org", "beto.ruiz@example.org", "beto.ruiz"):
        assert secret not in html
