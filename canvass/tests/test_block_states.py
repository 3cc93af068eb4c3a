"""Every block's path, in one word per block, computed for a whole zone at
once: not visited → visited → has sign-ups → has a trained neighbor → at
target, plus paused and needs a refresher; and the zone's funnel."""

import datetime

import pytest
from django.utils import timezone

from canvass.models import BlockPause, DoorTally
from canvass.states import BlockState, block_states, blocks_with_state, zone_funnel
from canvass.tests.factories import CanvassTeamFactory
from signups.tests.factories import VolunteerFactory
from zones.models import Block
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone():
    return ZoneFactory(slug="pilot", target_per_block=2)


def _block(zone, n):
    return BlockFactory(zone=zone, street="S 6TH ST", hundred=100 * n)


def _tally(block, **counts):
    today = timezone.localdate()
    team = CanvassTeamFactory(on=today, zone=block.zone)
    return DoorTally.objects.create(block=block, team=team, day=today, **counts)


def trained(**fields):
    return VolunteerFactory(trained_at=timezone.now() - datetime.timedelta(days=3), **fields)


def test_each_block_takes_the_furthest_state_on_its_path(zone):
    now = timezone.now()
    never = _block(zone, 1)
    knocked = _block(zone, 2)
    _tally(knocked, knocked=5, answered=2)
    signed_up = _block(zone, 3)
    VolunteerFactory(block=signed_up)
    one_trained = _block(zone, 4)
    trained(block=one_trained)
    VolunteerFactory(block=one_trained)
    full = _block(zone, 5)
    trained(block=full)
    trained(block=full)
    lapsed = _block(zone, 6)
    VolunteerFactory(block=lapsed, trained_at=now - datetime.timedelta(days=400), trained_until=now - datetime.timedelta(days=5))
    paused = _block(zone, 7)
    trained(block=paused)
    BlockPause.objects.create(block=paused, ends_at=now + datetime.timedelta(hours=3))
    states = block_states(Block.objects.filter(zone=zone))
    assert states == {
        never.pk: BlockState.NOT_VISITED,
        knocked.pk: BlockState.VISITED,
        signed_up.pk: BlockState.SIGNUPS,
        one_trained.pk: BlockState.TRAINED,
        full.pk: BlockState.AT_TARGET,
        lapsed.pk: BlockState.REFRESHER,
        paused.pk: BlockState.PAUSED,
    }


def test_a_lifted_or_ended_pause_gives_the_block_its_state_back(zone):
    now = timezone.now()
    block = _block(zone, 1)
    VolunteerFactory(block=block)
    BlockPause.objects.create(block=block, ends_at=now - datetime.timedelta(minutes=1))
    BlockPause.objects.create(block=block, ends_at=now + datetime.timedelta(hours=1), lifted_at=now)
    assert block_states(Block.objects.filter(pk=block.pk)) == {block.pk: BlockState.SIGNUPS}


def test_the_zone_target_decides_at_target(zone):
    zone.target_per_block = 1
    zone.save()
    block = _block(zone, 1)
    trained(block=block)
    assert block_states(Block.objects.filter(pk=block.pk)) == {block.pk: BlockState.AT_TARGET}


def test_counts_do_not_multiply_through_tallies_and_residents(zone):
    block = _block(zone, 1)
    _tally(block, knocked=3)
    _tally(block, knocked=4)
    for _ in range(3):
        VolunteerFactory(block=block)
    trained(block=block)
    row = blocks_with_state(Block.objects.filter(pk=block.pk)).get()
    assert (row.signup_count, row.trained_count) == (4, 1)


def test_the_funnel_adds_up_blocks_doors_sign_ups_and_trained(zone):
    other_zone = ZoneFactory(slug="elsewhere")
    a, b, c = _block(zone, 1), _block(zone, 2), _block(zone, 3)
    _tally(a, knocked=10, answered=4)
    _tally(b, knocked=6, answered=1)
    VolunteerFactory(block=b)
    trained(block=c)
    _tally(_block(other_zone, 9), knocked=99, answered=99)
    funnel = zone_funnel(zone)
    assert funnel.blocks == 3
    assert funnel.by_state[BlockState.VISITED] == 1
    assert funnel.by_state[BlockState.SIGNUPS] == 1
    assert funnel.by_state[BlockState.TRAINED] == 1
    assert (funnel.doors_knocked, funnel.doors_answered) == (16, 5)
    assert (funnel.signups, funnel.trained) == (2, 1)
    assert funnel.blocks_with_trained == 1
    assert [row[0] for row in funnel.rows()][:3] == ["not_visited", "visited", "signups"]
