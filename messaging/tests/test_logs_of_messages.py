"""Sending, failing, throttling, callbacks and replies, with every log
record of every logger captured at DEBUG: no number, no email and no text
of a message appears."""

import logging

import pytest

from messaging.models import Kind
from messaging.outbox import message_queue
from messaging.tests.worker import worker_run_queued
from signups.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = "Zapoteca-Quinceañera-Marimba"


def test_a_day_of_messages_logs_no_number_and_no_text(caplog, live_server, settings, twilio_fake):
    caplog.set_level(logging.DEBUG)
    settings.SITE_URL = live_server.url
    people = [VolunteerFactory(phone=f"+1267555{n:04d}", email=f"quetzal{n}@example.net", language="es")
              for n in range(4)]
    email_only = VolunteerFactory(phone="", email="ximena.email@example.net", contact_methods=["email"])
    twilio_fake.invalid.add(people[1].phone)
    twilio_fake.opted_out.add(people[2].phone)
    twilio_fake.unreachable[people[3].phone] = "30003"
    twilio_fake.throttle_next = 1
    for index, person in enumerate([*people, email_only]):
        message_queue(person, kind=Kind.NEWS, key=f"log:{index}", texts={"en": WORDS, "es": WORDS},
                      subject={"en": WORDS, "es": WORDS})
    worker_run_queued()
    twilio_fake.callbacks_send()
    inbound = f"{live_server.url}/messaging/twilio/inbound"
    twilio_fake.inbound_send(inbound, from_=people[0].phone, body=f"ALTO {WORDS}")
    twilio_fake.inbound_send(inbound, from_="+12675559999", body=WORDS)
    twilio_fake.signed_post(inbound, {"From": people[0].phone, "Body": WORDS}, token="forged")
    worker_run_queued()
    logged = "\n".join(f"{record.getMessage()} {record.args!r}" for record in caplog.records)
    assert logged, "nothing was logged at all: the capture is not working"
    for secret in [WORDS, "Zapoteca", "ximena.email", "2675559999", *(p.phone[2:] for p in people),
                   *(p.email for p in people)]:
        assert secret not in logged, secret
