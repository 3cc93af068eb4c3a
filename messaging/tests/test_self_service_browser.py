"""The self-service pages in a real browser on a small phone (360 px), and
the live SMS count of the segment send in the admin."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from messaging.segments import sms_segments
from messaging.self_service import self_service_url
from signups.models import Volunteer
from signups.tests.factories import VolunteerFactory
from signups.tests.test_join_browser import TAP_TARGETS_JS
from tests.auth import browser_share_session, login_with_otp
from trainings.tests.factories import UserFactory
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page):
    seen = {"requests": [], "csp": []}
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("console", lambda m: seen["csp"].append(m.text) if "Content Security Policy" in m.text else None)
    return seen


def _fits_a_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert [t for t in page.evaluate(TAP_TARGETS_JS) if t["height"] < 44] == []


def test_a_neighbor_changes_their_settings_on_a_phone_in_spanish(live_server, phone_page):
    volunteer = VolunteerFactory(language="es", contact_methods=["text"], message_kinds=["reminder", "news"])
    path = re.sub(r"^https?://[^/]+", "", self_service_url(volunteer))
    seen = _watch(phone_page)
    phone_page.goto(live_server.url + path)
    assert phone_page.locator("h1").inner_text() == "Tus ajustes"
    _fits_a_phone(phone_page)
    phone_page.check("text=WhatsApp")
    phone_page.uncheck("text=Noticias de la campaña")
    phone_page.click("text=Guardar mis ajustes")
    phone_page.wait_for_load_state()
    assert "Guardado" in phone_page.content()
    _fits_a_phone(phone_page)
    volunteer.refresh_from_db()
    assert volunteer.contact_methods == ["text", "whatsapp"] and volunteer.message_kinds == ["reminder"]
    phone_page.click("a:has-text('Olvídame')")
    phone_page.wait_for_url("**/forget/")
    _fits_a_phone(phone_page)
    phone_page.click("text=Sí, olvídame")
    phone_page.wait_for_url("**/es/forgotten/")
    assert not Volunteer.objects.filter(pk=volunteer.pk).exists()
    assert [url for url in seen["requests"] if not url.startswith(live_server.url)] == []
    assert seen["csp"] == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_link_request_fits_a_phone(live_server, phone_page, settings, language):
    settings.FORM_MIN_FILL_SECONDS = 0
    phone_page.goto(f"{live_server.url}/{language}/my-link/")
    _fits_a_phone(phone_page)
    phone_page.fill("#id_phone", "215 555 0177")
    phone_page.click("button[type=submit]")
    phone_page.wait_for_url("**/my-link/sent/")
    _fits_a_phone(phone_page)


def test_the_live_count_agrees_with_the_server_and_warns_of_ucs2(live_server, desktop_page, client):
    zone = ZoneFactory()
    VolunteerFactory(block=BlockFactory(zone=zone))
    organizer = UserFactory(username="organizer-live", is_staff=True)
    organizer.groups.add(Group.objects.get(name="Organizer"))
    zone.organizers.add(organizer)
    login_with_otp(client, organizer)
    browser_share_session(desktop_page.context, client, live_server)
    seen = _watch(desktop_page)
    desktop_page.goto(live_server.url + reverse("admin:messaging_batch_add"), wait_until="networkidle")
    output = desktop_page.locator(".sms-live-count[data-for=id_text_es]")
    footer = output.get_attribute("data-footer")
    for text in ("Taller el sabado", "Taller el sábado " + "x" * 150, "€" * 40 + " ok"):
        desktop_page.fill("#id_text_es", text)
        expected = sms_segments(text + "\n" + footer)
        shown = output.inner_text()
        assert f"{expected.characters} " in shown and f"{expected.segments} " in shown
        assert ("UCS-2" in shown) == expected.is_unicode
    assert seen["csp"] == []
