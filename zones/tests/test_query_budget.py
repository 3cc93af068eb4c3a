"""Zone pages cost the same queries at 10 rows and at 1,000: the public zone
progress, the organizers' map and its GeoJSON, and the zone and block
lists of the admin (see tests/query_budget.py)."""

import datetime

import factory
import pytest
from django.urls import reverse
from django.utils import timezone

from signups.tests.factories import VolunteerFactory
from tests.query_budget import ROWS, blocks, bulk, cold_caches, organizer_of
from zones.models import Zone
from zones.tests.factories import ZoneFactory

pytestmark = pytest.mark.django_db


def residents(on_blocks):
    """One neighbor per block, every other one trained."""
    yesterday = timezone.now() - datetime.timedelta(days=1)
    return bulk(
        VolunteerFactory,
        len(on_blocks),
        block=factory.Iterator(on_blocks),
        trained_at=factory.Iterator([yesterday, None]),
    )


@pytest.fixture
def pilot():
    return ZoneFactory(slug="pilot", name_en="Pilot", name_es="Piloto")


@pytest.fixture
def organizer_client(client, pilot, otp_login):
    otp_login(client, organizer_of(pilot))
    return client


# --- Public -----------------------------------------------------------------------


@pytest.mark.parametrize("rows", ROWS)
def test_zone_progress_costs_the_same_queries_for_10_or_1000_zones(client, django_assert_num_queries, rows):
    zones = bulk(ZoneFactory, rows, status=Zone.Status.ACTIVE)
    residents([blocks(1, zone=zone)[0] for zone in zones[:10]])
    cold_caches()
    # 1 the started zones, 2 the coverage of their blocks; what canvass
    # adds (zones.extensions): 3 the blocks' states, 4 the doors, 5 the
    # snapshots for the chart.
    with django_assert_num_queries(5):
        response = client.get(reverse("zones:index"))
    assert len(response.context["rows"]) == rows


# --- The map (organizers) ------------------------------------------------------------


@pytest.mark.parametrize("rows", ROWS)
def test_the_geojson_of_all_blocks_costs_the_same_queries_for_10_or_1000_blocks(
    organizer_client, pilot, django_assert_num_queries, rows
):
    residents(blocks(rows, zone=pilot))
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4 the organizer's blocks with their
    # coverage and zone.
    with django_assert_num_queries(4):
        response = organizer_client.get(reverse("zones:all_blocks_geojson"))
    features = response.json()["features"]
    assert len(features) == rows
    assert {f["properties"]["trained"] for f in features} == {0, 1}


@pytest.mark.parametrize("rows", ROWS)
def test_the_geojson_of_a_zone_costs_the_same_queries_for_10_or_1000_blocks(
    organizer_client, pilot, django_assert_num_queries, rows
):
    residents(blocks(rows, zone=pilot))
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4 the zone (404 unless the organizer's),
    # 5 its blocks with their coverage.
    with django_assert_num_queries(5):
        response = organizer_client.get(reverse("zones:blocks_geojson", args=["pilot"]))
    assert len(response.json()["features"]) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_the_map_page_of_a_zone_costs_the_same_queries_for_10_or_1000_blocks(
    organizer_client, pilot, django_assert_num_queries, rows
):
    residents(blocks(rows, zone=pilot))
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4 the zone (404 unless the
    # organizer's), 5 its coverage summary, 6-7 the canvass teams on its
    # blocks today (assigned, claimed: zones.views._blocks_taken_today).
    with django_assert_num_queries(7):
        response = organizer_client.get(reverse("zones:map", args=["pilot"]))
    assert response.context["summary"].blocks == rows


# --- The admin (organizers) -----------------------------------------------------------


@pytest.mark.parametrize("rows", ROWS)
def test_the_zone_list_costs_the_same_queries_for_10_or_1000_zones(
    client, otp_login, django_assert_num_queries, rows
):
    zones = bulk(ZoneFactory, rows)
    residents([blocks(1, zone=zone)[0] for zone in zones[:10]])
    otp_login(client, organizer_of(*zones))
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4-5 the organizer's permissions (own,
    # group's), 6 count, 7 full count, 8 the page of zones, 9 the coverage
    # of the page's zones.
    with django_assert_num_queries(9):
        response = client.get(reverse("admin:zones_zone_changelist"))
    assert response.context["cl"].result_count == rows
    assert sum(zone.coverage.trained for zone in response.context["cl"].result_list) == 5


@pytest.mark.parametrize("rows", ROWS)
def test_the_block_list_costs_the_same_queries_for_10_or_1000_blocks(
    organizer_client, pilot, django_assert_num_queries, rows
):
    residents(blocks(rows, zone=pilot))
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4-5 the organizer's permissions (own,
    # group's), 6 the zones for the filter, 7 count, 8 full count, 9 the page
    # of blocks with their coverage and zone.
    with django_assert_num_queries(9):
        response = organizer_client.get(reverse("admin:zones_block_changelist"))
    assert response.context["cl"].result_count == rows
    counts = {(block.resident_count, block.trained_count) for block in response.context["cl"].result_list}
    assert counts == {(1, 0), (1, 1)}
