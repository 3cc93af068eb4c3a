"""On a 360 px phone a block's popup opened near the top of the map slid
under Leaflet's zoom buttons, hiding the block's name."""

import pytest

from tests.auth import browser_share_session, login_with_otp
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The leftmost, then topmost, pixel of a block with no trained neighbor
# (#c62828) at least `top` CSS pixels from the map's top, in CSS pixels.
FIRST_RED_PIXEL_BELOW = """(top) => {
  const canvas = document.querySelector("#zone-map canvas");
  const ratio = canvas.width / canvas.clientWidth;
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  // Leaflet draws on a canvas larger than the map, shifted up and left.
  const mapBox = document.getElementById("zone-map").getBoundingClientRect();
  const canvasBox = canvas.getBoundingClientRect();
  for (let x = 0; x < canvas.width; x++) {
    for (let y = 0; y < canvas.height; y++) {
      const i = (y * canvas.width + x) * 4;
      const cssX = x / ratio + canvasBox.left - mapBox.left;
      const cssY = y / ratio + canvasBox.top - mapBox.top;
      if (cssX >= 0 && cssY >= top && data[i] > 180 && data[i + 1] < 80 && data[i + 3] > 200) {
        return [cssX + 3, cssY + 3];
      }
    }
  }
  return null;
}"""


def intersects(a, b):
    return not (
        a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]
    )


def test_a_popup_near_the_top_left_is_not_covered_by_the_zoom_buttons(
    live_server, phone_page, django_user_model, settings, client
):
    settings.MAP_TILE_URL = ""
    zone = ZoneFactory(slug="pilot")
    # Two blocks side by side, west and east: the western one is drawn in the
    # left part of the map, right where the zoom buttons sit.
    BlockFactory(
        zone=zone, street="S 9TH ST", hundred=1100, from_street="WASHINGTON AVE", to_street="CARPENTER ST",
        geometry={"type": "LineString", "coordinates": [[-75.160, 39.9364], [-75.160, 39.9343]]},
    )
    BlockFactory(
        zone=zone, street="S 8TH ST", hundred=1100,
        geometry={"type": "LineString", "coordinates": [[-75.156, 39.9364], [-75.156, 39.9343]]},
    )
    user = django_user_model.objects.create_user(
        username="organizer", password="a long enough password", is_staff=True, is_superuser=True
    )
    login_with_otp(client, user)
    browser_share_session(phone_page.context, client, live_server)

    phone_page.goto(f"{live_server.url}/en/zones/pilot/map/")
    phone_page.wait_for_selector("text=2 blocks drawn.")
    phone_page.wait_for_timeout(300)  # fitBounds animation
    map_box = phone_page.locator("#zone-map").bounding_box()
    zoom = phone_page.locator(".leaflet-control-zoom").bounding_box()
    # Tap the western block just below the zoom buttons, where its popup
    # opens upwards, over them. Leaflet's map object is private to
    # zone_map.js: find the block's red pixels on the canvas instead.
    x, y = phone_page.evaluate(FIRST_RED_PIXEL_BELOW, zoom["y"] + zoom["height"] - map_box["y"] + 12)
    phone_page.touchscreen.tap(map_box["x"] + x, map_box["y"] + y)
    phone_page.locator(".leaflet-popup-content").wait_for()
    phone_page.wait_for_timeout(500)  # the popup's auto-pan animation

    popup = phone_page.locator(".leaflet-popup-content-wrapper").bounding_box()
    zoom = phone_page.locator(".leaflet-control-zoom").bounding_box()
    assert "1100 block of S 9th St" in phone_page.locator(".leaflet-popup-content").inner_text()
    assert not intersects(popup, zoom), (popup, zoom)
    # And the whole popup is inside the map.
    assert popup["x"] >= map_box["x"] and popup["x"] + popup["width"] <= map_box["x"] + map_box["width"]
    assert popup["y"] >= map_box["y"]
