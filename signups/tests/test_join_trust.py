"""A stranger who knows a neighbor's phone number signs up with it: the
thank-you page shows only what the stranger typed, nothing stored is
replaced, and the thanks cookie names no database id."""

import pytest
from django.test import Client

from signups.models import Volunteer
from signups.tests.factories import VolunteerFactory
from signups.tests.helpers import join_data
from signups.views import THANKS_COOKIE
from zones.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbor():
    block = BlockFactory(street="S 9TH ST", hundred=1100, from_street="CHRISTIAN ST", to_street="MONTROSE ST")
    return VolunteerFactory(
        name="Rosa Muñoz", phone="+12155550123", email="rosa@example.org", language="es",
        block=block, zip_code="19147",
    )


def _stranger_signs_up(**overrides):
    answers = {
        "name": "Anyone", "phone": "215-555-0123", "language": "en", "address": "",
        "address_withheld": "on", "zip_code": "19148", **overrides,
    }
    return Client().post("/en/join/", join_data(**answers), follow=True)


def test_the_thank_you_page_does_not_show_the_block_stored_for_the_phone(neighbor):
    response = _stranger_signs_up()
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/en/join/thanks/"
    assert "1100 block" not in page
    assert "S 9th St" not in page
    assert "You're on the list." in page


def test_the_stored_name_language_and_zip_are_not_replaced(neighbor):
    _stranger_signs_up()
    neighbor.refresh_from_db()
    assert (neighbor.name, neighbor.language, neighbor.zip_code) == ("Rosa Muñoz", "es", "19147")
    assert neighbor.block.hundred == 1100
    assert Volunteer.objects.count() == 1


def test_the_thanks_cookie_names_no_volunteer_id(neighbor):
    response = _stranger_signs_up()
    # Signed, not encrypted: "<block of the address typed>:<language>:<signature>".
    block, language, *_signature = response.client.cookies[THANKS_COOKIE].value.strip('"').split(":")
    assert (block, language) == ("", "en")
    assert str(neighbor.pk) not in (block, language)


def test_the_thank_you_page_shows_the_block_of_the_address_typed(neighbor):
    other = BlockFactory(street="S 8TH ST", hundred=1000, from_street="CARPENTER ST", to_street="WASHINGTON AVE")
    response = _stranger_signs_up(address="1012 S 8th St", address_withheld=None, zip_code="")
    page = response.content.decode()
    assert "1000 block of S 8th St" in page
    assert "1100 block" not in page
    neighbor.refresh_from_db()
    assert neighbor.block_id != other.pk


def test_a_new_neighbor_is_thanked_with_their_own_block_in_their_language():
    BlockFactory(street="S 9TH ST", hundred=1100, from_street="CHRISTIAN ST", to_street="MONTROSE ST")
    response = Client().post("/es/join/", join_data(language="es"), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/es/join/thanks/"
    assert "Ya eres parte de la cuadra del 1100 de S 9th St." in page
