"""The paper packet has the phone's boxes, and an organizer types a sheet in
from the admin, for the blocks of their zones only."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from canvass.models import TALLY_FIELDS, DoorTally
from zones.packets import PACKET_TALLY_BOXES
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def test_the_paper_tally_has_the_phones_boxes_in_the_same_order():
    assert tuple(field for field, _label in PACKET_TALLY_BOXES) == TALLY_FIELDS


@pytest.fixture
def organizer_client(client, otp_login, zone):
    user = get_user_model().objects.create_user("org-a", password="x" * 20, is_staff=True)
    user.groups.add(Group.objects.get(name="Organizer"))
    zone.organizers.add(user)
    otp_login(client, user)
    return client


def test_the_printed_packet_shows_every_box(organizer_client, zone, blocks):
    html = organizer_client.get(reverse("admin:zones_zone_packet", args=[zone.pk])).content.decode()
    for words in ("Doors knocked / Puertas tocadas", "No thanks / No, gracias", "Flyer left / ",
                  "Come back later / ", "Signed up on the spot / ", "Note for the organizers"):
        assert words in html


def test_an_organizer_types_a_paper_sheet_in(organizer_client, team, blocks, saturday):
    counts = dict(zip(TALLY_FIELDS, (30, 12, 18, 4, 14, 2, 3)))
    response = organizer_client.post(reverse("admin:canvass_doortally_add"), {
        "block": blocks[0].pk, "team": team.pk, "day": saturday.date().isoformat(), **counts,
        "note": "Corner store owner asked for flyers",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    tally = DoorTally.objects.get()
    assert {field: getattr(tally, field) for field in TALLY_FIELDS} == counts


def test_an_organizer_sees_only_the_tallies_of_their_zones(organizer_client, team, blocks, saturday):
    mine = DoorTally.objects.create(block=blocks[0], team=team, day=saturday.date(), knocked=5)
    theirs = DoorTally.objects.create(block=BlockFactory(zone=ZoneFactory()), team=team, day=saturday.date(), knocked=7)
    response = organizer_client.get(reverse("admin:canvass_doortally_changelist"))
    assert list(response.context["cl"].result_list) == [mine]
    assert organizer_client.get(reverse("admin:canvass_doortally_change", args=[theirs.pk])).status_code in (302, 403, 404)


@pytest.mark.parametrize("rows", [1, 30])
def test_the_tally_list_costs_the_same_queries_for_1_or_30_tallies(organizer_client, team, zone, saturday, rows,
                                                                    django_assert_num_queries):
    for n in range(rows):
        DoorTally.objects.create(block=BlockFactory(zone=zone, street="S 6TH ST", hundred=100 * (n + 1)),
                                 team=team, day=saturday.date() - datetime.timedelta(days=n % 2))
    organizer_client.get(reverse("admin:canvass_doortally_changelist"))
    # (Session and user come from the cache.) 1-2 the organizer's
    # permissions (own, group's), 3-4 counts (filtered, total), 5 the page
    # of tallies with their block and team, 6 the password hash (session
    # check), 7-8 the date hierarchy's range and days.
    with django_assert_num_queries(8):
        response = organizer_client.get(reverse("admin:canvass_doortally_changelist"))
    assert response.context["cl"].result_count == rows
