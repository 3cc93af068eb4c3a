"""Whatever is posted to the report form, the alert and closing forms and a
verifier's link: an answer in the page's language, never a 500, one record
or none. The incident page's queries do not grow with its people. The
housekeeping command pages and erases."""

import datetime
import re
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from messaging.models import Message
from response.decisions import incident_approve
from response.incidents import incident_open, verification_for_token, verification_report, verify_reply
from response.models import Incident
from response.tests.helpers import neighbor, responder, staff, zone_with_street
from tests.auth import login_with_otp

pytestmark = pytest.mark.django_db
nasty = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=1200),
    st.sampled_from(["<script>alert(1)</script>", "\x00", "1 OR 1=1", "-1", "99999999999999999999", "",
                     "25:61", "9th & ", "& &", "immigration", "confirmed", "all_clear", "👩🏽‍🌾" * 40]),
)
HYPOTHESIS = settings(max_examples=40, deadline=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture
def world(client):
    zone, blocks = zone_with_street()
    people = [responder(block) for block in blocks[:4]]
    dispatcher = staff("disp", group="Dispatcher", zone=zone)
    login_with_otp(client, dispatcher)
    incident = incident_open(user=dispatcher, block=blocks[0], kind="other", seen_at=timezone.now())
    return {"zone": zone, "blocks": blocks, "people": people, "dispatcher": dispatcher, "incident": incident}


@HYPOTHESIS
@given(address=nasty, intersection=nasty, block=nasty, kind=nasty, seen_time=nasty, text=nasty, spot=nasty)
def test_the_report_form_takes_anything(client, world, address, intersection, block, kind, seen_time, text, spot):
    before = Incident.objects.count()
    response = client.post(reverse("response:new"), {
        "address": address, "intersection": intersection, "block": block, "kind": kind, "seen_time": seen_time,
        "text": text, "spot": spot, "submission": str(uuid.uuid4())})
    assert response.status_code in (200, 302)
    assert Incident.objects.count() in (before, before + 1)
    if response.status_code == 200:
        assert "<script>alert(1)</script>" not in response.content.decode()


@HYPOTHESIS
@given(text_en=nasty, text_es=nasty, closing=nasty)
def test_the_alert_and_closing_forms_take_anything(client, world, text_en, text_es, closing):
    pk = world["incident"].pk
    assert client.post(reverse("response:approve", args=[pk]),
                       {"alert-text_en": text_en, "alert-text_es": text_es}).status_code in (200, 302)
    assert client.post(reverse("response:close", args=[pk]), {
        "close-closing": closing, "close-text_en": text_en, "close-text_es": text_es}).status_code in (200, 302)
    assert Incident.objects.get(pk=pk).alert_batch_id is None  # never verified: never broadcast


@HYPOTHESIS
@given(report=nasty, seen_time=nasty, token=nasty)
def test_a_verifiers_link_takes_anything(client, world, report, seen_time, token):
    safe = re.sub(r"[/?#%\\\s]", "", token) or "x"
    assert client.post(f"/en/respond/{safe}/", {"report": report, "seen_time": seen_time}).status_code == 404


def test_the_incident_page_does_not_grow_with_its_people(client, world, django_assert_max_num_queries):
    incident = world["incident"]
    for person in world["people"][:2]:
        answer = verify_reply(person, str(incident.pk), "1")
        token = re.search(r"/respond/([^/]+)/", answer).group(1)
        verification_report(verification_for_token(token), report="confirmed", seen_at=timezone.now())
    for block in world["blocks"][:3]:
        neighbor(block)
    incident.refresh_from_db()
    incident_approve(incident, user=staff("disp2", group="Dispatcher", zone=world["zone"]), text_en="A", text_es="A")
    with django_assert_max_num_queries(16):
        page = client.get(reverse("response:incident", args=[incident.pk]))
    assert page.status_code == 200


def test_housekeeping_pages_stale_incidents_and_erases_old_details(world, settings):
    incident = world["incident"]
    Incident.objects.filter(pk=incident.pk).update(opened_at=timezone.now() - datetime.timedelta(hours=7))
    call_command("response_housekeeping", verbosity=0)
    assert Message.objects.filter(idempotency_key=f"incident-open-6h:{incident.pk}:{world['dispatcher'].pk}").exists()
    Incident.objects.filter(pk=incident.pk).update(
        text="vans", closed_at=timezone.now() - datetime.timedelta(days=settings.RAPID_DETAIL_DAYS + 1))
    call_command("response_housekeeping", verbosity=0)
    assert Incident.objects.get(pk=incident.pk).text == ""
