"""Phones racing on one block, each on its own database connection: taps
add up, the same tap sent twice at once counts once, and the first taps of a
day make one tally between them."""

import uuid
from functools import partial

import pytest

from canvass.models import DoorTally, TallyIncrement
from canvass.services import tally_increment
from canvass.tests.factories import CanvasserFactory
from tests.races import require_postgresql, run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_four_phones_tapping_one_block_at_once_lose_no_tap(canvasser, team, blocks):
    require_postgresql()
    phones = [canvasser, *(CanvasserFactory() for _ in range(3))]
    team.canvassers.add(*phones)

    def taps(phone):
        for _ in range(5):
            tally_increment(user=phone, block_id=blocks[0].pk, team_id=team.pk, field="knocked", delta=1,
                            increment_id=uuid.uuid4())

    _results, errors = run_at_once(*(partial(taps, phone) for phone in phones))
    assert errors == []
    tally = DoorTally.objects.get()  # one tally, though all four made the day's first tap
    assert tally.knocked == 20


def test_the_same_tap_sent_twice_at_once_counts_once(canvasser, team, blocks):
    require_postgresql()
    tap_id = uuid.uuid4()

    def send():
        return tally_increment(user=canvasser, block_id=blocks[0].pk, team_id=team.pk, field="answered",
                               delta=1, increment_id=tap_id)[1]

    results, errors = run_at_once(send, send, send)
    assert errors == []
    assert sorted(results) == [False, False, True]
    assert DoorTally.objects.get().answered == 1
    assert TallyIncrement.objects.count() == 1
