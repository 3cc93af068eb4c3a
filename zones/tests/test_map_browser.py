import re

import pytest
from django.test import Client

from signups.tests.factories import VolunteerFactory
from tests.auth import browser_share_session, login_with_otp
from tests.browser import live_server_settled
from zones.tests.factories import BlockFactory, ZoneFactory


def log_browser_in(page, live_server, user):
    """Give the browser the session of a staff user who passed the second factor."""
    client = Client()
    login_with_otp(client, user)
    browser_share_session(page.context, client, live_server)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_map_draws_blocks_on_a_phone_and_a_tap_shows_the_block(live_server, phone_page, django_user_model, settings):
    settings.MAP_TILE_URL = ""
    zone = ZoneFactory(
        slug="pilot", name_en="Pilot", name_es="Piloto",
        boundary={"type": "Polygon", "coordinates": [[[-75.159, 39.9366], [-75.157, 39.9366],
                                                      [-75.157, 39.9320], [-75.159, 39.9320],
                                                      [-75.159, 39.9366]]]},
    )
    block = BlockFactory(
        zone=zone, street="S 9TH ST", hundred=1100,
        geometry={"type": "LineString", "coordinates": [[-75.158, 39.9364], [-75.158, 39.9343]]},
    )
    BlockFactory(
        zone=zone, street="S 9TH ST", hundred=1200,
        geometry={"type": "LineString", "coordinates": [[-75.158, 39.9343], [-75.158, 39.9322]]},
    )
    VolunteerFactory(block=block)
    user = django_user_model.objects.create_user(
        username="organizer", password="a long enough password", is_staff=True, is_superuser=True
    )
    log_browser_in(phone_page, live_server, user)
    requested, errors = [], []
    phone_page.on("request", lambda request: requested.append(request.url))
    phone_page.on("response", lambda response: response.status >= 400 and errors.append(response.url))
    phone_page.on("pageerror", lambda error: errors.append(str(error)))
    # (Console errors are not checked: Chromium logs its own favicon.ico 404.)

    phone_page.goto(f"{live_server.url}/en/zones/pilot/map/")
    phone_page.wait_for_selector("text=2 blocks drawn.")

    assert errors == []
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert all(url.startswith(live_server.url) for url in requested)
    # Tap the middle of the 1100 block: the popup names it and links to its volunteers.
    map_box = phone_page.locator("#zone-map").bounding_box()
    assert map_box["width"] <= 360
    phone_page.wait_for_timeout(300)  # fitBounds animation
    # Leaflet's map object is private to zone_map.js; find the block's pixel
    # position from the map's own bounds instead: the two blocks fill the
    # map's height, north on top, so the 1100 block is the upper half.
    x = map_box["x"] + map_box["width"] / 2
    y = map_box["y"] + map_box["height"] * 0.3
    phone_page.touchscreen.tap(x, y)
    popup = phone_page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "1100 block of S 9th St" in text
    assert "Residents signed up: 1" in text
    link = popup.locator("a")
    assert link.get_attribute("href") == f"/admin/signups/volunteer/?block__id__exact={block.pk}"

    # In Spanish too, with the catalog's plural for 2 (Spanish has 3 forms).
    phone_page.goto(f"{live_server.url}/es/zones/pilot/map/")
    phone_page.wait_for_selector("text=2 cuadras dibujadas.")
    assert errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_packet_prints_one_letter_page_per_block(live_server, chromium, django_user_model):
    zone = ZoneFactory()
    for hundred in (1100, 1200, 1300):
        BlockFactory(zone=zone, street="S 9TH ST", hundred=hundred,
                     from_street="WASHINGTON AVE", to_street="FEDERAL ST")
    user = django_user_model.objects.create_user(
        username="organizer", password="a long enough password", is_staff=True, is_superuser=True
    )
    context = chromium.new_context()
    page = context.new_page()
    log_browser_in(page, live_server, user)

    page.goto(f"{live_server.url}/admin/zones/zone/{zone.pk}/packet/")
    pdf = page.pdf(format="Letter", prefer_css_page_size=True)
    context.close()
    live_server_settled()

    # Each page object of the PDF says "/Type /Page" (the tree says "/Pages").
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 3


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_zone_progress_fits_a_phone(live_server, phone_page):
    from zones.models import Zone

    zone = ZoneFactory(status=Zone.Status.PILOT, name_en="South Philadelphia pilot")
    BlockFactory.create_batch(3, zone=zone)

    phone_page.goto(f"{live_server.url}/es/zones/")

    assert phone_page.locator("h1").count() == 1
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
