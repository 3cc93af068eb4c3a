"""The rapid-response phase of `make bench` (benchmarks/run.py calls
bench_response), on every South Philadelphia block (the City's centerline,
imported as `import_blocks` does, over the demo grid):

- the nearest-responders query and the radius query: each under 50 ms, in
  one query whatever the number of blocks;
- approving an alert to 5,000 people: queued (and its recipients recorded)
  under 5 s;
- from approval to the first alert handed to the loopback Twilio by a
  running worker process (`manage.py db_worker`): under 10 s.
"""

import datetime
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parent.parent
CENTERLINE = ROOT.parent / "shared" / "data" / "philadelphia" / "south_philly_street_centerline.geojson"
ALERTED = 5000


def _blocks_everywhere():
    from zones.importing import blocks_import, load_features
    from zones.models import Block

    if CENTERLINE.exists():
        blocks_import(features=load_features(CENTERLINE))
    return Block.objects.count()


def _people_on(block_ids, count, *, phone_prefix, ways):
    from django.utils import timezone

    from signups.models import Volunteer

    now = timezone.now()
    Volunteer.objects.bulk_create(
        (Volunteer(name=f"Bench Responder {n}", phone=f"{phone_prefix}{n:06d}", language="es" if n % 2 else "en",
                   consent_at=now, consent_version=settings.CONSENT_VERSION, contact_methods=["text"],
                   block_id=block_ids[n % len(block_ids)], ways_to_help=ways, message_kinds=["urgent"],
                   trained_at=now - datetime.timedelta(days=10))
         for n in range(count)),
        batch_size=5000,
    )


def _confirmed_incident(block, opener):
    from django.utils import timezone

    from response.models import Incident

    return Incident.objects.create(zone=block.zone, block=block, kind="immigration", seen_at=timezone.now(),
                                   opened_by=opener, confirmed_at=timezone.now())


def bench_response(results, *, timed, timed_once):
    from django.contrib.auth import get_user_model
    from django_tasks_db.models import DBTaskResult

    from benchmarks.messages import _database_url
    from messaging.models import Message
    from messaging.tests.twilio_fake import TwilioFake
    from response.decisions import incident_approve
    from response.geography import SEARCH_RINGS, block_point, centroids_refresh, neighbors_within, responders_nearest
    from zones.models import Block

    if connection.vendor != "postgresql":
        print("response: skipped (needs PostgreSQL)")
        return
    # The loopback Twilio's own access log (werkzeug), one line per request.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    settings.QUIET_HOURS = "00:00-00:00"
    blocks = _blocks_everywhere()
    centroids_refresh()
    block_ids = list(Block.objects.filter(response_centroid__isnull=False).values_list("pk", flat=True))
    _people_on(block_ids, ALERTED, phone_prefix="+1445", ways=["rapid_response"])
    print(f"response: {blocks} blocks, {ALERTED} responders on them")
    block = Block.objects.filter(zone__isnull=False, response_centroid__isnull=False).order_by("pk").first()
    point = block_point(block)

    # The nearest: one query per ring searched (SEARCH_RINGS), most often one.
    for name, query, most in (
        ("nearest 5 responders", lambda: responders_nearest(point, count=5), len(SEARCH_RINGS)),
        ("alert radius", lambda: list(neighbors_within(point).values_list("pk", flat=True)), 1),
    ):
        with CaptureQueriesContext(connection) as queries:
            query()
        results.append((f"{name} query ({blocks:,} blocks)", timed(query, repeat=20) * 1000, 50, "ms"))
        results.append((f"{name}: SQL queries", len(queries.captured_queries), most, "q"))

    User = get_user_model()
    opener, approver = User.objects.create_user("bench-opener"), User.objects.create_user("bench-approver")
    settings.RAPID_ALERT_RADIUS_BLOCKS = 400  # all of South Philadelphia: 5,000 people
    seconds, queued = timed_once(lambda: incident_approve(_confirmed_incident(block, opener), user=approver,
                                                          text_en="ICE reported near 9th St. Stay inside.",
                                                          text_es="Reportan a ICE cerca de la 9. Quédate adentro."))
    assert queued >= ALERTED, queued
    results.append((f"approve an alert to {queued:,}: queued", seconds, 5, "s"))

    # A running worker, an empty queue, then one approval.
    Message.objects.update(status=Message.Status.DROPPED)
    DBTaskResult.objects.all().delete()
    settings.RAPID_ALERT_RADIUS_BLOCKS = 3
    fake = TwilioFake(latency=0.05).start()
    env = {**os.environ, "DATABASE_URL": _database_url(), "SMS_URL": fake.sms_url, "QUIET_HOURS": "00:00-00:00",
           "DEBUG": "false"}
    worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        time.sleep(3)  # the worker up and polling, as in production
        start = time.monotonic()
        incident_approve(_confirmed_incident(block, opener), user=approver, text_en="Alert", text_es="Alerta")
        deadline = start + 30
        while not fake.accepted_at and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.02)
        first = (fake.accepted_at[0] - start) if fake.accepted_at else float("inf")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        fake.stop()
    results.append(("approval to first alert at the provider", first, 10, "s"))
