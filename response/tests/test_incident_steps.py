"""An incident step by step, and every refusal: report, verify first, two
people decide, alert, close with an all-clear to the same people."""

import datetime
import re

import pytest
from django.utils import timezone

from messaging.inbound import opt_out_record
from messaging.models import Kind, Message, OptOut
from response.decisions import incident_approve, incident_close, incidents_page_stale
from response.incidents import (
    IncidentRefused,
    incident_open,
    verification_for_token,
    verification_report,
    verify_reply,
)
from response.models import AlertRecipient, Incident, Verification
from response.retention import incident_details_erase
from response.tests.helpers import neighbor, responder, staff, zone_with_street
from signups.audit import AuditEntry
from signups.retention import volunteer_erase

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    zone, blocks = zone_with_street()
    responders = [responder(blocks[n]) for n in range(7)]
    return {
        "zone": zone, "blocks": blocks, "responders": responders,
        "dispatcher": staff("disp", group="Dispatcher", zone=zone),
        "second": staff("disp2", group="Dispatcher", zone=zone),
    }


def _open(world, **overrides):
    values = {"user": world["dispatcher"], "block": world["blocks"][0], "kind": "immigration",
              "seen_at": timezone.now(), "text": "Two unmarked vans", "spot": "by the laundromat"}
    values.update(overrides)
    return incident_open(**values)


def _token_of(answer):
    return re.search(r"/respond/([^/]+)/", answer).group(1)


def _confirm(world, incident):
    chosen = world["responders"][0]
    answer = verify_reply(chosen, str(incident.pk), "1")
    verification_report(verification_for_token(_token_of(answer)), report="confirmed", seen_at=timezone.now())
    incident.refresh_from_db()
    return chosen


def test_a_report_asks_the_nearest_five_responders_in_their_language(world, settings):
    settings.RAPID_VERIFY_FANOUT = 5
    incident = _open(world)
    asked = Message.objects.filter(idempotency_key__startswith=f"incident-verify:{incident.pk}:")
    assert asked.count() == 5 == incident.asked_count
    assert {m.volunteer_id for m in asked} == {r.pk for r in world["responders"][:5]}
    message = asked.first()
    assert message.kind == Kind.URGENT and message.reply_topic == f"incident-verify:{incident.pk}"
    assert message.expires_at is not None
    assert "Responde 1 si puedes ir, 2 si no." in message.body
    assert "1000" in message.body


def test_a_report_has_no_field_for_a_reporter_or_an_affected_person():
    names = {field.name for field in Incident._meta.get_fields()}
    assert not names & {"reporter", "reporter_name", "caller", "affected", "affected_person", "name", "phone"}


def test_the_first_two_who_answer_1_verify_and_the_others_are_told_it_is_covered(world):
    incident = _open(world)
    first, second, third, fourth, fifth, *_ = world["responders"]
    assert verify_reply(fourth, str(incident.pk), "2").startswith("Thank you")
    answer = verify_reply(first, str(incident.pk), "1")
    assert "/respond/" in answer and "laundromat" in answer
    assert "/respond/" in verify_reply(second, str(incident.pk), " 1 ")
    # Enough are going: the ones who have not answered are told at once.
    told = Message.objects.filter(idempotency_key__startswith=f"incident-covered:{incident.pk}:")
    assert {m.volunteer_id for m in told} == {third.pk, fifth.pk}
    assert "Covered" in verify_reply(third, str(incident.pk), "1")
    assert incident.verifications.filter(chosen=True).count() == 2


def test_someone_not_asked_gets_no_say(world):
    incident = _open(world)
    stranger = world["responders"][6]
    assert verify_reply(stranger, str(incident.pk), "1") is None


def test_a_report_link_works_once(world):
    incident = _open(world)
    token = _token_of(verify_reply(world["responders"][0], str(incident.pk), "1"))
    verification = verification_for_token(token)
    assert verification_report(verification, report="not_seen", seen_at=timezone.now())
    assert verification_for_token(token) is None
    incident.refresh_from_db()
    assert not incident.is_verified


def test_an_unverified_report_can_never_be_broadcast(world):
    incident = _open(world)
    with pytest.raises(IncidentRefused) as refused:
        incident_approve(incident, user=world["second"], text_en="Alert", text_es="Alerta")
    assert refused.value.code == "not-verified"
    assert not Message.objects.filter(idempotency_key__startswith="incident-alert:").exists()


def test_whoever_opened_the_incident_cannot_approve_it(world):
    incident = _open(world)
    _confirm(world, incident)
    with pytest.raises(IncidentRefused) as refused:
        incident_approve(incident, user=world["dispatcher"], text_en="Alert", text_es="Alerta")
    assert refused.value.code == "self-approval"


