"""The organizers' list of canvass teams costs the same queries at 10 rows
and at 1,000 (see tests/query_budget.py); moved here with the model."""

import pytest
from django.urls import reverse

from canvass.models import CanvassTeam
from signups.tests.factories import CampaignFactory, VolunteerFactory
from tests.query_budget import ROWS, blocks, bulk, cold_caches, organizer_of
from zones.tests.factories import ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot():
    return ZoneFactory(slug="pilot")


@pytest.fixture
def organizer_client(client, pilot, otp_login):
    otp_login(client, organizer_of(pilot))
    return client


@pytest.mark.parametrize("rows", ROWS)
def test_the_canvass_team_list_costs_the_same_queries_for_10_or_1000_teams(
    organizer_client, pilot, django_assert_num_queries, rows
):
    campaign = CampaignFactory()
    teams = CanvassTeam.objects.bulk_create(
        CanvassTeam(campaign=campaign, name=f"Team {n}", day=("saturday", "sunday")[n % 2]) for n in range(rows)
    )
    members = bulk(VolunteerFactory, 2, block=None)
    on_blocks = blocks(3, zone=pilot)
    CanvassTeam.members.through.objects.bulk_create(
        CanvassTeam.members.through(canvassteam=team, volunteer=m) for team in teams for m in members
    )
    CanvassTeam.blocks.through.objects.bulk_create(
        CanvassTeam.blocks.through(canvassteam=team, block=b) for team in teams for b in on_blocks
    )
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4-5 the organizer's permissions (own,
    # group's), 6 the campaigns offered as a filter, 7 count, 8 full count,
    # 9 the page of teams with their campaign and counts.
    with django_assert_num_queries(9):
        response = organizer_client.get(reverse("admin:canvass_canvassteam_changelist"))
    assert response.context["cl"].result_count == rows
    assert {(t.member_count, t.block_count) for t in response.context["cl"].result_list} == {(2, 3)}
