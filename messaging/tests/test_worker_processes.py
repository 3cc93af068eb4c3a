"""The real worker, `manage.py db_worker`, as its own process on this
test's database: killed mid-batch and restarted it sends nothing twice and
loses nothing; two of them on one batch send each message once."""

import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from messaging.models import Kind, Message
from messaging.outbox import messages_hand_to_worker, messages_queue_many
from messaging.recovery import messages_recover
from messaging.tests.worker import worker_run_queued
from signups.models import Volunteer
from signups.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def _database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker(twilio_fake, *extra):
    if connection.vendor != "postgresql":
        pytest.skip("worker processes share the queue in PostgreSQL")
    env = {
        **os.environ, "DATABASE_URL": _database_url(), "SMS_URL": twilio_fake.sms_url, "DEBUG": "false",
        "MESSAGE_SENDING_TIMEOUT": "1", "MESSAGE_REQUEUE_SECONDS": "1", "SMS_CONCURRENCY": "2",
        "SMS_BACKOFF_SECONDS": "0.05",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.1", *extra],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def _segment(count):
    VolunteerFactory.create_batch(count, language="en")
    return messages_queue_many(Volunteer.objects.all(), kind=Kind.NEWS, key_prefix="news:process",
                               texts={"en": "Block meeting at 7", "es": "Reunión de cuadra a las 7"})


def _wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_a_worker_killed_mid_batch_and_restarted_sends_each_message_once(twilio_fake):
    assert _segment(40) == 40
    twilio_fake.latency = 0.1
    worker = _worker(twilio_fake)
    try:
        assert _wait_for(lambda: len(twilio_fake.messages) >= 8, 60), worker.stderr.read1().decode()
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        worker.kill()
    sent_before_restart = len(twilio_fake.messages)
    assert sent_before_restart < 40
    assert Message.objects.filter(status__in=[Message.Status.QUEUED, Message.Status.SENDING]).exists()

    time.sleep(1.2)  # past MESSAGE_SENDING_TIMEOUT: what it left "sending" is looked up
    restarted = _worker(twilio_fake, "--batch")
    assert restarted.wait(120) == 0, restarted.stderr.read().decode()

    per_number = collections.Counter(message["to"] for message in twilio_fake.messages)
    phones = set(Volunteer.objects.values_list("phone", flat=True))
    assert set(per_number) == phones
    assert set(per_number.values()) == {1}
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}


def test_two_workers_on_one_batch_send_each_message_once(twilio_fake):
    _segment(60)
    # The same messages in a second task too, as recovery or a second host
    # may hand them: both workers race for each message.
    messages_hand_to_worker(Message.objects.values_list("pk", flat=True))
    twilio_fake.latency = 0.02
    workers = [_worker(twilio_fake, "--batch"), _worker(twilio_fake, "--batch")]
    for worker in workers:
        assert worker.wait(120) == 0, worker.stderr.read().decode()
    per_number = collections.Counter(message["to"] for message in twilio_fake.messages)
    assert len(per_number) == 60 and set(per_number.values()) == {1}
    assert Message.objects.filter(status=Message.Status.SENT).count() == 60


def test_a_message_left_sending_that_never_reached_twilio_is_queued_again_and_sent(twilio_fake, settings):
    settings.MESSAGE_SENDING_TIMEOUT = 0
    _segment(1)
    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENDING, claimed_at=message.created_at)
    assert messages_recover()["requeued"] == 1
    worker_run_queued()
    assert len(twilio_fake.messages) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_a_message_left_sending_that_twilio_has_is_not_sent_again(twilio_fake, settings):
    settings.MESSAGE_SENDING_TIMEOUT = 0
    _segment(1)
    worker_run_queued()
    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENDING, provider_id="",
                                                 claimed_at=message.sent_at)
    assert messages_recover()["sent"] == 1
    worker_run_queued()
    assert len(twilio_fake.messages) == 1
    message.refresh_from_db()
    assert (message.status, message.provider_id) == (Message.Status.SENT, twilio_fake.messages[0]["sid"])
