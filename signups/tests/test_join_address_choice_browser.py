"""The choice step of an unclear address in a real browser on a small phone
(360 px wide), in both languages, and with JavaScript off."""

import pytest

from signups.models import Volunteer
from signups.tests.factories import CampaignFactory
from signups.tests.test_join_browser import TAP_TARGETS_JS
from tests.browser import live_server_settled
from zones.tests.factories import BlockFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBMIT = {"en": "Sign up", "es": "Inscribirme"}
ARTICLE = {"en": "the ", "es": "la cuadra"}


@pytest.fixture
def world(settings):
    settings.FORM_MIN_FILL_SECONDS = 0
    CampaignFactory()
    BlockFactory(street="N 25TH ST", hundred=1200, zone=None, from_street="STILES ST", to_street="GIRARD AVE")
    return BlockFactory(street="S 25TH ST", hundred=1200, zone=None, from_street="TITAN ST", to_street="WHARTON ST")


def _fill(page, url):
    page.goto(url)
    page.fill("#id_name", "Guadalupe Ramírez Peña")
    page.fill("#id_phone", "215 555 0142")
    page.check("#id_language_1")
    page.check("text=WhatsApp")
    page.fill("#id_address", "1233 25th st, 2do piso")
    page.check("#id_consent")


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_unclear_address_offers_a_choice_that_fits_a_phone_and_one_tap_signs_up(
    live_server, phone_page, world, language
):
    _fill(phone_page, f"{live_server.url}/{language}/join/")
    phone_page.click(f"button:has-text('{SUBMIT[language]}')")
    phone_page.wait_for_load_state()

    choice = phone_page.locator("#address-choice")
    assert choice.is_visible()
    assert phone_page.locator("#id_address").input_value() == "1233 25th st, 2do piso"
    assert phone_page.locator("#id_name").input_value() == "Guadalupe Ramírez Peña"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert [t for t in phone_page.evaluate(TAP_TARGETS_JS) if t["height"] < 44] == []

    # The label, in the page's language, is what a finger taps.
    label = phone_page.locator("#address-choice label", has_text="Titan St")
    assert label.inner_text().startswith(ARTICLE[language])
    label.click()
    phone_page.check("#id_consent")
    phone_page.click(f"button:has-text('{SUBMIT[language]}')")
    # The thanks come in the language chosen (Spanish), whichever the page's.
    phone_page.wait_for_url("**/es/join/thanks/")
    assert Volunteer.objects.get().block == world


def test_the_choice_works_without_javascript(live_server, chromium, world):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    try:
        _fill(page, f"{live_server.url}/es/join/")
        page.click("button:has-text('Inscribirme')")
        page.wait_for_load_state()
        page.locator("#address-choice label", has_text="Titan St").click()
        page.check("#id_consent")
        page.click("button:has-text('Inscribirme')")
        page.wait_for_url("**/es/join/thanks/")
    finally:
        context.close()
        live_server_settled()
    assert Volunteer.objects.get().block == world