def test_an_approved_alert_reaches_trained_neighbors_nearby_who_agreed_through_quiet_hours(world, settings):
    settings.QUIET_HOURS = "00:00-23:59"
    settings.RAPID_ALERT_RADIUS_BLOCKS = 3
    blocks = world["blocks"]
    near = neighbor(blocks[1], language="en")
    far = neighbor(blocks[10])
    no_urgent = neighbor(blocks[1], message_kinds=["news", "reminder"])
    stopped = neighbor(blocks[1])
    opt_out_record(stopped.phone, source=OptOut.Source.REPLY)
    incident = _open(world)
    _confirm(world, incident)
    queued = incident_approve(incident, user=world["second"], text_en="ICE near 9th", text_es="ICE cerca de la 9")
    alerts = Message.objects.filter(batch=Incident.objects.get(pk=incident.pk).alert_batch)
    people = {m.volunteer_id for m in alerts}
    assert near.pk in people and far.pk not in people and no_urgent.pk not in people and stopped.pk not in people
    assert queued == alerts.count() == AlertRecipient.objects.filter(incident=incident).count()
    assert alerts.get(volunteer=near).body.startswith("ICE near 9th")
    assert alerts.exclude(volunteer=near).first().body.startswith("ICE cerca de la 9")
    assert all(m.not_before is None and m.kind == Kind.URGENT for m in alerts)  # through quiet hours
    ttl = datetime.timedelta(minutes=settings.RAPID_ALERT_TTL_MINUTES)
    assert all(abs(m.expires_at - (timezone.now() + ttl)) < datetime.timedelta(minutes=1) for m in alerts)
    entry = AuditEntry.objects.get(model="response.incident", detail="approved")
    assert entry.actor == world["second"] and entry.row_count == queued


def test_an_alert_is_sent_once(world):
    incident = _open(world)
    _confirm(world, incident)
    incident_approve(incident, user=world["second"], text_en="A", text_es="A")
    with pytest.raises(IncidentRefused):
        incident_approve(incident, user=world["second"], text_en="A", text_es="A")


def test_no_close_without_an_all_clear_and_it_goes_to_exactly_the_same_people(world):
    incident = _open(world)
    _confirm(world, incident)
    incident_approve(incident, user=world["second"], text_en="Alert", text_es="Alerta")
    incident.refresh_from_db()
    with pytest.raises(IncidentRefused):
        incident_close(incident, user=world["dispatcher"], closing="all_clear", text_en="", text_es="")
    assert Incident.objects.get(pk=incident.pk).is_open
    neighbor(world["blocks"][0])  # moved in after the alert: not told
    count = incident_close(incident, user=world["dispatcher"], closing="all_clear",
                           text_en="All clear", text_es="Todo en orden")
    incident.refresh_from_db()
    alerted = set(Message.objects.filter(batch=incident.alert_batch).values_list("volunteer_id", flat=True))
    cleared = set(Message.objects.filter(batch=incident.closing_batch).values_list("volunteer_id", flat=True))
    assert cleared == alerted and count == len(alerted) and not incident.is_open
    with pytest.raises(IncidentRefused):
        incident_close(incident, user=world["dispatcher"], closing="correction", text_en="x", text_es="x")


def test_an_incident_never_alerted_closes_with_a_word_to_the_responders_asked(world):
    incident = _open(world)
    incident_close(incident, user=world["dispatcher"], closing="correction", text_en="False alarm", text_es="Falsa alarma")
    incident.refresh_from_db()
    assert incident.closing_count == incident.asked_count == 5


def test_an_incident_open_six_hours_pages_its_dispatchers_once(world):
    incident = _open(world)
    Incident.objects.filter(pk=incident.pk).update(opened_at=timezone.now() - datetime.timedelta(hours=6, minutes=1))
    staff("other-zone", group="Dispatcher")
    assert incidents_page_stale() == 1
    assert incidents_page_stale() == 0
    pages = Message.objects.filter(idempotency_key__startswith=f"incident-open-6h:{incident.pk}:")
    assert {m.staff_user for m in pages} == {world["dispatcher"], world["second"]}


def test_a_zone_without_dispatchers_pages_its_organizers(world):
    from response.models import DispatcherZone

    incident = _open(world)
    DispatcherZone.objects.all().delete()
    organizer = staff("org", group="Organizer", zone=world["zone"])
    staff("org-elsewhere", group="Organizer")
    Incident.objects.filter(pk=incident.pk).update(opened_at=timezone.now() - datetime.timedelta(hours=7))
    assert incidents_page_stale() == 1
    pages = Message.objects.filter(idempotency_key__startswith=f"incident-open-6h:{incident.pk}:")
    assert [m.staff_user for m in pages] == [organizer]


def test_details_are_erased_thirty_days_after_closing_and_the_counts_stay(world, settings):
    incident = _open(world)
    _confirm(world, incident)
    incident_approve(incident, user=world["second"], text_en="A", text_es="A")
    incident.refresh_from_db()
    incident_close(incident, user=world["dispatcher"], closing="all_clear", text_en="B", text_es="B")
    assert incident_details_erase() == 0
    later = timezone.now() + datetime.timedelta(days=settings.RAPID_DETAIL_DAYS, minutes=1)
    assert incident_details_erase(now=later) == 1
    incident.refresh_from_db()
    assert incident.text == incident.spot == ""
    assert not Verification.objects.filter(incident=incident).exists()
    assert not AlertRecipient.objects.filter(incident=incident).exists()
    assert incident.asked_count == 5 and incident.alerted_count > 0 and incident.kind == "immigration"


def test_a_forgotten_responder_leaves_every_incident(world):
    incident = _open(world)
    person = world["responders"][0]
    verify_reply(person, str(incident.pk), "1")
    volunteer_erase(volunteer=person, user=None)
    assert not Verification.objects.filter(volunteer_id=person.pk).exists()
    assert Incident.objects.get(pk=incident.pk).asked_count == 5
