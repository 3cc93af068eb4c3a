"""End to end: headless Chromium records every request the public, map and
trainer pages make, and every one goes to our own host. Also collects CSP
violations: the map and the check-in page must work under the policy."""

import pytest
from django.test import Client

from tests.auth import browser_share_session, login_with_otp
from tests.pages import build_world, public_urls, staff_urls, trainer_urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _visit_all(page, live_server, paths):
    requested, violations, errors = [], [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    return requested, violations, errors


def _logged_in(page, live_server, user):
    client = Client()
    login_with_otp(client, user)
    browser_share_session(page.context, client, live_server)


def test_public_pages_request_only_our_host(phone_page, live_server):
    world = build_world()
    paths = [p for p in public_urls(world, "es") if "thanks" not in p]
    requested, violations, errors = _visit_all(phone_page, live_server, paths)
    assert requested
    assert [url for url in requested if not url.startswith(live_server.url)] == []
    assert violations == [] and errors == []


def test_the_map_and_trainer_pages_request_only_our_host(phone_page, live_server):
    world = build_world()
    _logged_in(phone_page, live_server, world["superuser"])
    world["session"].trainers.add(world["superuser"])
    paths = staff_urls(world) + trainer_urls(world)
    requested, violations, errors = _visit_all(phone_page, live_server, paths)
    # The map fetched its blocks, and the check-in page its script.
    assert any("blocks.geojson" in url for url in requested)
    assert [url for url in requested if not url.startswith(live_server.url)] == []
    assert violations == [] and errors == []
