"""In headless Chromium, under the app's strict CSP: the map's layer switch
fetches the canvass states and swaps the legend, and the zone's progress
page draws its three charts with the vendored uPlot, folding the table."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from canvass.models import DoorTally
from canvass.snapshots import zone_snapshots_take
from canvass.tests.factories import CanvassTeamFactory
from signups.tests.factories import VolunteerFactory
from tests.auth import browser_share_session, login_with_otp
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def canvassed_zone():
    zone = ZoneFactory(slug="pilot", name_en="Pilot")
    visited = BlockFactory(zone=zone, street="S 9TH ST", hundred=1100)
    BlockFactory(zone=zone, street="S 9TH ST", hundred=1200)
    today = timezone.localdate()
    DoorTally.objects.create(block=visited, team=CanvassTeamFactory(on=today, zone=zone), day=today, knocked=8)
    VolunteerFactory(block=visited, created_at=timezone.now() - datetime.timedelta(days=1))
    zone_snapshots_take(day=today - datetime.timedelta(days=1))
    zone_snapshots_take()
    return zone


@pytest.fixture
def organizer_page(live_server, desktop_page, django_user_model, client, settings):
    settings.MAP_TILE_URL = ""
    user = django_user_model.objects.create_user(username="organizer", is_staff=True, is_superuser=True)
    login_with_otp(client, user)
    browser_share_session(desktop_page.context, client, live_server)
    errors = []
    desktop_page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    desktop_page.errors = errors
    return desktop_page


def test_the_map_switches_to_the_canvass_state_layer(live_server, organizer_page, canvassed_zone):
    page = organizer_page
    page.goto(f"{live_server.url}/en/zones/pilot/map/")
    page.wait_for_selector("text=2 blocks drawn.")
    assert page.locator("#zone-map-legend li").first.inner_text().strip() == "No trained neighbor"
    page.check("input[value='canvass-state']")
    page.wait_for_selector("text=Blocks colored by Canvass state.")
    legend = page.locator("#zone-map-legend li").all_inner_texts()
    assert [text.strip() for text in legend][:3] == ["Not visited", "Visited", "Has sign-ups"]
    page.check("input[value='coverage']")
    assert page.locator("#zone-map-legend li").first.inner_text().strip() == "No trained neighbor"
    assert page.errors == []


def test_the_zone_progress_page_draws_its_charts_under_the_csp(live_server, organizer_page, canvassed_zone):
    page = organizer_page
    response = page.goto(live_server.url + reverse("admin:canvass_zone_progress", args=[canvassed_zone.pk]))
    assert "script-src" in response.headers.get("content-security-policy", "")
    page.wait_for_selector(".progress-chart .uplot canvas")
    assert page.locator(".progress-chart .uplot").count() == 3
    assert page.locator("details.progress-table").get_attribute("open") is None
    assert not [error for error in page.errors if "Content Security Policy" in error or "Refused" in error]
