"""Organizers name a block "1100 S 9th": the admin's block search and the
canvass team's block picker (the same search, through autocomplete) must
find it, whatever the order, case or street type typed."""

import json

import pytest
from django.urls import reverse

from zones.admin import parse_block_search
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model, otp_login):
    user = django_user_model.objects.create_user(
        username="organizer", password="a long enough password", is_staff=True, is_superuser=True
    )
    otp_login(client, user)
    return client


@pytest.fixture
def blocks():
    return {
        "target": BlockFactory(street="S 9TH ST", hundred=1100, from_street="WASHINGTON AVE", to_street="CARPENTER ST"),
        "next": BlockFactory(street="S 9TH ST", hundred=1200),
        "other street": BlockFactory(street="S 19TH ST", hundred=1100),
        "north": BlockFactory(street="N 9TH ST", hundred=1100),
    }


def search(client, term):
    response = client.get(reverse("admin:zones_block_changelist"), {"q": term})
    assert response.status_code == 200
    return {block.pk for block in response.context["cl"].result_list}


@pytest.mark.parametrize("term", ["1100 S 9th", "1100 s 9th st", "S 9th 1100", "1123 South 9th Street", "1100 S. 9th"])
def test_the_block_search_finds_the_1100_block_of_s_9th_st(staff_client, blocks, term):
    assert search(staff_client, term) == {blocks["target"].pk}


def test_the_plain_street_search_still_finds_every_hundred(staff_client, blocks):
    assert {blocks["target"].pk, blocks["next"].pk} <= search(staff_client, "S 9TH")


def test_the_block_picker_of_a_canvass_team_finds_1100_s_9th(staff_client, blocks):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"term": "1100 S 9th", "app_label": "canvass", "model_name": "canvassteam", "field_name": "blocks"},
    )

    results = json.loads(response.content)["results"]
    assert [int(row["id"]) for row in results] == [blocks["target"].pk]


def test_an_organizer_finds_no_block_of_another_zone(client, django_user_model, otp_login, blocks):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(username="org", password="a long enough password", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_block"]))
    zone = ZoneFactory()
    zone.organizers.add(user)
    mine = BlockFactory(street="S 9TH ST", hundred=1300, zone=zone)
    otp_login(client, user)

    assert search(client, "1300 S 9th") == {mine.pk}
    assert search(client, "1100 S 9th") == set()


def test_a_search_is_parsed_into_a_hundred_and_street_words():
    assert parse_block_search("S 9th 1123") == (1100, ["S", "9TH"])
    assert parse_block_search("1100 south 9th street") == (1100, ["S", "9TH", "ST"])
    assert parse_block_search("Washington") == (None, [])
