"""The staff map is used in the street on a phone: Leaflet's zoom and
popup-close buttons (30 and 24 px by default) are made thumb-sized."""

import pytest

from tests.auth import browser_share_session, login_with_otp
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_map_controls_are_44_px(live_server, phone_page, django_user_model, settings, client):
    settings.MAP_TILE_URL = ""
    zone = ZoneFactory(slug="pilot")
    BlockFactory(
        zone=zone, street="S 9TH ST", hundred=1100,
        geometry={"type": "LineString", "coordinates": [[-75.158, 39.9364], [-75.158, 39.9343]]},
    )
    user = django_user_model.objects.create_user(
        username="organizer", password="a long enough password", is_staff=True, is_superuser=True
    )
    login_with_otp(client, user)
    browser_share_session(phone_page.context, client, live_server)

    phone_page.goto(f"{live_server.url}/en/zones/pilot/map/")
    phone_page.wait_for_selector("text=1 block drawn.")
    for selector in (".leaflet-control-zoom-in", ".leaflet-control-zoom-out"):
        box = phone_page.locator(selector).bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, selector

    map_box = phone_page.locator("#zone-map").bounding_box()
    phone_page.wait_for_timeout(300)  # fitBounds animation
    phone_page.touchscreen.tap(map_box["x"] + map_box["width"] / 2, map_box["y"] + map_box["height"] / 2)
    close = phone_page.locator(".leaflet-popup-close-button")
    close.wait_for()
    # Its laid-out size, not its bounding box: the popup lives in Leaflet's
    # map pane, which a zoom still finishing on a slow machine scales by a
    # hair (a 44 px button measured 43.99997).
    width, height = close.evaluate("button => [button.offsetWidth, button.offsetHeight]")
    assert width >= 44 and height >= 44
    link = phone_page.locator(".back-link, a.tap-link").first.bounding_box()
    assert link["height"] >= 44
