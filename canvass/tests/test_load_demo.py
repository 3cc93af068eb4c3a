"""`make run`'s demo lets a newcomer tally: the demo organizer canvasses
today's pilot blocks with a demo team, and the public pages still show the
launch weekend."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from canvass.models import CanvassTeam, day_name
from signups.services import campaign_current
from tests.auth import login_with_otp

pytestmark = pytest.mark.django_db


def _load_demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_the_demo_organizer_canvasses_todays_pilot_blocks(client):
    _load_demo()
    organizer = get_user_model().objects.get(username="organizer")
    team = CanvassTeam.objects.get(canvassers=organizer)
    assert team.day == day_name(timezone.localdate())
    blocks = list(team.blocks.all())
    assert len(blocks) == 4
    assert {block.zone.slug for block in blocks} == {"south-philly-pilot"}

    login_with_otp(client, organizer)
    response = client.get(reverse("canvass:home"))

    assert response.status_code == 200
    html = response.content.decode()
    for block in blocks:
        assert f'id="block-{block.pk}-{team.pk}"' in html
    assert response["X-Offline-Allowed"] == "1"


def test_the_public_pages_keep_the_launch_weekend():
    _load_demo()
    open_campaign, _closed = campaign_current()
    assert open_campaign.slug == "launch-weekend"


def test_run_again_another_day_the_team_canvasses_that_day_and_nothing_doubles(monkeypatch):
    _load_demo()
    teams, blocks = CanvassTeam.objects.count(), CanvassTeam.blocks.through.objects.count()
    later = timezone.now() + datetime.timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: later)

    _load_demo()

    assert (CanvassTeam.objects.count(), CanvassTeam.blocks.through.objects.count()) == (teams, blocks)
    team = CanvassTeam.objects.get()
    assert team.day == day_name(timezone.localdate())
    assert CanvassTeam.objects.on_day(timezone.localdate()).filter(pk=team.pk).exists()
