"""From a report to the all-clear through the real worker and the loopback
Twilio: the asks, the replies at the signed inbound webhook, the verifier's
link, the second person's approval, the alert with its validity period,
the delivery callbacks, and the all-clear to the same numbers."""

import datetime
import logging
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from messaging.models import Message
from messaging.tests.worker import worker_run_queued
from response.decisions import incident_approve
from response.incidents import incident_open
from response.models import Incident
from response.tests.helpers import neighbor, responder, staff, zone_with_street
from tests.auth import login_with_otp

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, settings, twilio_fake):
    settings.SITE_URL = live_server.url
    return live_server.url


def _client_of(user):
    client = Client()
    login_with_otp(client, user)
    return client


def test_a_report_goes_to_verified_alert_and_all_clear_through_the_worker(site, twilio_fake, settings, caplog):
    caplog.set_level(logging.DEBUG)
    settings.QUIET_HOURS = "00:00-23:59"  # the alert goes through them
    zone, blocks = zone_with_street()
    responders = [responder(blocks[n], language="es" if n % 2 else "en") for n in range(6)]
    neighbors = [neighbor(blocks[1]), neighbor(blocks[2], language="en")]
    far = neighbor(blocks[11])
    dispatcher, second = (staff("disp", group="Dispatcher", zone=zone), staff("disp2", group="Dispatcher", zone=zone))
    desk = _client_of(dispatcher)

    # 1. Report.
    desk.post(reverse("response:new"), {"address": "1000 S 9th St", "kind": "immigration", "seen_time": "09:00",
                                        "spot": "by the bakery", "text": "vans", "submission": str(uuid.uuid4())})
    incident = Incident.objects.get()
    # 2. Verify first: the five nearest asked, by text, each in their language.
    worker_run_queued()
    asked = [r for r in responders if twilio_fake.sent_to(r.phone)]
    assert asked == responders[:5]
    assert "Reply 1 if you can go, 2 if not." in twilio_fake.sent_to(responders[0].phone)[0]
    assert "Responde 1 si puedes ir, 2 si no." in twilio_fake.sent_to(responders[1].phone)[0]
    inbound = f"{site}/messaging/twilio/inbound"
    for person, body in ((responders[0], "1"), (responders[2], "2"), (responders[1], "1"), (responders[3], "1")):
        status, _ = twilio_fake.inbound_send(inbound, from_=person.phone, body=body)
        assert status in (200, 204)
    worker_run_queued()
    link_text = twilio_fake.sent_to(responders[0].phone)[-1]
    assert "by the bakery" in link_text
    assert "Ya está cubierto" not in link_text
    # Too late (Spanish) and no answer yet (English): covered, thank you.
    assert "Ya está cubierto, gracias" in twilio_fake.sent_to(responders[3].phone)[-1]
    assert "is covered, thank you" in twilio_fake.sent_to(responders[4].phone)[-1]
    # Not verified yet: the approval is refused, nothing is broadcast.
    approver = _client_of(second)
    approver.post(reverse("response:approve", args=[incident.pk]), {"alert-text_en": "A", "alert-text_es": "A"})
    assert Incident.objects.get(pk=incident.pk).alert_batch_id is None
    # The verifier reports through the one-time link.
    path = re.search(r"https?://[^/\s]+(/\S+/respond/[^/\s]+/)", link_text).group(1)
    assert Client().post(path, {"report": "confirmed", "seen_time": "09:10"}).status_code == 200
    # 3 and 4. A second person approves; the alert leaves with a validity period.
    approver.post(reverse("response:approve", args=[incident.pk]),
                  {"alert-text_en": "ICE reported at 10th & S 9th. Stay inside.",
                   "alert-text_es": "Reportan a ICE en la 9 y 10. Quédate adentro."})
    incident.refresh_from_db()
    assert incident.alert_batch_id is not None and incident.approved_by == second
    worker_run_queued()
    alerted = {r["To"] for r in twilio_fake.requests if r.get("Body", "").startswith(("ICE reported", "Reportan"))}
    expected = {p.phone for p in [*responders, *neighbors]}
    assert alerted <= expected and {n.phone for n in neighbors} <= alerted and far.phone not in alerted
    validity = {int(r["ValidityPeriod"]) for r in twilio_fake.requests if r.get("Body", "").startswith("ICE reported")}
    assert validity and all(1700 <= v <= 1800 for v in validity)
    twilio_fake.callbacks_send()
    page = desk.get(reverse("response:incident", args=[incident.pk])).content.decode()
    assert f"delivered: {len(alerted)}" in page
    assert not any(phone in page for phone in expected)
    # 5. All-clear to exactly the same numbers.
    desk.post(reverse("response:close", args=[incident.pk]), {
        "close-closing": "all_clear", "close-text_en": "All clear at 9th St.", "close-text_es": "Todo en orden en la 9."})
    worker_run_queued()
    cleared = {r["To"] for r in twilio_fake.requests if r.get("Body", "").startswith(("All clear", "Todo en orden"))}
    assert cleared == alerted
    assert not Incident.objects.get(pk=incident.pk).is_open
    # Nothing of it in the logs: no number, no words, no link's secret.
    logged = caplog.text
    assert "Messages.json" in logged  # the loopback Twilio's own access log was heard
    secret = path.rstrip("/").rsplit("/", 1)[-1]
    assert not [p for p in expected if p in logged or p[-10:] in logged]
    assert "bakery" not in logged and "Stay inside" not in logged and secret not in logged


def test_an_alert_not_handed_over_within_its_time_is_dropped(site, twilio_fake):
    zone, blocks = zone_with_street()
    people = [neighbor(blocks[0]), responder(blocks[1])]
    dispatcher, second = staff("disp", group="Dispatcher", zone=zone), staff("disp2", group="Dispatcher", zone=zone)
    incident = incident_open(user=dispatcher, block=blocks[0], kind="other", seen_at=timezone.now())
    Incident.objects.filter(pk=incident.pk).update(confirmed_at=timezone.now())
    incident.refresh_from_db()
    incident_approve(incident, user=second, text_en="Alert", text_es="Alerta")
    alerts = Message.objects.filter(idempotency_key__startswith=f"incident-alert:{incident.pk}:")
    assert alerts.count() == len(people)
    alerts.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    worker_run_queued()
    assert set(alerts.values_list("status", "error_code")) == {("dropped", "expired")}
    assert not [body for body in twilio_fake.bodies() if body.startswith(("Alert", "Alerta"))]
