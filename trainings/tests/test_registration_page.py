"""The confirmation page once the person said they can't come."""

import pytest

from trainings.models import Registration
from trainings.tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_a_cancelled_registration_offers_to_register_again_and_nothing_to_keep(client):
    registration = RegistrationFactory(status=Registration.Status.CANCELLED)

    page = client.get(f"/en/trainings/r/{registration.cancel_token}/").content.decode()

    assert "Your registration is cancelled" in page
    assert "Register again" in page
    # The link no longer shows an address nor cancels anything.
    assert "Keep this page" not in page
    assert registration.session.address not in page


def test_a_registration_still_asks_to_keep_its_page(client):
    registration = RegistrationFactory()
    page = client.get(f"/en/trainings/r/{registration.cancel_token}/").content.decode()
    assert "Keep this page" in page
