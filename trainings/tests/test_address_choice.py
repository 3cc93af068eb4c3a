"""The RSVP form and the trainer's walk-in form read addresses with the same
resolver as the join form, and ask the same way when one is unclear."""

import time
import uuid

import pytest
from django.urls import reverse

from signups.models import Volunteer
from signups.protection import HONEYPOT_FIELD, STARTED_FIELD, form_started_token
from signups.tests.helpers import _bot_trap_fields as bot_trap_fields
from trainings.models import Attendance, Registration
from trainings.tests.factories import SessionFactory
from zones.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def both_25th():
    return (
        BlockFactory(street="N 25TH ST", hundred=1200, zone=None),
        BlockFactory(street="S 25TH ST", hundred=1200, zone=None),
    )


def _rsvp(**overrides):
    return {
        HONEYPOT_FIELD: "", STARTED_FIELD: form_started_token(now=time.time() - 30),
        "name": "Lucía Ramírez", "phone": "215-555-0123", "email": "", "language": "es",
        "address": "", "consent": "on", **bot_trap_fields(), **overrides,
    }


def _walk_in(**changes):
    return {
        "name": "Marta Gómez", "phone": "215 555 0177", "email": "", "language": "es",
        "address": "1233 25th st", "consent": "on", "nonce": str(uuid.uuid4()), **changes,
    }


def test_an_rsvp_with_an_unclear_address_offers_its_blocks(client, both_25th):
    session = SessionFactory()

    response = client.post(reverse("trainings:session", args=[session.pk]), _rsvp(address="1233 25th st"))

    page = response.content.decode()
    assert response.status_code == 200
    assert f'name="address_choice" value="{both_25th[1].pk}"' in page
    assert 'value="Lucía Ramírez"' in page
    assert Registration.objects.count() == 0


def test_an_rsvp_with_a_pick_registers_on_the_block_picked(client, both_25th):
    session = SessionFactory()
    south = both_25th[1]

    client.post(
        reverse("trainings:session", args=[session.pk]), _rsvp(address="1233 25th st", address_choice=str(south.pk))
    )

    assert Registration.objects.get().volunteer.block == south


def test_an_rsvp_keeps_the_zip_typed_in_the_address(client):
    session = SessionFactory()
    south = BlockFactory(street="S 17TH ST", hundred=800)

    client.post(reverse("trainings:session", args=[session.pk]), _rsvp(address="817 17th, Philly PA 19147"))

    volunteer = Volunteer.objects.get()
    assert (volunteer.block, volunteer.zip_code) == (south, "19147")


def test_an_rsvp_with_an_address_we_cannot_find_still_registers(client):
    session = SessionFactory()

    client.post(reverse("trainings:session", args=[session.pk]), _rsvp(address="742 Evergreen Terrace"))

    assert Registration.objects.get().volunteer.block is None


@pytest.fixture
def url(session_today):
    return reverse("trainings:walk-in", args=[session_today.pk])


def test_a_walk_in_with_an_unclear_address_offers_its_blocks_and_a_way_on(trainer_client, url, both_25th):
    response = trainer_client.post(url, _walk_in())

    assert response.status_code == 400
    page = response.content.decode()
    assert f'name="address_choice" value="{both_25th[0].pk}"' in page
    assert 'type="checkbox" name="without_block"' in page
    assert Attendance.objects.count() == 0


def test_a_walk_in_from_the_script_gets_the_choices(trainer_client, url, both_25th):
    answer = trainer_client.post(url, _walk_in(), **JSON).json()

    assert answer["code"] == "address_unclear"
    assert [c["value"] for c in answer["choices"]] == [str(b.pk) for b in both_25th]
    assert answer["choices"][1]["label"].startswith("the 1200 block of S 25th St")


def test_a_walk_in_with_a_pick_is_checked_in_on_that_block(trainer_client, url, both_25th):
    south = both_25th[1]

    trainer_client.post(url, _walk_in(address_choice=str(south.pk)), **JSON)

    assert Attendance.objects.get().volunteer.block == south


def test_a_walk_in_without_a_block_is_checked_in_when_the_address_is_unclear(trainer_client, url, both_25th):
    answer = trainer_client.post(url, _walk_in(without_block="on"), **JSON).json()

    assert answer["code"] == "no_block"
    assert Attendance.objects.get().volunteer.block is None


def test_a_walk_in_keeps_the_zip_typed_in_the_address(trainer_client, url):
    BlockFactory(street="S 17TH ST", hundred=800)

    trainer_client.post(url, _walk_in(address="817 17th 19147"), **JSON)

    assert Attendance.objects.get().volunteer.zip_code == "19147"
