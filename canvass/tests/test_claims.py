"""Claiming a block: a team takes a free block of its zone for the day; the
claim lapses CANVASS_CLAIM_HOURS after the last tally; the staff map says
which team has which block."""

import datetime
import uuid

import pytest
from django.urls import reverse

from canvass.models import BlockClaim
from canvass.services import CanvassError, block_claim, canvasser_blocks, tally_increment
from canvass.tests.factories import CanvasserFactory, CanvassTeamFactory
from signups.tests.factories import VolunteerFactory
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def test_a_team_claims_a_free_block_of_its_zone_for_the_day(canvasser, team, blocks, saturday):
    claim = block_claim(user=canvasser, block_id=blocks[2].pk, team_id=team.pk)
    assert (claim.team, claim.day) == (team, saturday.date())
    assert claim.expires_at == pytest.approx(saturday + datetime.timedelta(hours=4), abs=datetime.timedelta(seconds=30))
    assert blocks[2] in [block for block, _team in canvasser_blocks(user=canvasser, day=saturday.date())]


def test_a_block_another_team_has_is_refused(canvasser, team, blocks, saturday):
    other = CanvassTeamFactory(on=saturday.date(), canvassers=[CanvasserFactory()], zone=team.zone)
    with pytest.raises(CanvassError) as refusal:
        block_claim(user=canvasser, block_id=blocks[0].pk, team_id=team.pk)  # assigned to us already
    assert refusal.value.code == "claimed"
    block_claim(user=other.canvassers.get(), block_id=blocks[2].pk, team_id=other.pk)
    with pytest.raises(CanvassError) as refusal:
        block_claim(user=canvasser, block_id=blocks[2].pk, team_id=team.pk)
    assert refusal.value.code == "claimed"


def test_a_block_of_another_zone_is_refused(canvasser, team):
    elsewhere = BlockFactory(zone=ZoneFactory())
    with pytest.raises(CanvassError) as refusal:
        block_claim(user=canvasser, block_id=elsewhere.pk, team_id=team.pk)
    assert refusal.value.code == "claimed"


def test_a_lapsed_claim_goes_to_the_next_team(canvasser, team, blocks, saturday):
    other = CanvassTeamFactory(on=saturday.date(), canvassers=[CanvasserFactory()], zone=team.zone)
    block_claim(user=other.canvassers.get(), block_id=blocks[2].pk, team_id=other.pk,
                now=saturday - datetime.timedelta(hours=5))
    claim = block_claim(user=canvasser, block_id=blocks[2].pk, team_id=team.pk)
    assert claim.team == team
    assert BlockClaim.objects.count() == 1


def test_a_claim_lapses_after_the_claim_hours_without_tallies(canvasser, team, blocks, saturday, settings):
    settings.CANVASS_CLAIM_HOURS = 2
    block_claim(user=canvasser, block_id=blocks[2].pk, team_id=team.pk)
    later = saturday + datetime.timedelta(hours=2, minutes=1)
    assert blocks[2] not in [b for b, _t in canvasser_blocks(user=canvasser, day=saturday.date(), now=later)]


def test_a_tally_keeps_the_claim_alive(canvasser, team, blocks, saturday):
    block_claim(user=canvasser, block_id=blocks[2].pk, team_id=team.pk, now=saturday - datetime.timedelta(hours=3))
    tally_increment(user=canvasser, block_id=blocks[2].pk, team_id=team.pk, field="knocked", delta=1,
                    increment_id=uuid.uuid4())
    claim = BlockClaim.objects.get()
    assert claim.expires_at > saturday + datetime.timedelta(hours=3)


def test_claiming_from_the_page_lists_the_block(canvasser_client, team, blocks):
    response = canvasser_client.post(reverse("canvass:claim"), {"block": blocks[2].pk, "team": team.pk}, follow=True)
    assert response.status_code == 200
    assert f'id="block-{blocks[2].pk}-{team.pk}"' in response.content.decode()


def test_the_staff_map_names_the_team_on_each_block_and_no_member(client, otp_login, canvasser, team, blocks, zone):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    block_claim(user=canvasser, block_id=blocks[2].pk, team_id=team.pk)
    team.members.add(VolunteerFactory(name="Rosa Member"))
    organizer = get_user_model().objects.create_user("org", password="x" * 20, is_staff=True)
    organizer.groups.add(Group.objects.get(name="Organizer"))
    zone.organizers.add(organizer)
    otp_login(client, organizer)
    html = client.get(reverse("zones:map", args=[zone.slug])).content.decode()
    assert html.count("Tasker crew") == 3  # two assigned blocks, one claimed
    assert "Rosa Member" not in html
    assert "ana-canvasser" not in html
