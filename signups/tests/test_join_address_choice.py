"""The join form's choice step: an unclear address offers the blocks it could
mean as a radio list, keeps everything typed, and one pick signs up."""

import pytest

from signups.models import Volunteer
from signups.tests.factories import VolunteerFactory
from signups.tests.helpers import join_data
from zones.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def both_25th():
    north = BlockFactory(street="N 25TH ST", hundred=1200, zone=None)
    south = BlockFactory(street="S 25TH ST", hundred=1200, zone=None, from_street="TITAN ST", to_street="WHARTON ST")
    return north, south


def test_an_unclear_address_offers_its_blocks_and_keeps_what_was_typed(client, both_25th):
    north, south = both_25th

    response = client.post("/en/join/", join_data(address="1233 25th st", email="ana@example.org"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Did you mean:" in page
    assert f'type="radio" name="address_choice" value="{north.pk}"' in page
    assert "the 1200 block of S 25th St, between Titan St and Wharton St" in page
    assert 'value="1233 25th st"' in page
    assert 'value="ana@example.org"' in page
    assert Volunteer.objects.count() == 0


def test_one_pick_signs_up_on_the_block_picked(client, both_25th):
    _north, south = both_25th

    response = client.post("/en/join/", join_data(address="1233 25th st", address_choice=str(south.pk)))

    assert response.status_code == 302
    assert Volunteer.objects.get().block == south


def test_a_pick_that_was_not_offered_offers_again(client, both_25th):
    other = BlockFactory(street="TASKER ST", hundred=800)

    response = client.post("/en/join/", join_data(address="1233 25th st", address_choice=str(other.pk)))

    assert response.status_code == 200
    assert "Did you mean:" in response.content.decode()
    assert Volunteer.objects.count() == 0


def test_the_choice_step_speaks_spanish(client, both_25th):
    response = client.post("/es/join/", join_data(address="1233 Calle 25 Sur", zip_code=""))
    # A Spanish direction decides: placed at once.
    assert response.status_code == 302

    response = client.post("/es/join/", join_data(address="1233 25th st", phone="215-555-0124"))
    page = response.content.decode()
    assert "¿Quisiste decir…?" in page
    assert "la cuadra" in page and "S 25th St" in page


def test_a_misspelled_street_is_offered_not_guessed(client):
    lombard = BlockFactory(street="LOMBARD ST", hundred=1500)

    response = client.post("/en/join/", join_data(address="1518 Lombradd"))

    assert response.status_code == 200
    assert f'value="{lombard.pk}"' in response.content.decode()
    assert Volunteer.objects.count() == 0


def test_a_zip_typed_in_the_address_is_stored_with_the_block(client):
    south = BlockFactory(street="S 17TH ST", hundred=800)

    response = client.post("/en/join/", join_data(address="817 17th, Philly PA 19147"))

    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert (volunteer.block, volunteer.zip_code) == (south, "19147")


def test_a_zip_typed_in_its_own_field_is_stored_with_the_block(client):
    BlockFactory(street="S 9TH ST", hundred=1100)

    client.post("/en/join/", join_data(address="1123 S 9th St", zip_code="19147"))

    assert Volunteer.objects.get().zip_code == "19147"


def test_a_typed_zip_does_not_replace_a_stored_one(client):
    BlockFactory(street="S 9TH ST", hundred=1100)
    VolunteerFactory(phone="+12155550123", zip_code="19148")

    client.post("/en/join/", join_data(address="1123 S 9th St 19147"))

    # Replacing it waits for the person's confirmation (signups.pending).
    assert Volunteer.objects.get().zip_code == "19148"
