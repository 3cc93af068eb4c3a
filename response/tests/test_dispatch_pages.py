"""The dispatch pages: only the incidents of one's zones, the plain refusal
of an unverified broadcast, no numbers of anyone, and the verifier's
one-time link page."""

import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from response.incidents import incident_open, verify_reply
from response.models import AlertTemplate, Incident
from response.tests.helpers import responder, staff, street_of_blocks, zone_with_street
from tests.auth import login_with_otp
from zones.tests.factories import ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_after():
    # A request to /es/ leaves Spanish active in this thread for reverse().
    yield
    translation.activate("en")


@pytest.fixture
def world():
    zone, blocks = zone_with_street()
    other_zone = ZoneFactory(slug="other")
    other_blocks = street_of_blocks(other_zone, count=2, street="S 5TH ST", lon=-75.15)
    people = [responder(block) for block in blocks[:3]]
    dispatcher = staff("disp", group="Dispatcher", zone=zone)
    incident = incident_open(user=dispatcher, block=blocks[0], kind="police_stop", seen_at=timezone.now(),
                             text="A stop", spot="north corner")
    return {"zone": zone, "blocks": blocks, "other_blocks": other_blocks, "people": people,
            "dispatcher": dispatcher, "incident": incident,
            "other_dispatcher": staff("disp-b", group="Dispatcher", zone=other_zone)}


def test_a_dispatcher_sees_their_zones_incidents_and_no_number(client, world, django_assert_max_num_queries):
    login_with_otp(client, world["dispatcher"])
    for _ in range(3):
        incident_open(user=world["dispatcher"], block=world["blocks"][1], kind="hate", seen_at=timezone.now())
    with django_assert_max_num_queries(12):
        home = client.get(reverse("response:home"))
    assert home.status_code == 200 and f"#{world['incident'].pk}" in home.content.decode()
    page = client.get(reverse("response:incident", args=[world["incident"].pk])).content.decode()
    assert "Not verified: this report cannot be broadcast." in page
    for person in world["people"]:
        assert person.phone not in page and person.phone[-4:] not in page and person.name not in page


def test_another_zones_dispatcher_gets_nothing(client, world):
    login_with_otp(client, world["other_dispatcher"])
    assert f"#{world['incident'].pk}" not in client.get(reverse("response:home")).content.decode()
    assert client.get(reverse("response:incident", args=[world["incident"].pk])).status_code == 404
    response = client.post(reverse("response:close", args=[world["incident"].pk]),
                           {"close-closing": "all_clear", "close-text_en": "x", "close-text_es": "x"})
    assert response.status_code == 404 and Incident.objects.get(pk=world["incident"].pk).is_open


def test_a_report_by_corner_takes_the_blocks_that_meet_there_once_however_often_it_is_sent(client, world):
    login_with_otp(client, world["dispatcher"])
    form = {"intersection": "9th & Cross 1", "kind": "immigration", "seen_time": "10:05",
            "text": "vans", "spot": "", "submission": str(uuid.uuid4())}
    first = client.post(reverse("response:new"), form)
    second = client.post(reverse("response:new"), form)
    incident = Incident.objects.latest("pk")
    assert first["Location"] == second["Location"] == reverse("response:incident", args=[incident.pk])
    assert {b.hundred for b in incident.blocks.all()} == {1000, 1100}


def test_a_report_outside_ones_zones_or_nowhere_is_refused_in_spanish(client, world):
    login_with_otp(client, world["dispatcher"])
    form = {"kind": "immigration", "seen_time": "10:05", "submission": str(uuid.uuid4())}
    page = client.post("/es/dispatch/new/", {**form, "block": world["other_blocks"][0].pk}).content.decode()
    assert "Indique dónde" in page or "Ninguna" in page
    page = client.post("/es/dispatch/new/", form).content.decode()
    assert "Indique dónde: una dirección, una esquina o una cuadra en el mapa." in page
    assert "Nunca escriba nombres" in page


def test_the_opener_sees_why_they_cannot_approve(client, world):
    incident = world["incident"]
    Incident.objects.filter(pk=incident.pk).update(confirmed_at=timezone.now())
    AlertTemplate.objects.create(name="ICE", text_en="ICE reported near the {block}.", text_es="ICE cerca de la {block}.")
    login_with_otp(client, world["dispatcher"])
    page = client.get(reverse("response:incident", args=[incident.pk])).content.decode()
    assert "a second dispatcher or organizer must approve it" in page
    assert "ICE reported near the 1000 block of S 9th St." in page
    response = client.post(reverse("response:approve", args=[incident.pk]),
                           {"alert-text_en": "A", "alert-text_es": "A"}, follow=True)
    assert "a second dispatcher or organizer must approve it" in response.content.decode()
    assert Incident.objects.get(pk=incident.pk).alert_batch_id is None


def test_an_organizer_of_the_zone_approves_a_confirmed_alert(client, world):
    incident = world["incident"]
    Incident.objects.filter(pk=incident.pk).update(confirmed_at=timezone.now())
    login_with_otp(client, staff("org", group="Organizer", zone=world["zone"]))
    client.post(reverse("response:approve", args=[incident.pk]), {"alert-text_en": "Alert", "alert-text_es": "Alerta"})
    assert Incident.objects.get(pk=incident.pk).alert_batch_id is not None


def test_the_verifiers_link_page_speaks_tu_and_works_once(client, world):
    answer = verify_reply(world["people"][0], str(world["incident"].pk), "1")
    path = re.search(r"https?://[^/]+(/\S+/respond/[^/]+/)", answer).group(1)
    path = path.replace("/en/", "/es/")
    page = client.get(path)
    assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"  # signups.secret_links
    assert "Nunca escribas nombres" in page.content.decode()
    assert client.post(path, {"report": "confirmed", "seen_time": "10:10"}).status_code == 200
    assert Incident.objects.get(pk=world["incident"].pk).is_verified
    assert client.get(path).status_code == 404
    assert client.post(path, {"report": "not_seen", "seen_time": "10:10"}).status_code == 404


def test_the_link_page_takes_any_input_without_an_error(client, world):
    assert client.get("/en/respond/%00%ff/").status_code == 404
    answer = verify_reply(world["people"][0], str(world["incident"].pk), "1")
    path = re.search(r"https?://[^/]+(/\S+/respond/[^/]+/)", answer).group(1)
    assert client.post(path, {"report": "whatever", "seen_time": "99:99"}).status_code == 200
    assert not Incident.objects.get(pk=world["incident"].pk).is_verified


def test_a_verifiers_link_is_logged_without_its_secret():
    from signups.log_redaction import redact_secret_paths

    assert redact_secret_paths("GET /es/respond/abc-DEF_123/ HTTP/1.1") == "GET /es/respond/[token]/ HTTP/1.1"


def test_the_alert_box_shows_its_sms_count_with_the_footer_before_any_script(client, world):
    from messaging.segments import sms_segments

    incident = world["incident"]
    Incident.objects.filter(pk=incident.pk).update(confirmed_at=timezone.now())
    AlertTemplate.objects.create(name="ICE", text_en="ICE near the {block}.", text_es="ICE cerca de la {block}.")
    login_with_otp(client, staff("disp2", group="Dispatcher", zone=world["zone"]))
    response = client.get(reverse("response:incident", args=[incident.pk]))
    page = response.content.decode()
    footer = response.context["footer_en"]
    expected = sms_segments("ICE near the 1000 block of S 9th St.\n" + footer)
    assert f"with the footer: {expected.characters} characters, {expected.segments} segment(s)" in page
