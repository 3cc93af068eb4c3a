import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from signups.tests.factories import VolunteerFactory
from zones.assigning import ZoneAssignError, zone_assign_blocks
from zones.models import Block, Zone
from zones.tests.factories import BlockFactory, ZoneFactory


@pytest.fixture
def staff_client(client, django_user_model, otp_login):
    user = django_user_model.objects.create_user(
        username="organizer", password="a long enough password", is_staff=True, is_superuser=True
    )
    otp_login(client, user)
    return client


def add_blocks(zone, count, street="TEST ST"):
    Block.objects.bulk_create(
        Block(street=street, hundred=n * 100, zone=zone) for n in range(count)
    )


def trained(block):
    return VolunteerFactory(block=block, trained_at=timezone.now() - datetime.timedelta(days=1))


def test_block_changelist_filters_by_coverage(staff_client):
    zone = ZoneFactory()
    covered, bare = BlockFactory.create_batch(2, zone=zone)
    trained(covered)

    response = staff_client.get(reverse("admin:zones_block_changelist") + "?coverage=none")

    assert list(response.context["cl"].result_list) == [bare]


def test_zone_changelist_shows_each_zones_coverage(staff_client):
    # Its query budget: zones/tests/test_query_budget.py.
    count = 2
    for _n in range(count):
        zone = ZoneFactory()
        add_blocks(zone, 3, street=f"{zone.slug} ST".upper())
        trained(zone.blocks.first())

    response = staff_client.get(reverse("admin:zones_zone_changelist"))

    html = response.content.decode()
    zones = response.context["cl"].result_list
    assert len(zones) == count
    assert all((z.coverage.blocks, z.coverage.below, z.coverage.none) == (3, 1, 2) for z in zones)
    assert "33%" in html
    assert reverse("zones:map_all") in html


def test_zone_change_page_shows_its_summary_and_tools(staff_client):
    zone = ZoneFactory()
    add_blocks(zone, 4)
    trained(zone.blocks.first())

    html = staff_client.get(reverse("admin:zones_zone_change", args=[zone.pk])).content.decode()

    assert "4 blocks: 3 with no trained neighbor, 1 below target, 0 at target (25% with a trained neighbor)" in html
    assert reverse("admin:zones_zone_assign_blocks", args=[zone.pk]) in html
    assert reverse("admin:zones_zone_packet", args=[zone.pk]) in html


def test_blocks_are_drawn_into_a_zone_by_street_and_hundreds(db):
    zone = ZoneFactory()
    other = ZoneFactory()
    for hundred in range(500, 1700, 100):
        BlockFactory(street="S 9TH ST", hundred=hundred, zone=None)
    Block.objects.filter(hundred=1000).update(zone=other)
    BlockFactory(street="S 10TH ST", hundred=900, zone=None)

    result = zone_assign_blocks(zone=zone, street="S. Ninth Street", from_hundred=1500, to_hundred=700)

    assert result.street == "S 9TH ST"
    assert (result.assigned, result.in_other_zones) == (8, 1)
    assert sorted(zone.blocks.values_list("hundred", flat=True)) == [700, 800, 900, 1100, 1200, 1300, 1400, 1500]

    result = zone_assign_blocks(zone=zone, street="s 9th st", from_hundred=700, to_hundred=1500, reassign=True)
    assert (result.assigned, result.already_in_zone) == (1, 8)
    assert zone.blocks.count() == 9


def test_an_unknown_street_is_refused(db):
    BlockFactory(street="S 9TH ST", hundred=700)

    with pytest.raises(ZoneAssignError) as error:
        zone_assign_blocks(zone=ZoneFactory(), street="Nowhere Lane", from_hundred=700, to_hundred=900)

    assert error.value.code == "unknown_street"


def test_assign_blocks_page_adds_blocks_and_shows_errors_by_the_field(staff_client):
    zone = ZoneFactory()
    BlockFactory(street="S 9TH ST", hundred=700, zone=None)
    url = reverse("admin:zones_zone_assign_blocks", args=[zone.pk])

    response = staff_client.post(url, {"street": "S 9th St", "from_hundred": "700", "to_hundred": "1500"})
    assert response.status_code == 302
    assert zone.blocks.count() == 1

    response = staff_client.post(url, {"street": "S 9th St", "from_hundred": "700", "to_hundred": "x"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"to_hundred"}

    response = staff_client.post(url, {"street": "Nowhere", "from_hundred": "700", "to_hundred": "900"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"street"}
    assert "No imported block is on Nowhere" in response.content.decode()


def test_imported_zone_shows_on_the_public_page_only_as_totals(client, db):
    zone = ZoneFactory(name_en="Pilot zone", name_es="Zona piloto", status=Zone.Status.PILOT)
    block = BlockFactory(zone=zone, street="S 9TH ST", hundred=1100)
    trained(block)
    VolunteerFactory(block=block, name="Maria Lopez")
    ZoneFactory(name_en="Not started", status=Zone.Status.PLANNED)

    response = client.get(reverse("zones:index"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Pilot zone" in html
    assert "Not started" not in html
    assert "100% of blocks have at least one trained neighbor" in html
    assert "2 neighbors signed up" in html
    # No block, no per-block count, no name.
    assert "9th" not in html
    assert "Maria" not in html
    assert "Neighbor" not in html


def test_public_page_is_in_spanish(client, db):
    ZoneFactory(name_en="Pilot zone", name_es="Zona piloto", status=Zone.Status.PILOT)

    html = client.get("/es/zones/").content.decode()

    assert "Zona piloto" in html
