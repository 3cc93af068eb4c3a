"""`make run`'s demo lets a newcomer try rapid response: the demo organizer
dispatches the pilot zone, a report there reaches the trained demo
responders (and nobody else), and an alert template waits in both
languages."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from messaging.models import Message
from response.forms import TextsForm
from response.incidents import incident_open
from response.models import AlertTemplate, DispatcherZone
from signups.demo import demo_phone
from signups.models import Volunteer
from tests.auth import login_with_otp
from zones.models import Block

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer():
    call_command("load_demo", stdout=open("/dev/null", "w"))
    return get_user_model().objects.get(username="organizer")


def test_the_demo_organizer_dispatches_the_pilot_zone(client, organizer):
    assert list(DispatcherZone.objects.filter(user=organizer).values_list("zone__slug", flat=True)) == [
        "south-philly-pilot"
    ]
    login_with_otp(client, organizer)

    assert client.get(reverse("response:home")).status_code == 200
    assert client.get(reverse("response:new")).status_code == 200


def test_a_report_in_the_pilot_asks_the_trained_demo_responders_only(organizer):
    block = Block.objects.get(street="S 9TH ST", hundred=1100)

    incident = incident_open(user=organizer, block=block, kind="immigration", seen_at=timezone.now())

    asked = Message.objects.filter(idempotency_key__startswith=f"incident-verify:{incident.pk}:")
    phones = set(Volunteer.objects.filter(pk__in=asked.values("volunteer_id")).values_list("phone", flat=True))
    # Demo neighbors 1, 2, 4 and 6 are trained responders; 3 joined untrained.
    assert phones == {demo_phone(n) for n in (1, 2, 4, 6)}
    assert incident.asked_count == 4


def test_the_alert_template_fills_in_the_block_in_both_languages(organizer):
    template = AlertTemplate.objects.get(purpose=AlertTemplate.Purpose.ALERT)
    block = Block.objects.get(street="S 9TH ST", hundred=1100)
    incident = incident_open(user=organizer, block=block, kind="immigration", seen_at=timezone.now())

    form = TextsForm.from_template(template.purpose, prefix="alert", template_id=template.pk, incident=incident)

    assert "{block}" not in form.initial["text_en"] and "1100" in form.initial["text_en"]
    assert "ICE" in form.initial["text_es"] and "Quédate adentro" in form.initial["text_es"]


def test_a_second_run_adds_no_responder_role_or_template_twice(organizer):
    before = (DispatcherZone.objects.count(), AlertTemplate.objects.count(),
              organizer.groups.count(), list(Volunteer.objects.order_by("pk").values_list("ways_to_help", "message_kinds")))

    call_command("load_demo", stdout=open("/dev/null", "w"))

    after = (DispatcherZone.objects.count(), AlertTemplate.objects.count(),
             organizer.groups.count(), list(Volunteer.objects.order_by("pk").values_list("ways_to_help", "message_kinds")))
    assert after == before
