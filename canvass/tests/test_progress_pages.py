"""Progress over time: the daily snapshot (a command and a worker task, once
per zone and day), the zone's progress page and the dashboard in the admin
with their charts' data and table, the map's state layer, and the public
zone page's totals, never per block."""

import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from canvass.models import BlockPause, DoorTally
from canvass.snapshots import ZoneSnapshot, zone_snapshots_take
from canvass.tests.factories import CanvassTeamFactory
from messaging.tests.worker import worker_run_queued
from signups.tests.factories import CampaignFactory, VolunteerFactory
from tests.query_budget import organizer_of
from zones.models import Zone
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone():
    return ZoneFactory(slug="pilot", name_en="Pilot", name_es="Piloto", status=Zone.Status.PILOT)


@pytest.fixture
def organizer_client(client, zone, otp_login):
    otp_login(client, organizer_of(zone))
    return client


def knocked(block, day, knocked, answered=0):
    team = CanvassTeamFactory(on=day, zone=block.zone)
    return DoorTally.objects.create(block=block, team=team, day=day, knocked=knocked, answered=answered)


def trained(block):
    return VolunteerFactory(block=block, trained_at=timezone.now() - datetime.timedelta(days=1))


def test_the_snapshot_command_writes_one_row_per_zone_and_day_however_often_it_runs(zone):
    ZoneFactory(slug="planned", status=Zone.Status.PLANNED)
    block = BlockFactory(zone=zone)
    knocked(block, timezone.localdate(), 12, 5)
    call_command("canvass_snapshot", verbosity=0)
    trained(block)
    call_command("canvass_snapshot", verbosity=0)
    snapshot = ZoneSnapshot.objects.get()
    assert snapshot.zone == zone and snapshot.day == timezone.localdate()
    assert (snapshot.blocks, snapshot.blocks_with_trained, snapshot.signups, snapshot.trained) == (1, 1, 1, 1)
    assert (snapshot.doors_knocked, snapshot.doors_answered) == (12, 5)


@pytest.mark.django_db(transaction=True)
def test_the_snapshot_runs_through_the_worker_too(zone):
    BlockFactory(zone=zone)
    call_command("canvass_snapshot", "--queue", verbosity=0)
    assert not ZoneSnapshot.objects.exists()  # queued, not taken in the command
    worker_run_queued()
    assert ZoneSnapshot.objects.get().blocks_not_visited == 1


def test_a_paused_block_is_counted_paused_in_the_snapshot(zone):
    block = BlockFactory(zone=zone)
    BlockPause.objects.create(block=block, ends_at=timezone.now() + datetime.timedelta(hours=2))
    zone_snapshots_take()
    assert ZoneSnapshot.objects.get().blocks_paused == 1


def _chart_data(body, slug):
    match = re.search(rf'<script id="progress-data-{slug}" type="application/json">(.*?)</script>', body, re.S)
    return json.loads(match.group(1))


def test_the_zone_progress_page_shows_the_funnel_charts_data_and_a_table(organizer_client, zone):
    today = timezone.localdate()
    a, b = BlockFactory(zone=zone), BlockFactory(zone=zone)
    CampaignFactory(name_en="Launch", starts_on=today - datetime.timedelta(days=3), ends_on=today - datetime.timedelta(days=2))
    knocked(a, today - datetime.timedelta(days=2), 30, 9)
    knocked(b, today, 10, 2)
    VolunteerFactory(block=a)
    trained(b)
    zone_snapshots_take(day=today - datetime.timedelta(days=1))
    zone_snapshots_take()
    response = organizer_client.get(reverse("admin:canvass_zone_progress", args=[zone.pk]))
    body = response.content.decode()
    funnel = response.context["row"]["funnel"]
    assert (funnel.doors_knocked, funnel.doors_answered, funnel.signups, funnel.trained) == (40, 11, 2, 1)
    data = _chart_data(body, "pilot")
    assert data["days"][0] == (today - datetime.timedelta(days=3)).isoformat()  # from the launch on
    assert data["days"][-1] == today.isoformat()
    assert data["doors"] == [0, 30, 0, 10]
    assert sum(data["signups"]) == 2
    assert data["blocks_with_trained"] == [None, None, 1, 1]
    assert data["blocks"] == 2
    # Every campaign's dates are marked (the teams' campaigns here too).
    assert {"start": data["days"][0], "end": data["days"][1], "label": "Launch"} in data["launches"]
    # The table fallback, for screen readers and phones without JavaScript.
    assert "<table>" in body and "Sign-ups per day" in body
    assert "<script>" not in body.split("<body", 1)[1]  # nothing inline (CSP)
    assert "vendor/uplot/uPlot.iife.min.js" in body


