"""The tally in a real (headless) browser at 360 px: taps made without
signal wait on the phone, are sent when it is back, and count once each,
even when an answer is lost on the way and the tap is sent again; another
canvasser's taps on the same block are never overwritten. Logging out
wipes what the phone kept."""

import uuid

import pytest

from canvass.models import DoorTally, TallyIncrement
from canvass.services import tally_increment
from canvass.tests.factories import CanvasserFactory
from tests.auth import browser_share_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def canvasser_page(phone_page, live_server, client, canvasser, otp_login, team):
    otp_login(client, canvasser)
    browser_share_session(phone_page.context, client, live_server)
    return phone_page


def _wait_for(predicate, page, timeout_ms=20000):
    waited = 0
    while not predicate():
        if waited >= timeout_ms:
            return False
        page.wait_for_timeout(100)
        waited += 100
    return True


def test_taps_made_offline_are_applied_once_when_the_phone_is_back(canvasser_page, live_server, team, blocks):
    page = canvasser_page
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/en/canvass/")
    card = page.locator(f"#block-{blocks[0].pk}-{team.pk}")
    knocked = card.locator('[data-count="knocked"]')
    assert knocked.inner_text() == "0"

    page.context.set_offline(True)
    for _ in range(3):
        card.locator("button.tally-button", has_text="Doors knocked").click()
    card.locator("button.tally-button", has_text="Answered").click()
    badge = page.locator("[data-sync-badge]")
    badge.wait_for(state="visible")
    assert badge.inner_text() == "4 waiting to sync"
    assert knocked.inner_text() == "3"
    assert not DoorTally.objects.exists()

    # Meanwhile a teammate's phone, with signal, taps the same block twice.
    teammate = CanvasserFactory()
    team.canvassers.add(teammate)
    for _ in range(2):
        tally_increment(user=teammate, block_id=blocks[0].pk, team_id=team.pk, field="knocked", delta=1,
                        increment_id=uuid.uuid4())

    # The first tap back online reaches the server, but its answer is lost:
    # the phone sends it again later, and the server counts it once.
    dropped = []

    def lose_the_first_answer(route):
        if not dropped:
            dropped.append(route.request.post_data)
            route.fetch()
            route.abort()
        else:
            route.continue_()

    page.route("**/canvass/tally/", lose_the_first_answer)
    page.context.set_offline(False)
    badge.wait_for(state="hidden", timeout=30000)
    assert dropped
    tally = DoorTally.objects.get()
    assert (tally.knocked, tally.answered) == (5, 1)
    assert TallyIncrement.objects.count() == 6
    assert _wait_for(lambda: knocked.inner_text() == "5", page)

    page.reload()
    assert page.locator(f"#block-{blocks[0].pk}-{team.pk}").locator('[data-count="knocked"]').inner_text() == "5"
    assert page.evaluate("window.localStorage.getItem('rz-canvass-queue')") is None
    assert all(url.startswith(live_server.url) for url in requested)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_logging_out_wipes_the_phones_copy(canvasser_page, live_server, team, blocks):
    page = canvasser_page
    page.route("**/canvass/tally/", lambda route: route.abort())
    page.goto(f"{live_server.url}/es/canvass/")
    card = page.locator(f"#block-{blocks[0].pk}-{team.pk}")
    card.locator("button.tally-button").first.click()
    page.locator("[data-sync-badge]").wait_for(state="visible")
    assert page.evaluate("window.localStorage.getItem('rz-canvass-queue')") is not None
    page.reload()  # still waiting after a reload
    badge = page.locator("[data-sync-badge]")
    badge.wait_for(state="visible")
    assert badge.inner_text() == "1 en espera de sincronizar"
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("[data-canvass-logout] button").click()
    page.wait_for_url("**/canvass/signed-out/")
    assert _wait_for(lambda: page.evaluate(
        "Object.keys(window.localStorage).filter(function (k) { return k.indexOf('rz-canvass') === 0; }).length"
    ) == 0, page)
    assert not DoorTally.objects.exists()


def test_nearest_first_sorts_on_the_phone_and_sends_the_position_nowhere(canvasser_page, live_server, team, blocks):
    page = canvasser_page
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method != "GET" else None)
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    # Standing on the second block (BlockFactory draws S 5TH ST 1100 here).
    lat, lng = blocks[1].geometry["coordinates"][0][1], blocks[1].geometry["coordinates"][0][0]
    page.context.set_geolocation({"latitude": lat, "longitude": lng})
    page.goto(f"{live_server.url}/en/canvass/")
    first = page.locator("[data-block-card]").first
    assert first.get_attribute("id") == f"block-{blocks[0].pk}-{team.pk}"
    page.locator("[data-nearest]").click()
    page.locator("[data-nearest-status]").wait_for(state="visible")
    assert page.locator("[data-block-card]").first.get_attribute("id") == f"block-{blocks[1].pk}-{team.pk}"
    assert posts == []
    assert str(round(lat, 3)) not in " ".join(page.evaluate("Object.values(window.localStorage)"))
