"""Pausing a block for safety: it leaves every canvass list, its zone's
organizers are told, and it comes back by itself or when an organizer lifts
the pause. Nothing about residents is kept."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from canvass.models import BlockPause
from canvass.services import block_pause, block_pause_lift, canvasser_blocks
from messaging.models import Message
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(zone):
    user = get_user_model().objects.create_user("org-a", email="org-a@example.org", password="x" * 20, is_staff=True)
    user.groups.add(Group.objects.get(name="Organizer"))
    zone.organizers.add(user)
    return user


def test_a_paused_block_leaves_the_canvass_list(canvasser, team, blocks, saturday):
    block_pause(block=blocks[0], by=canvasser)
    assert [b for b, _t in canvasser_blocks(user=canvasser, day=saturday.date())] == [blocks[1]]


def test_the_zones_organizers_are_told_once(canvasser, team, blocks, organizer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        block_pause(block=blocks[0], by=canvasser)
        _pause, created = block_pause(block=blocks[0], by=canvasser)
    assert not created
    message = Message.objects.get()
    assert message.staff_user == organizer
    assert "1000 block" in message.subject
    assert reverse("admin:canvass_blockpause_change", args=[BlockPause.objects.get().pk]) in message.body


def test_organizers_of_other_zones_are_not_told(canvasser, team, blocks, organizer):
    other_zone_block = BlockFactory(zone=ZoneFactory())
    block_pause(block=other_zone_block, by=canvasser)
    assert not Message.objects.exists()


def test_a_pause_ends_by_itself_after_the_pause_hours(canvasser, team, blocks, saturday, settings):
    settings.BLOCK_PAUSE_HOURS = 6
    block_pause(block=blocks[0], by=canvasser)
    later = saturday + datetime.timedelta(hours=6, minutes=1)
    assert blocks[0] in [b for b, _t in canvasser_blocks(user=canvasser, day=saturday.date(), now=later)]


def test_an_organizer_lifts_a_pause(canvasser, team, blocks, organizer, saturday):
    pause, _created = block_pause(block=blocks[0], by=canvasser)
    block_pause_lift(pause=pause, by=organizer)
    pause.refresh_from_db()
    assert pause.lifted_by == organizer
    assert blocks[0] in [b for b, _t in canvasser_blocks(user=canvasser, day=saturday.date())]


def test_the_pause_records_who_and_when_only():
    assert {f.name for f in BlockPause._meta.get_fields()} == {
        "id", "block", "paused_by", "started_at", "ends_at", "lifted_at", "lifted_by",
    }


def test_a_canvasser_pauses_from_the_page(canvasser_client, team, blocks):
    response = canvasser_client.post(reverse("canvass:pause"), {"block": blocks[0].pk})
    assert response.status_code == 302
    assert BlockPause.objects.get().block == blocks[0]


def test_a_canvasser_cannot_pause_a_block_of_another_zone(canvasser_client, team):
    elsewhere = BlockFactory(zone=ZoneFactory())
    assert canvasser_client.post(reverse("canvass:pause"), {"block": elsewhere.pk}).status_code == 403
    assert not BlockPause.objects.exists()


def test_an_organizer_pauses_and_lifts_from_the_admin(client, otp_login, organizer, blocks):
    otp_login(client, organizer)
    response = client.post(reverse("admin:canvass_blockpause_add"), {"block": blocks[0].pk})
    assert response.status_code == 302
    pause = BlockPause.objects.get()
    assert pause.paused_by == organizer and pause.is_active()
    client.post(reverse("admin:canvass_blockpause_changelist"),
                {"action": "lift", "_selected_action": [pause.pk]})
    pause.refresh_from_db()
    assert pause.lifted_by == organizer
