"""The zone funnel, the map's state layer and the progress dashboard cost
the same queries at 10 blocks and at 2,000 (tests/query_budget.py)."""

import datetime

import factory
import pytest
from django.urls import reverse
from django.utils import timezone

from canvass.models import DoorTally
from canvass.snapshots import zone_snapshots_take
from canvass.tests.factories import CanvassTeamFactory
from signups.tests.factories import VolunteerFactory
from tests.query_budget import blocks, bulk, cold_caches, organizer_of
from zones.tests.factories import ZoneFactory

pytestmark = pytest.mark.django_db
BLOCKS = (10, 2000)


@pytest.fixture
def pilot():
    return ZoneFactory(slug="pilot", name_en="Pilot", name_es="Piloto")


@pytest.fixture
def organizer_client(client, pilot, otp_login):
    otp_login(client, organizer_of(pilot))
    return client


def canvassed(zone, count):
    """`count` blocks: a tally on every other one, a neighbor on each of the
    first two thirds, every other neighbor trained, and a snapshot of the
    day."""
    on_blocks = blocks(count, zone=zone)
    today = timezone.localdate()
    team = CanvassTeamFactory(on=today, zone=zone)
    DoorTally.objects.bulk_create(
        DoorTally(block=block, team=team, day=today, knocked=4, answered=1) for block in on_blocks[::2]
    )
    yesterday = timezone.now() - datetime.timedelta(days=1)
    with_people = on_blocks[: count * 2 // 3]
    bulk(VolunteerFactory, len(with_people), block=factory.Iterator(with_people), trained_at=factory.Iterator([yesterday, None]))
    zone_snapshots_take()
    return on_blocks


@pytest.mark.parametrize("count", BLOCKS)
def test_the_state_layer_of_a_zone_costs_the_same_queries_for_10_or_2000_blocks(
    organizer_client, pilot, django_assert_num_queries, count
):
    canvassed(pilot, count)
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4 the zone (404 unless the
    # organizer's), 5 its blocks with their states.
    with django_assert_num_queries(5):
        response = organizer_client.get(reverse("canvass:block_states", args=["pilot"]))
    states = response.json()["states"]
    assert len(states) == count
    assert set(states.values()) == {"visited", "not_visited", "signups", "trained"}


@pytest.mark.parametrize("count", BLOCKS)
def test_the_zone_funnel_page_costs_the_same_queries_for_10_or_2000_blocks(
    organizer_client, pilot, django_assert_num_queries, count
):
    canvassed(pilot, count)
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4-5 the organizer's permissions (own,
    # group's), 6 the zone, 7 the blocks with their states, 8 the doors,
    # 9 sign-ups per day, 10 doors per day, 11 the snapshots, 12 the
    # campaigns (launch weekends).
    with django_assert_num_queries(12):
        response = organizer_client.get(reverse("admin:canvass_zone_progress", args=[pilot.pk]))
    funnel = response.context["row"]["funnel"]
    assert funnel.blocks == count
    assert funnel.doors_knocked == 4 * len(range(0, count, 2))


@pytest.mark.parametrize("count", BLOCKS)
def test_the_progress_dashboard_costs_the_same_queries_for_10_or_2000_blocks(
    organizer_client, pilot, django_assert_num_queries, count
):
    canvassed(pilot, count)
    cold_caches()
    # As the zone's page, the zones of the organizer in place of the zone.
    with django_assert_num_queries(12):
        response = organizer_client.get(reverse("admin:canvass_zonesnapshot_changelist"))
    assert response.context["rows"][0]["funnel"].blocks == count
