"""The messaging phase of `make bench` (benchmarks/run.py calls bench_messages):

- queueing one message to a 50,000-person segment (messages_queue_many, in
  one transaction, the tasks enqueued on commit): under 10 s, and under
  200 MB of Python memory at its peak;
- one real worker process (`manage.py db_worker`) sending through the real
  twilio client to the loopback Twilio answering in 50 ms: at least 50
  messages/s, never more in any second than SMS_RATE_PER_SECOND (plus the
  bucket's burst of a tenth of it), and under 200 MB resident.
"""

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

ROOT = Path(__file__).resolve().parent.parent
SEGMENT = 50_000
SENT = 600
RATE = 80


def _database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _people(count):
    from django.utils import timezone

    from signups.models import Volunteer

    missing = count - Volunteer.objects.count()
    now = timezone.now()
    Volunteer.objects.bulk_create(
        (
            Volunteer(name=f"Bench Messages {n}", phone=f"+1267{n:07d}", language="es" if n % 2 else "en",
                      consent_at=now, consent_version=settings.CONSENT_VERSION, contact_methods=["text"])
            for n in range(max(0, missing))
        ),
        batch_size=5000,
    )


def bench_messages(results, *, timed_once, peak_memory_mb):
    from django_tasks_db.models import DBTaskResult

    from messaging.models import Kind, Message
    from messaging.outbox import messages_queue_many
    from messaging.tests.twilio_fake import TwilioFake
    from signups.models import Volunteer

    if connection.vendor != "postgresql":
        print("messages: skipped (needs PostgreSQL)")
        return
    # The loopback Twilio's own access log (werkzeug), one line per request.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    settings.QUIET_HOURS = "00:00-00:00"
    _people(SEGMENT)
    # The benchmarks before this one leave people who may not get news (an
    # imported row without consent): the segment timed is all 50,000.
    from messaging.models import OptOut
    from signups.models import MESSAGE_KINDS_BY_DEFAULT

    Volunteer.objects.update(message_kinds=MESSAGE_KINDS_BY_DEFAULT)
    OptOut.objects.all().delete()
    texts = {"en": "The next taller is Saturday at St. Thomas Aquinas, 10 am.",
             "es": "El próximo taller es el sábado en St. Thomas Aquinas, 10 a. m."}

    def queue(prefix):
        with transaction.atomic():
            return messages_queue_many(Volunteer.objects.all(), kind=Kind.NEWS, key_prefix=prefix, texts=texts)

    seconds, queued = timed_once(lambda: queue("bench:segment:1"))
    assert queued == Volunteer.objects.count() == SEGMENT, queued
    results.append((f"queue a message to {SEGMENT:,} people", seconds, 10, "s"))
    results.append((f"queue to {SEGMENT:,}: peak Python memory", peak_memory_mb(lambda: queue("bench:segment:2")), 200, "MB"))

    # Sending: a sample, by one worker process. The segment's messages
    # leave the queue first (the worker would take 15 minutes over them).
    Message.objects.update(status=Message.Status.DROPPED)
    DBTaskResult.objects.all().delete()
    with transaction.atomic():
        sample = list(Volunteer.objects.order_by("pk").values_list("pk", flat=True)[:SENT])
        messages_queue_many(Volunteer.objects.filter(pk__in=sample), kind=Kind.NEWS, key_prefix="bench:send", texts=texts)
    fake = TwilioFake(latency=0.05).start()
    env = {**os.environ, "DATABASE_URL": _database_url(), "SMS_URL": fake.sms_url, "QUIET_HOURS": "00:00-00:00",
           "SMS_RATE_PER_SECOND": str(RATE), "SMS_CONCURRENCY": "8", "DEBUG": "false"}
    worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_rss = 0
    while worker.poll() is None:
        try:
            status = Path(f"/proc/{worker.pid}/status").read_text()
            peak_rss = max(peak_rss, int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]))
        except (OSError, StopIteration):
            pass
        time.sleep(0.2)
    fake.stop()
    if worker.returncode != 0:
        print(worker.stderr.read().decode()[-2000:])
    sent = Message.objects.filter(idempotency_key__startswith="bench:send", status=Message.Status.SENT).count()
    arrivals = fake.accepted_at
    assert sent == SENT and len(arrivals) == SENT, (sent, len(arrivals))
    rate = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0])
    busiest = max(sum(1 for t in arrivals if start <= t < start + 1) for start in arrivals)
    results.append((f"one worker, provider at 50 ms, limit {RATE}/s: messages/s", rate, 50, "/s", ">="))
    # The limit, plus the bucket's burst (a tenth of it) and timing jitter.
    results.append(("busiest second at the provider (messages)", busiest, RATE * 1.15, "msg"))
    results.append(("worker peak resident memory while sending", peak_rss / 1024, 200, "MB"))
