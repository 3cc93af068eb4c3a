"""A tap on the tally: applied once per id, added (never set) so two phones
on one block lose nothing, refused outside the canvasser's blocks of the day."""

import uuid

import pytest

from canvass.models import DoorTally, TallyIncrement
from canvass.services import CanvassError, tally_increment, tally_note_add
from canvass.tests.factories import CanvasserFactory, CanvassTeamFactory

pytestmark = pytest.mark.django_db


def tap(canvasser, team, block, field="knocked", delta=1, increment_id=None):
    return tally_increment(
        user=canvasser, block_id=block.pk, team_id=team.pk, field=field, delta=delta,
        increment_id=increment_id or uuid.uuid4(),
    )


def test_a_tap_adds_one_to_the_box_of_today(canvasser, team, blocks, saturday):
    tally, applied = tap(canvasser, team, blocks[0])
    assert applied
    assert (tally.knocked, tally.answered) == (1, 0)
    assert tally.day == saturday.date()


def test_the_same_tap_sent_again_changes_nothing(canvasser, team, blocks):
    increment_id = uuid.uuid4()
    tap(canvasser, team, blocks[0], increment_id=increment_id)
    tally, applied = tap(canvasser, team, blocks[0], increment_id=increment_id)
    assert not applied
    assert tally.knocked == 1
    assert TallyIncrement.objects.count() == 1


def test_two_canvassers_on_one_block_add_up(canvasser, team, blocks):
    other = CanvasserFactory()
    team.canvassers.add(other)
    for _ in range(3):
        tap(canvasser, team, blocks[0])
        tap(other, team, blocks[0])
    assert DoorTally.objects.get().knocked == 6


def test_taking_one_off_never_goes_below_zero(canvasser, team, blocks):
    tap(canvasser, team, blocks[0], field="not_home")
    tap(canvasser, team, blocks[0], field="not_home", delta=-1)
    tally, _applied = tap(canvasser, team, blocks[0], field="not_home", delta=-1)
    assert tally.not_home == 0


@pytest.mark.parametrize("field, delta, code", [
    ("house_number", 1, "bad_field"), ("knocked", 5, "bad_delta"), ("knocked", "x", "bad_delta"),
])
def test_a_tap_that_is_no_tap_is_refused(canvasser, team, blocks, field, delta, code):
    with pytest.raises(CanvassError) as refusal:
        tap(canvasser, team, blocks[0], field=field, delta=delta)
    assert refusal.value.code == code
    assert not DoorTally.objects.exists()


def test_a_bad_id_is_refused(canvasser, team, blocks):
    with pytest.raises(CanvassError) as refusal:
        tap(canvasser, team, blocks[0], increment_id="not-a-uuid")
    assert refusal.value.code == "bad_id"


def test_a_block_of_no_team_of_mine_is_refused(canvasser, team, blocks):
    with pytest.raises(CanvassError) as refusal:
        tap(canvasser, team, blocks[2])
    assert refusal.value.code == "not_your_block"


def test_another_teams_tally_is_refused(canvasser, team, blocks, saturday):
    theirs = CanvassTeamFactory(on=saturday.date(), blocks=[blocks[0]], canvassers=[CanvasserFactory()])
    with pytest.raises(CanvassError) as refusal:
        tap(canvasser, theirs, blocks[0])
    assert refusal.value.code == "not_your_team"


def test_a_team_of_another_day_is_refused(canvasser, saturday, blocks):
    sunday_team = CanvassTeamFactory(on=saturday.date(), day="sunday", blocks=[blocks[0]], canvassers=[canvasser])
    with pytest.raises(CanvassError) as refusal:
        tap(canvasser, sunday_team, blocks[0])
    assert refusal.value.code == "not_your_team"


def test_notes_of_two_canvassers_are_both_kept_once(canvasser, team, blocks):
    note_id = uuid.uuid4()
    for _ in range(2):
        tally_note_add(user=canvasser, block_id=blocks[0].pk, team_id=team.pk,
                       note="Dog at the corner house, go in pairs", increment_id=note_id)
    tally, _applied = tally_note_add(user=canvasser, block_id=blocks[0].pk, team_id=team.pk,
                                     note="Spanish speakers mostly", increment_id=uuid.uuid4())
    assert tally.note == "Dog at the corner house, go in pairs\nSpanish speakers mostly"


def test_an_empty_note_is_refused(canvasser, team, blocks):
    with pytest.raises(CanvassError) as refusal:
        tally_note_add(user=canvasser, block_id=blocks[0].pk, team_id=team.pk, note="  ", increment_id=uuid.uuid4())
    assert refusal.value.code == "empty_note"


def test_the_tally_stores_counts_and_nothing_about_a_door():
    fields = {field.name for field in DoorTally._meta.get_fields()}
    assert fields == {
        "id", "block", "team", "day", "knocked", "answered", "not_home", "no_thanks", "flyer_left",
        "come_back", "signups_on_spot", "note", "updated_at", "increments",
    }
    increment_fields = {field.name for field in TallyIncrement._meta.get_fields()}
    assert increment_fields == {"id", "tally", "field", "delta", "made_at", "received_at", "made_by"}
