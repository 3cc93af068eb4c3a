"""/<lang>/canvass/: today's blocks of my teams, each with its tally; the
taps' endpoint answers the phone with JSON and a plain form with a redirect."""

import datetime
import json
import uuid

import pytest
from django.urls import reverse

from canvass.models import BlockClaim, BlockPause, DoorTally
from canvass.tests.factories import CanvasserFactory, CanvassTeamFactory
from signups.models import Volunteer
from signups.tests.factories import VolunteerFactory
from zones.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db


def page(client, language="en"):
    return client.get(reverse("canvass:home").replace("/en/", f"/{language}/"))


def test_anonymous_is_sent_to_log_in(client, team):
    response = page(client)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_staff_user_who_is_no_canvasser_is_refused(client, otp_login, team):
    from trainings.tests.factories import UserFactory

    otp_login(client, UserFactory())
    assert page(client).status_code == 403
    assert client.post(reverse("canvass:tally"), {}).status_code == 403


def test_the_tally_takes_no_get(canvasser_client, team):
    assert canvasser_client.get(reverse("canvass:tally")).status_code == 405


def test_the_page_lists_the_blocks_of_my_teams_today_and_no_other(canvasser_client, team, blocks, saturday):
    CanvassTeamFactory(on=saturday.date(), name="Other crew", blocks=[blocks[2]], canvassers=[CanvasserFactory()])
    response = page(canvasser_client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "1000 block" in html and "1100 block" in html
    assert 'id="block-%d-%d"' % (blocks[2].pk, team.pk) not in html
    assert "Tasker crew" in html and "Other crew" not in html
    assert response["X-Offline-Allowed"] == "1"


def test_a_paused_block_leaves_the_list(canvasser_client, team, blocks, saturday):
    BlockPause.objects.create(block=blocks[0], started_at=saturday, ends_at=saturday + datetime.timedelta(hours=24))
    html = page(canvasser_client).content.decode()
    assert f'id="block-{blocks[0].pk}-{team.pk}"' not in html
    assert f'id="block-{blocks[1].pk}-{team.pk}"' in html


def test_a_claimed_block_joins_the_list(canvasser_client, team, blocks, saturday):
    BlockClaim.objects.create(block=blocks[2], team=team, day=saturday.date(), expires_at=saturday + datetime.timedelta(hours=4))
    assert f'id="block-{blocks[2].pk}-{team.pk}"' in page(canvasser_client).content.decode()


def test_the_page_speaks_spanish(canvasser_client, team):
    html = page(canvasser_client, "es").content.decode()
    assert "Mis cuadras de hoy" in html
    assert "Puertas tocadas" in html


def test_sign_ups_through_the_blocks_qr_code_today_are_counted(canvasser_client, team, blocks, saturday):
    VolunteerFactory(block=blocks[0], source=Volunteer.Source.FORM, created_at=saturday)
    VolunteerFactory(block=blocks[0], source=Volunteer.Source.FORM, created_at=saturday - datetime.timedelta(days=1))
    VolunteerFactory(block=blocks[0], source=Volunteer.Source.WALK_IN, created_at=saturday)
    html = page(canvasser_client).content.decode()
    assert "1 sign-up through this block" in html


@pytest.mark.parametrize("count", [1, 20])
def test_the_page_costs_the_same_queries_for_1_or_20_blocks(canvasser_client, team, zone, saturday, count,
                                                             django_assert_num_queries):
    team.blocks.set([BlockFactory(zone=zone, street="S 8TH ST", hundred=100 * (n + 1)) for n in range(count)])
    page(canvasser_client)  # warm the session
    # (The session, its user and device come from the cache.) 1 the
    # Canvasser group, 2 teams of today, 3 their blocks (paused ones left
    # out in the same query), 4 their claims, 5 the blocks, 6 their tallies,
    # 7 QR sign-ups, 8 teams offered for a claim, 9-10 their zones (own, and
    # their blocks'), 11 the claimable blocks.
    with django_assert_num_queries(11):
        response = page(canvasser_client)
    assert response.status_code == 200


def post_tap(client, block, team, **extra):
    data = {"block": block.pk, "team": team.pk, "field": "knocked", "delta": "1", "id": str(uuid.uuid4()), **extra}
    return client.post(reverse("canvass:tally"), data, HTTP_ACCEPT="application/json")


def test_a_tap_answers_the_phone_with_the_tallys_counts(canvasser_client, team, blocks):
    response = post_tap(canvasser_client, blocks[0], team)
    assert response.status_code == 200
    answer = json.loads(response.content)
    assert answer["ok"] and answer["applied"]
    assert answer["tally"]["knocked"] == 1


def test_a_plain_form_tap_sent_twice_counts_once(canvasser_client, team, blocks):
    data = {"block": blocks[0].pk, "team": team.pk, "field": "answered", "delta": "1", "id": str(uuid.uuid4())}
    for _ in range(2):
        response = canvasser_client.post(reverse("canvass:tally"), data)
        assert response.status_code == 302
        assert response["Location"].endswith(f"#block-{blocks[0].pk}-{team.pk}")
    assert DoorTally.objects.get().answered == 1


def test_a_refused_tap_answers_with_its_code_and_a_message(canvasser_client, team, blocks):
    response = post_tap(canvasser_client, blocks[2], team)
    assert response.status_code == 400
    assert json.loads(response.content)["code"] == "not_your_block"


@pytest.mark.parametrize("data", [
    {}, {"block": "x", "team": "y"}, {"block": "1", "team": "1", "field": "knocked", "id": "1", "delta": "9"},
    {"block": "99999999999999999999", "team": "1"}, {"day": "2026-99-99"},
])
def test_junk_never_makes_a_500(canvasser_client, team, data):
    assert canvasser_client.post(reverse("canvass:tally"), data, HTTP_ACCEPT="application/json").status_code == 400
    assert canvasser_client.post(reverse("canvass:note"), data, HTTP_ACCEPT="application/json").status_code == 400


def test_a_tap_from_yesterdays_queue_counts_for_yesterday(canvasser_client, team, blocks, saturday):
    sunday_team = CanvassTeamFactory(on=saturday.date(), day="sunday", blocks=[blocks[0]])
    del sunday_team
    response = post_tap(canvasser_client, blocks[0], team, day=(saturday.date() - datetime.timedelta(days=3)).isoformat())
    assert response.status_code == 200
    assert DoorTally.objects.get().day == saturday.date()  # too old a day: today's


def test_a_note_is_added_for_the_organizers(canvasser_client, team, blocks):
    response = canvasser_client.post(
        reverse("canvass:note"), {"block": blocks[0].pk, "team": team.pk, "note": "Come back after 5", "id": str(uuid.uuid4())}
    )
    assert response.status_code == 302
    assert DoorTally.objects.get().note == "Come back after 5"


def test_a_canvasser_without_the_second_factor_is_sent_to_set_it_up(client, canvasser, team):
    client.force_login(canvasser)  # password only
    response = page(client)
    assert response.status_code == 302
    assert reverse("otp-enroll") in response["Location"]
    assert client.post(reverse("canvass:tally"), {}).status_code == 302