def test_the_dashboard_shows_only_the_organizers_zones(organizer_client, zone):
    ZoneFactory(slug="elsewhere", name_en="Elsewhere")
    response = organizer_client.get(reverse("admin:canvass_zonesnapshot_changelist"))
    assert [row["zone"] for row in response.context["rows"]] == [zone]


def test_another_zones_organizer_cannot_open_its_progress(client, otp_login, zone):
    otp_login(client, organizer_of(ZoneFactory(slug="b"), username="organizer-b"))
    assert client.get(reverse("admin:canvass_zone_progress", args=[zone.pk])).status_code == 404
    assert client.get(reverse("canvass:block_states", args=["pilot"])).status_code == 404


def test_the_zone_change_page_links_its_progress_and_follow_up_list(organizer_client, zone):
    body = organizer_client.get(reverse("admin:zones_zone_change", args=[zone.pk])).content.decode()
    assert reverse("admin:canvass_zone_progress", args=[zone.pk]) in body
    assert reverse("admin:trainings_follow_up", args=[zone.pk]) in body


def test_the_map_offers_the_state_layer_with_its_url(organizer_client, zone):
    body = organizer_client.get(reverse("zones:map", args=["pilot"])).content.decode()
    assert 'name="map-layer" value="coverage" checked' in body
    assert f'data-layer-url="{reverse("canvass:block_states", args=["pilot"])}"' in body
    legend = organizer_client.get(reverse("canvass:block_states", args=["pilot"])).json()["legend"]
    assert [entry[0] for entry in legend] == [
        "not_visited", "visited", "signups", "refresher", "trained", "at_target", "paused",
    ]


def test_the_public_page_shows_totals_and_a_chart_never_per_block_numbers_or_pauses(client, zone):
    a, b = BlockFactory(zone=zone, street="S 9TH ST", hundred=1100), BlockFactory(zone=zone)
    knocked(a, timezone.localdate(), 25)
    trained(b)
    BlockPause.objects.create(block=a, ends_at=timezone.now() + datetime.timedelta(hours=2))
    zone_snapshots_take(day=timezone.localdate() - datetime.timedelta(days=1))
    zone_snapshots_take()
    body = client.get("/en/zones/").content.decode()
    assert "25 doors knocked" in body
    assert "<polyline" in body and "now 1 of 2" in body
    assert "1100" not in body and "9th" not in body
    assert "aused" not in body
    spanish = client.get("/es/zones/").content.decode()
    assert "25 puertas tocadas" in spanish


def test_the_public_page_is_kept_and_forgotten_when_the_canvass_data_changes(client, zone, django_assert_num_queries):
    block = BlockFactory(zone=zone)
    client.get("/en/zones/")
    with django_assert_num_queries(0):
        client.get("/en/zones/")
    tally = knocked(block, timezone.localdate(), 7)  # a paper sheet typed in the admin
    assert "7 doors knocked" in client.get("/en/zones/").content.decode()
    tally.knocked = 9
    tally.save()
    assert "9 doors knocked" in client.get("/en/zones/").content.decode()
