"""The worker hands each message to Twilio through the real client, over
real HTTP to the loopback stand-in, and records what Twilio answered."""

import datetime
import json

import pytest
from django.utils import timezone

from messaging.models import Channel, Kind, Message, OptOut
from messaging.outbox import message_queue
from messaging.tests.worker import worker_run_queued
from signups.contact_hash import contact_hash
from signups.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _text(person, key="news:1", **options):
    return message_queue(person, kind=Kind.NEWS, key=key, texts={"en": "Meeting Saturday", "es": "Reunión el sábado"},
                         **options)


def test_a_text_reaches_twilio_once_with_the_footer_in_the_persons_language(twilio_fake):
    person = VolunteerFactory(language="es", contact_methods=["text"])
    message = _text(person)
    worker_run_queued()
    worker_run_queued()
    [body] = twilio_fake.sent_to(person.phone)
    assert body.startswith("Reunión el sábado")
    assert "Responde ALTO" in body and "/es/me/" in body
    request = twilio_fake.requests[0]
    assert request["MessagingServiceSid"].startswith("MG")
    assert request["StatusCallback"].endswith(f"/messaging/twilio/status?m={message.pk}")
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.provider_id == twilio_fake.messages[0]["sid"]
    assert message.sent_at is not None and message.claimed_at is not None


def test_an_english_text_says_reply_stop(twilio_fake):
    person = VolunteerFactory(language="en")
    _text(person)
    worker_run_queued()
    [body] = twilio_fake.sent_to(person.phone)
    assert body.startswith("Meeting Saturday") and "Resistance Zone" in body and "Reply STOP" in body


def test_an_invalid_number_is_failed_with_twilios_code(twilio_fake):
    person = VolunteerFactory()
    twilio_fake.invalid.add(person.phone)
    message = _text(person)
    worker_run_queued()
    message.refresh_from_db()
    assert (message.status, message.error_code) == (Message.Status.UNDELIVERABLE, "21211")
    assert message.failed_at is not None


def test_twilios_opted_out_error_records_our_opt_out(twilio_fake):
    person = VolunteerFactory()
    twilio_fake.opted_out.add(person.phone)
    message = _text(person)
    worker_run_queued()
    message.refresh_from_db()
    assert (message.status, message.error_code) == (Message.Status.UNDELIVERABLE, "21610")
    assert OptOut.objects.filter(contact_hash=contact_hash(person.phone), source=OptOut.Source.PROVIDER).exists()
    # Never again, on any key.
    assert _text(person, key="news:2") is None


def test_throttling_is_waited_out_and_the_message_sent_once(twilio_fake):
    person = VolunteerFactory()
    twilio_fake.throttle_next = 2
    message = _text(person)
    worker_run_queued()
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert len(twilio_fake.requests) == 3
    assert len(twilio_fake.sent_to(person.phone)) == 1


def test_a_provider_that_keeps_throttling_gets_the_message_later(twilio_fake):
    person = VolunteerFactory()
    twilio_fake.throttle_next = 10
    message = _text(person)
    worker_run_queued()
    message.refresh_from_db()
    assert message.status == Message.Status.QUEUED
    assert message.error_code == "429"
    assert message.not_before > timezone.now()


def test_an_expiry_is_passed_to_twilio_as_validity_period(twilio_fake):
    person = VolunteerFactory()
    _text(person, expires_at=timezone.now() + datetime.timedelta(hours=1))
    worker_run_queued()
    assert 3500 < int(twilio_fake.requests[0]["ValidityPeriod"]) <= 3600


def test_a_message_expired_in_our_queue_is_dropped(twilio_fake):
    person = VolunteerFactory()
    message = _text(person, expires_at=timezone.now() + datetime.timedelta(hours=1))
    Message.objects.filter(pk=message.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    worker_run_queued()
    message.refresh_from_db()
    assert (message.status, message.error_code) == (Message.Status.DROPPED, "expired")
    assert twilio_fake.requests == []


def test_an_opt_out_after_queueing_still_stops_the_message(twilio_fake):
    person = VolunteerFactory()
    message = _text(person)
    OptOut.objects.create(contact_hash=contact_hash(person.phone), source=OptOut.Source.REPLY)
    worker_run_queued()
    message.refresh_from_db()
    assert (message.status, message.error_code) == (Message.Status.DROPPED, "opted-out")
    assert twilio_fake.requests == []


def test_withdrawn_consent_stops_a_queued_message(twilio_fake):
    person = VolunteerFactory()
    message = _text(person)
    person.message_kinds = ["reminder"]
    person.save()
    worker_run_queued()
    message.refresh_from_db()
    assert message.status == Message.Status.DROPPED
    assert twilio_fake.requests == []


def test_whatsapp_goes_to_the_whatsapp_address_with_the_kinds_template(twilio_fake, settings):
    settings.WHATSAPP_TEMPLATES = {"news_es": "HX" + "1" * 32, "news": "HX" + "2" * 32}
    person = VolunteerFactory(contact_methods=["whatsapp"], language="es")
    message = _text(person)
    assert message.channel == Channel.WHATSAPP
    worker_run_queued()
    [request] = twilio_fake.requests
    assert request["To"] == f"whatsapp:{person.phone}"
    assert request["ContentSid"] == "HX" + "1" * 32
    variable = json.loads(request["ContentVariables"])["1"]
    assert variable.startswith("Reunión el sábado Zona de Resistencia.") and "\n" not in variable
    assert "Body" not in request


def test_the_console_backend_prints_without_the_number(settings, capsys):
    settings.SMS_URL = "console://"
    person = VolunteerFactory(phone="+12155550199")
    _text(person)
    worker_run_queued()
    printed = capsys.readouterr().out
    assert "Meeting Saturday" in printed or "Reunión" in printed
    assert "2155550199" not in printed


def test_memory_backend_keeps_texts_for_unit_tests(sms_outbox):
    person = VolunteerFactory(language="en")
    _text(person)
    worker_run_queued()
    assert [sent["to"] for sent in sms_outbox] == [person.phone]
