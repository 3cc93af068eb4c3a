"""The dispatch pages and a verifier's link page in a real browser on a
small phone (360 px): no sideways scroll, taps big enough, nothing loaded
from elsewhere, the live SMS count under the alert, in Spanish."""

import re

import pytest
from django.utils import timezone

from response.incidents import incident_open, verify_reply
from response.models import Incident
from response.tests.helpers import responder, staff, zone_with_street
from signups.tests.test_join_browser import TAP_TARGETS_JS
from tests.auth import browser_share_session, login_with_otp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page):
    seen = {"requests": [], "csp": []}
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("console", lambda m: seen["csp"].append(m.text) if "Content Security Policy" in m.text else None)
    return seen


def _fits_a_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert [t for t in page.evaluate(TAP_TARGETS_JS) if t["height"] < 44] == []


def test_a_dispatcher_reports_and_a_second_one_approves_on_phones(live_server, phone_page, client, settings):
    zone, blocks = zone_with_street()
    people = [responder(block) for block in blocks[:3]]
    dispatcher = staff("disp", group="Dispatcher", zone=zone)
    login_with_otp(client, dispatcher)
    browser_share_session(phone_page.context, client, live_server)
    seen = _watch(phone_page)
    phone_page.goto(f"{live_server.url}/es/dispatch/new/")
    _fits_a_phone(phone_page)
    assert "Nunca escriba nombres" in phone_page.content()
    phone_page.fill("#id_intersection", "9th y Cross 2")
    phone_page.check("text=Parada policial")
    phone_page.click("text=Guardar y pedir que lo verifiquen")
    phone_page.wait_for_url(re.compile(r".*/es/dispatch/\d+/$"))
    assert "Sin verificar: este reporte no se puede difundir." in phone_page.content()
    _fits_a_phone(phone_page)
    incident = Incident.objects.get()
    Incident.objects.filter(pk=incident.pk).update(confirmed_at=timezone.now())

    client.logout()
    login_with_otp(client, staff("disp2", group="Dispatcher", zone=zone))
    browser_share_session(phone_page.context, client, live_server)
    phone_page.goto(f"{live_server.url}/es/dispatch/{incident.pk}/")
    _fits_a_phone(phone_page)
    phone_page.fill("#id_alert-text_en", "ICE near 9th St. Stay inside.")
    phone_page.fill("#id_alert-text_es", "ICE cerca de la 9. Quédate adentro.")
    count = phone_page.locator(".sms-live-count").nth(1).inner_text()
    assert "UCS-2" in count  # é is GSM-7, but the Spanish footer's "más" is not
    phone_page.click("text=Aprobar y enviar la alerta")
    phone_page.wait_for_load_state()
    assert "La alerta va en camino" in phone_page.content()
    assert not any(person.phone in phone_page.content() for person in people)
    phone_page.goto(f"{live_server.url}/es/dispatch/")
    _fits_a_phone(phone_page)
    assert [url for url in seen["requests"] if not url.startswith(live_server.url)] == []
    assert seen["csp"] == []


def test_a_verifiers_link_page_fits_a_phone(live_server, phone_page, settings):
    settings.SITE_URL = live_server.url
    zone, blocks = zone_with_street()
    person = responder(blocks[0])
    incident = incident_open(user=staff("disp", group="Dispatcher", zone=zone), block=blocks[0], kind="hate",
                             seen_at=timezone.now(), spot="north corner")
    from django.utils import translation

    with translation.override("es"):
        answer = verify_reply(person, str(incident.pk), "1")
    url = re.search(r"(https?://\S+/respond/[^/\s]+/)", answer).group(1)
    phone_page.goto(url)
    _fits_a_phone(phone_page)
    assert "Nunca escribas nombres" in phone_page.content()
    phone_page.check("text=Está pasando: lo vi")
    phone_page.click("text=Enviar mi reporte")
    phone_page.wait_for_load_state()
    assert "Gracias" in phone_page.content()
    assert Incident.objects.get(pk=incident.pk).is_verified
