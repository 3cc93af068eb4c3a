"""The join form in a real browser on a small phone (360 px wide)."""

import pytest

from signups.models import Volunteer
from signups.tests.factories import CampaignFactory
from zones.tests.factories import BlockFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every visible thing a finger can tap, with the height of the area that
# answers the tap: a checkbox or radio is tapped through its label (the box
# itself is smaller, as everywhere).
TAP_TARGETS_JS = """
() => {
  const visible = (el) => {
    if (el.closest('[aria-hidden="true"]')) return false;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.visibility !== 'hidden' && style.display !== 'none' && box.width > 0 && box.height > 0;
  };
  const targets = [];
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea')) {
    if (el.type === 'hidden') continue;
    let area = el;
    if (el.type === 'checkbox' || el.type === 'radio') {
      if (!el.labels.length || !visible(el.labels[0])) { targets.push({what: el.name + ' has no visible label', height: 0}); continue; }
      area = el.labels[0];
    }
    if (!visible(area)) continue;
    const box = area.getBoundingClientRect();
    targets.push({what: el.outerHTML.slice(0, 90), height: box.height, width: box.width});
  }
  return targets;
}
"""


@pytest.fixture
def world(settings):
    # A person in a browser fills the form in seconds; the bot trap's minimum
    # fill time is tested on its own (test_protection.py).
    settings.FORM_MIN_FILL_SECONDS = 0
    CampaignFactory()
    return BlockFactory(street="S 9TH ST", hundred=1100)


def _watch(page, live_server):
    seen = {"requests": [], "csp": []}
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on(
        "console",
        lambda message: seen["csp"].append(message.text)
        if "Content Security Policy" in message.text
        else None,
    )
    return seen


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_join_form_fits_a_phone_with_big_tap_targets_and_only_our_host(
    live_server, phone_page, world, language
):
    seen = _watch(phone_page, live_server)
    phone_page.goto(f"{live_server.url}/{language}/join/?block={world.pk}")
    assert phone_page.locator(".join-block").is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    targets = phone_page.evaluate(TAP_TARGETS_JS)
    assert len(targets) > 20  # the fields, the choices, the switcher, the button
    too_small = [t for t in targets if t["height"] < 44]
    assert too_small == []
    assert seen["requests"]
    assert [url for url in seen["requests"] if not url.startswith(live_server.url)] == []
    assert seen["csp"] == []


def test_the_form_with_every_error_shown_still_fits_a_phone(live_server, phone_page, world):
    phone_page.goto(f"{live_server.url}/es/join/")
    phone_page.fill("#id_address", "9999 Calle Que No Existe " * 4)
    phone_page.fill("#id_phone", "555")
    phone_page.click("button[type=submit]")
    phone_page.wait_for_load_state()
    assert phone_page.locator(".invalid-feedback:visible").count() >= 3
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    too_small = [t for t in phone_page.evaluate(TAP_TARGETS_JS) if t["height"] < 44]
    assert too_small == []


def test_a_neighbor_signs_up_in_spanish_on_a_phone(live_server, phone_page, world):
    seen = _watch(phone_page, live_server)
    phone_page.goto(f"{live_server.url}/es/")
    phone_page.click("text=Únete a tu cuadra")
    phone_page.wait_for_url("**/es/join/")
    phone_page.fill("#id_name", "Guadalupe Ramírez Peña")
    phone_page.fill("#id_phone", "215 555 0142")
    phone_page.check("#id_language_1")  # Español
    phone_page.check("text=WhatsApp")
    phone_page.fill("#id_address", "1123 S. 9th Street, Apt 2")
    phone_page.check("text=Tocar puertas en mi cuadra")
    phone_page.check("text=Sábado por la mañana")
    phone_page.check("#id_consent")
    phone_page.click("text=Inscribirme")
    phone_page.wait_for_url("**/es/join/thanks/")
    assert phone_page.locator("h1").inner_text() == "¡Gracias por unirte!"
    assert "Ya eres parte de la cuadra del 1100 de S 9th St." in phone_page.locator(".join-block").inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    volunteer = Volunteer.objects.get()
    assert volunteer.name == "Guadalupe Ramírez Peña"
    assert volunteer.phone == "+12155550142"
    assert volunteer.block == world
    assert volunteer.contact_methods == ["whatsapp"]
    assert volunteer.ways_to_help == ["knock_doors"]
    assert [url for url in seen["requests"] if not url.startswith(live_server.url)] == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_landing_page_has_big_tap_targets_on_a_phone(live_server, phone_page, world, language):
    seen = _watch(phone_page, live_server)
    phone_page.goto(f"{live_server.url}/{language}/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    targets = phone_page.evaluate(TAP_TARGETS_JS)
    assert len(targets) >= 4  # home, the other language, two buttons to the form
    assert [t for t in targets if t["height"] < 44] == []
    assert [url for url in seen["requests"] if not url.startswith(live_server.url)] == []
