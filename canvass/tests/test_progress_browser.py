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


# Where on the map (CSS pixels from its corner) the canvas has a pixel of
# the colour [r, g, b], or null.
PIXEL_OF = """(rgb) => {
  const canvas = document.querySelector("#zone-map canvas");
  const ratio = canvas.width / canvas.clientWidth;
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  const mapBox = document.getElementById("zone-map").getBoundingClientRect();
  const canvasBox = canvas.getBoundingClientRect();
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i] - rgb[0]) < 8 && Math.abs(data[i + 1] - rgb[1]) < 8 && Math.abs(data[i + 2] - rgb[2]) < 8 && data[i + 3] > 200) {
      const x = (i / 4) % canvas.width, y = Math.floor(i / 4 / canvas.width);
      const cssX = x / ratio + canvasBox.left - mapBox.left, cssY = y / ratio + canvasBox.top - mapBox.top;
      const underZoomButtons = cssX < 60 && cssY < 110;
      if (!underZoomButtons && cssX > 2 && cssY > 2 && cssX < mapBox.width - 2 && cssY < mapBox.height - 2) { return [cssX + 1, cssY + 2]; }
    }
  }
  return null;
}"""


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
    # The lines are recoloured: the unvisited block is grey now.
    page.wait_for_timeout(300)  # fitBounds animation
    assert page.evaluate(PIXEL_OF, [0x9E, 0x9E, 0x9E]) is not None
    # A tapped block's popup names its state too.
    x, y = page.evaluate(PIXEL_OF, [0xEF, 0x6C, 0x00])  # the knocked block, with a sign-up
    box = page.locator("#zone-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_selector(".leaflet-popup-content")
    assert "Has sign-ups" in page.locator(".leaflet-popup-content").inner_text()
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
