#!/usr/bin/env python
"""Launch-day load: `make bench` (after benchmarks/run.py).

Sets itself up on a database of its own (<name>_bench beside DATABASE_URL's,
dropped and re-created each run) and Redis db 14 as the shared cache, seeds
the large demo (`load_large_demo`: every South Philadelphia block, 50,000
neighbors, 1,000 trainings), starts gunicorn with the production settings
(gunicorn.conf.py) and drives it from wrk, a separate process, on loopback.

Each endpoint is measured for PHASE_SECONDS after a short warm-up, at the
same concurrency as the bare view (`HttpResponse("ok")` through the whole
middleware stack, benchmarks/urls.py) measured in the same run, and reported
as requests/s, p50/p95/p99 and the ratio to the bare view. The POSTs
count what they sent and what PostgreSQL holds afterwards, and fail on any
sign-up, check-in or canvass tap lost or duplicated. A sampler reads every gunicorn
worker's resident memory throughout.

Exits 1 when a target is missed; docs/performance.md holds a real run.
"""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPTS = ROOT / "benchmarks" / "wrk"
VENV_BIN = Path(sys.executable).parent

PHASE_SECONDS = int(os.environ.get("BENCH_SECONDS", 10))
WARMUP_SECONDS = 2
USERS = 50  # concurrent phones: the launch-day crowd
ORGANIZERS = 4  # concurrent organizers in the admin
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
VOLUNTEERS = int(os.environ.get("BENCH_VOLUNTEERS", 50_000))
SESSIONS = int(os.environ.get("BENCH_SESSIONS", 1_000))
# A subset of the phases by name, separated by ";" ("roster GET;check-in POST";
# "redis outage" for that phase), while working on one endpoint; the bare
# view is still measured first and last. `make bench` runs them all.
ONLY = {name.strip() for name in os.environ.get("BENCH_ONLY", "").split(";") if name.strip()}

# Ratios to the bare view (minimum), and absolute latency ceilings.
RATIO_TARGETS = {
    "landing GET": 0.5,
    "join GET": 0.4,
    "join POST": 0.12,
    "trainings list GET": 0.3,
    "roster GET": 0.2,
    "check-in POST": 0.2,
    "tally POST": 0.2,
    "map GeoJSON GET, 304": 0.5,
}
LATENCY_TARGETS_MS = {
    ("join POST", "p99"): 250,
    ("admin volunteer list GET", "p95"): 300,
}
MAP_MAX_COMPRESSED_KB = 150
WORKER_MAX_RSS_MB = 150


def bench_environment(database_url):
    """Production settings, as docs/deploy.md sets them, on loopback: no TLS
    (so no secure-only cookies) and one proxy in front, which the benchmark
    plays by sending X-Forwarded-For."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_URL": "dummymail://",
        "CACHE_URL": REDIS_URL,
        "DATABASE_URL": database_url,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def database_url_for_bench(url):
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/") or "resistance_zone"
    return parts._replace(path=f"/{name}_bench").geturl(), f"{name}_bench"


def recreate_database(url, name):
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
        password=parts.password, dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- The server -----------------------------------------------------------------


class Gunicorn:
    def __init__(self, env, port):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{port}", "resistance_zone.wsgi"],
            cwd=ROOT, env=env, start_new_session=True,
        )
        self.peak_rss_mb = 0.0
        self.workers_seen = set()
        self._sampling = True
        self._wait_ready()
        self._sampler = threading.Thread(target=self._sample_memory, daemon=True)
        self._sampler.start()

    def _wait_ready(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn exited at start; see its output above")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def _sample_memory(self):
        # Resident memory of each worker, every quarter second: the peak of
        # one worker is the figure (VmHWM would be lost if a worker restarted).
        while self._sampling:
            for pid in self.worker_pids():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
                if match:
                    self.workers_seen.add(pid)
                    self.peak_rss_mb = max(self.peak_rss_mb, int(match.group(1)) / 1024)
            time.sleep(0.25)

    def stop(self):
        self._sampling = False
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)


# --- A browser's requests, for setting up and checking --------------------------


def fetch(base, path, *, headers=None, data=None, method=None):
    """(status, headers, body) without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(base + path, data=data, headers=headers or {}, method=method)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def cookie_from(headers, name):
    for value in headers.get_all("Set-Cookie") or []:
        if value.startswith(name + "="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return None


def hidden_value(html, name):
    match = re.search(rb'name="%s" value="([^"]*)"' % name.encode(), html)
    if match is None:
        raise SystemExit(f"the join form has no hidden field {name!r}")
    return match.group(1).decode()


# --- Phases -----------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    path: str
    headers: dict = field(default_factory=dict)
    script: str = "report.lua"
    script_args: list = field(default_factory=list)
    connections: int = USERS
    threads: int = 2
    expect_status: int = 200
    result: dict = None


def run_wrk(base, phase, seconds):
    command = [
        "wrk", "--timeout", "10s", "-t", str(phase.threads), "-c", str(phase.connections),
        "-d", f"{seconds}s", "-s", str(WRK_SCRIPTS / phase.script),
    ]
    for name, value in phase.headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(base + phase.path)
    if phase.script_args:
        command += ["--", *phase.script_args]
    output = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "WRK_SCRIPTS": str(WRK_SCRIPTS)},
    )
    for line in output.stdout.splitlines():
        if line.startswith("WRK-JSON "):
            result = json.loads(line[len("WRK-JSON "):])
            result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
            return result
    raise SystemExit(f"wrk failed for {phase.name}:\n{output.stdout}\n{output.stderr}")


def measure(base, phase, *, warm_up=True):
    status, _headers, _body = fetch(base, phase.path, headers=phase.headers)
    if phase.script == "report.lua" and status != phase.expect_status:
        raise SystemExit(f"{phase.name}: {phase.path} answered {status}, expected {phase.expect_status}")
    if warm_up:
        run_wrk(base, phase, WARMUP_SECONDS)
    phase.result = run_wrk(base, phase, PHASE_SECONDS)
    print(f"  {phase.name:28} {phase.result['rps']:8.0f} req/s", flush=True)
    return phase.result


def settled_etag(base, path, headers):
    """The ETag once it stops changing: sign-ups still queued in gunicorn's
    backlog when wrk stops go on bumping the map's generation for a moment."""
    etag = fetch(base, path, headers=headers)[1]["ETag"]
    for _ in range(60):
        time.sleep(0.5)
        again = fetch(base, path, headers=headers)[1]["ETag"]
        if again == etag:
            return etag
        etag = again
    raise SystemExit(f"{path}: the ETag kept changing for 30 s")


# --- Set-up inside Django (the same settings as gunicorn) ----------------------------


def django_setup(env):
    for key in ("DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL", "CACHE_URL",
                "DATABASE_URL", "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "TRUSTED_PROXY_COUNT", "LOG_LEVEL"):
        os.environ[key] = env[key]
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed():
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    started = time.monotonic()
    call_command("load_large_demo", volunteers=VOLUNTEERS, sessions=SESSIONS)
    return time.monotonic() - started


def staff_cookie(user):
    """A logged-in staff browser's session cookie, second factor passed."""
    from django.conf import settings
    from django.test import Client

    from tests.auth import login_with_otp

    client = Client()
    login_with_otp(client, user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def staff_users():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    User = get_user_model()
    organizer = User.objects.create_superuser("bench-organizer", "organizer@example.org", secrets.token_urlsafe(16))
    trainer = User.objects.create_user("bench-trainer", "trainer@example.org", secrets.token_urlsafe(16), is_staff=True)
    trainer.groups.add(Group.objects.get(name="Trainer"))
    return organizer, trainer


def checkin_work(trainer, threads):
    """The trainer leads every scheduled session; each wrk thread gets its
    own share of their registered people, none checked in yet. Returns the
    shares and the busiest session (the roster measured) with its size."""
    from django.db.models import Count, Exists, OuterRef

    from trainings.models import Attendance, Registration, Session

    sessions = Session.objects.filter(status=Session.Status.SCHEDULED)
    trainer.training_sessions.add(*sessions)
    checked_in = Attendance.objects.filter(session=OuterRef("session"), volunteer=OuterRef("volunteer"))
    registrations = Registration.objects.filter(session__in=sessions).exclude(status=Registration.Status.CANCELLED)
    pairs = list(
        registrations.exclude(Exists(checked_in)).order_by("?").values_list("session_id", "volunteer_id")
    )
    busiest = registrations.values("session_id").annotate(people=Count("pk")).order_by("-people").first()
    return [pairs[i::threads] for i in range(threads)], busiest["session_id"], busiest["people"]


CANVASS_BLOCKS = 10  # USERS phones on 10 blocks: five phones race on each


def canvass_work():
    """A canvasser account and a team canvassing today on CANVASS_BLOCKS
    blocks of the first zone. Returns the user, the team and its blocks."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from canvass.models import CanvassTeam, day_name
    from canvass.roles import CANVASSER
    from signups.models import Campaign
    from zones.models import Block

    today = timezone.localdate()
    canvasser = get_user_model().objects.create_user(
        "bench-canvasser", "canvasser@example.org", secrets.token_urlsafe(16), is_staff=True)
    canvasser.groups.add(Group.objects.get_or_create(name=CANVASSER)[0])
    campaign = Campaign.objects.create(
        slug="bench-canvass", name_en="Bench canvass", name_es="Bench canvass",
        starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=1))
    blocks = list(Block.objects.exclude(zone=None).order_by("zone_id", "street", "hundred")[:CANVASS_BLOCKS])
    team = CanvassTeam.objects.create(campaign=campaign, name="Bench crew", day=day_name(today), zone=blocks[0].zone)
    team.blocks.add(*blocks)
    team.canvassers.add(canvasser)
    return canvasser, team, blocks


def write_lines(path, lines):
    path.write_text("\n".join(str(line) for line in lines) + "\n")


def join_browsers(base, workdir, threads):
    """Each wrk thread is a phone that opened the form: its CSRF cookie and
    the hidden fields of the page it got."""
    for thread in range(threads):
        lang = "es" if thread % 2 else "en"
        status, headers, body = fetch(base, f"/{lang}/join/")
        assert status == 200, status
        csrf_cookie = cookie_from(headers, "csrftoken")
        write_lines(workdir / f"browser-{thread}.txt", [
            lang,
            f"csrftoken={csrf_cookie}",
            hidden_value(body, "csrfmiddlewaretoken"),
            hidden_value(body, "form_started"),
            base,
        ])


def street_addresses(count=2000):
    """Addresses on real blocks that the sign-up resolves: the middle of each
    block's range ("1123 S 9th St")."""
    from zones.services import block_for_address
    from zones.models import Block

    addresses = []
    for block in Block.objects.order_by("?")[: count * 2]:
        text = f"{block.hundred + 23} {block.street}"
        if block_for_address(text=text) is not None:
            addresses.append(text)
        if len(addresses) == count:
            break
    if len(addresses) < 100:
        raise SystemExit(f"only {len(addresses)} block addresses resolve: the address check is broken")
    return addresses


# --- Checks after the POSTs ----------------------------------------------------------


def check_signups(result):
    """Every acknowledged neighbor is in the database once; nobody else.
    Each neighbor the benchmark sends has a name and a phone of their own, so
    a person stored twice shows as a repeated name."""
    from signups.models import Volunteer

    counters = result["counters"]
    rows = list(Volunteer.objects.filter(name__startswith="Bench Neighbor ").values_list("name", "phone"))
    stored = {phone for _name, phone in rows}
    pending = {f"+1{phone}" for phone in result["pending"]}
    acked = counters["acked"]
    # Acknowledged people: each thread's people but the one still in flight.
    in_flight = len(pending & stored)
    problems = []
    duplicated = len(rows) - len({name for name, _phone in rows})
    if duplicated:
        problems.append(f"{duplicated} duplicated")
    if len(rows) != acked + in_flight:
        problems.append(f"database holds {len(rows)}, acknowledged {acked} (+{in_flight} in flight)")
    if acked > len(stored - pending):
        problems.append(f"{acked - len(stored - pending)} lost")
    if counters["refused"]:
        problems.append(f"{counters['refused']} refused")
    return len(rows), problems


def check_tallies(result, team):
    """Counted as check-ins are: every acknowledged tap is in the tallies
    once, the replayed ones not at all, and nothing else is."""
    from django.db.models import Sum

    from canvass.models import DoorTally, TallyIncrement

    counters = result["counters"]
    knocked = DoorTally.objects.filter(team=team).aggregate(n=Sum("knocked"))["n"] or 0
    increments = TallyIncrement.objects.filter(tally__team=team).count()
    in_flight = TallyIncrement.objects.filter(id__in=result["pending"]).count()
    problems = []
    if knocked != increments:
        problems.append(f"tallies count {knocked} doors for {increments} distinct taps")
    if increments != counters["acked"] + in_flight:
        problems.append(f"database holds {increments}, acknowledged {counters['acked']} (+{in_flight} in flight)")
    if counters["refused"]:
        problems.append(f"{counters['refused']} refused")
    return knocked, problems


def check_checkins(result, trainer, baseline):
    from trainings.models import Attendance

    counters = result["counters"]
    active = Attendance.objects.active().filter(session__trainers=trainer)
    rows = active.count() - baseline
    distinct = active.values("session_id", "volunteer_id").distinct().count() - baseline
    in_flight = Attendance.objects.filter(nonce__in=result["pending"]).count()
    problems = []
    if rows != distinct:
        problems.append(f"{rows - distinct} duplicated")
    if rows != counters["acked"] + in_flight:
        problems.append(f"database holds {rows}, acknowledged {counters['acked']} (+{in_flight} in flight)")
    if counters["refused"]:
        problems.append(f"{counters['refused']} refused")
    return rows, problems


# --- Redis going away during the join load (docs/performance.md, "Faults") ---------

OUTAGE_SECONDS = 10


def redis_outage_phase(env, workdir, bare_rps):
    """Join POSTs against a gunicorn of its own whose Redis, a private
    redis-server (tests/private_services.py), is stopped for OUTAGE_SECONDS
    in the middle of the load: OUTAGE_SECONDS with Redis up, then killed,
    then started again (empty). Target: no 5xx in any stage. Prints each
    stage's rate and its ratio to the bare view; True when the target is met."""
    from django.conf import settings

    from tests.private_services import PrivateRedis

    outage_dir = workdir / "redis-outage"
    outage_dir.mkdir()
    shutil.copy(workdir / "addresses.txt", outage_dir / "addresses.txt")
    private_redis = PrivateRedis().start()
    server = Gunicorn({**env, "CACHE_URL": private_redis.url}, free_port())
    stages = []
    try:
        join_browsers(server.base, outage_dir, USERS)
        time.sleep(settings.FORM_MIN_FILL_SECONDS + 1)
        print(f"Redis outage: join POST for {OUTAGE_SECONDS} s with Redis, "
              f"{OUTAGE_SECONDS} s with it stopped, {OUTAGE_SECONDS} s after it starts again:", flush=True)
        for number, stage in enumerate(["Redis up", "Redis down", "Redis back"], start=1):
            if stage == "Redis down":
                private_redis.kill()
            elif stage == "Redis back":
                private_redis.start()
            phase = Phase(f"join POST, {stage}", "/en/join/", script="join_post_outage.lua",
                          script_args=[str(outage_dir), str(number)], threads=USERS)
            phase.result = run_wrk(server.base, phase, OUTAGE_SECONDS)
            stages.append(phase)
    finally:
        server.stop()
        private_redis.stop()

    print()
    print(f"{'Redis outage':28} {'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} "
          f"{'5xx':>5} {'other':>6}  ok")
    ok = True
    for phase in stages:
        result, counters = phase.result, phase.result["counters"]
        server_errors = counters["server_errors"]
        # Refusals that are not 5xx (a 4xx, a socket error) are reported, not a miss.
        other = counters["refused"] - server_errors + sum(
            count for kind, count in result["errors"].items() if kind != "status")
        ok = ok and server_errors == 0
        print(f"{phase.name:28} {phase.connections:5d} {result['rps']:8.0f} {result['p50'] / 1000:8.1f} "
              f"{result['p99'] / 1000:8.1f} {result['rps'] / bare_rps:6.2f} {server_errors:5d} {other:6d}  "
              f"{'ok' if server_errors == 0 else 'MISSED'}")
    down, up = stages[1].result["rps"], stages[0].result["rps"]
    print(f"while Redis was down: {down / up:.2f} of the rate with it; target 0 x 5xx  "
          f"{'ok' if ok else 'MISSED'}")
    return ok


# --- The run -------------------------------------------------------------------------


def main():
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `make bench` installs it (bin/ensure-debian-package)")
    source_url = os.environ.get("DATABASE_URL", "")
    if not source_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The load benchmark needs PostgreSQL at DATABASE_URL (see `make bench`).")
    url, name = database_url_for_bench(source_url)
    print(f"Load benchmark: database {name}, cache {REDIS_URL}, {os.cpu_count()} cores", flush=True)
    recreate_database(source_url, name)
    flush_redis()
    env = bench_environment(url)
    django_setup(env)
    seconds = seed()
    print(f"Seeded in {seconds:.0f} s", flush=True)

    from django.conf import settings

    from trainings.models import Attendance

    organizer, trainer = staff_users()
    organizer_cookie, trainer_cookie = staff_cookie(organizer), staff_cookie(trainer)
    workdir = Path(tempfile.mkdtemp(prefix="rz-bench-"))
    write_lines(workdir / "addresses.txt", street_addresses())
    shares, roster_session, roster_size = checkin_work(trainer, USERS)
    if not all(shares):
        raise SystemExit("too few registered people to check in: the seed made too few registrations")
    for thread, share in enumerate(shares):
        write_lines(workdir / f"checkins-{thread}.txt", [f"{s} {v}" for s, v in share])

    canvasser, canvass_team, canvass_blocks = canvass_work()
    canvasser_cookie = staff_cookie(canvasser)

    server = Gunicorn(env, free_port())
    base = server.base
    try:
        # Each canvasser's phone: a CSRF cookie and token from the canvass page.
        status, headers, body = fetch(base, "/en/canvass/", headers={"Cookie": canvasser_cookie})
        assert status == 200, f"canvass page answered {status}"
        canvass_csrf = cookie_from(headers, "csrftoken")
        for thread in range(USERS):
            write_lines(workdir / f"canvass-{thread}.txt", [
                "en", f"{canvasser_cookie}; csrftoken={canvass_csrf}", canvass_csrf, base,
                canvass_team.pk, canvass_blocks[thread % len(canvass_blocks)].pk,
            ])
        # The trainer's phone: a CSRF cookie and token from its roster page.
        status, headers, body = fetch(base, f"/en/trainer/sessions/{roster_session}/", headers={"Cookie": trainer_cookie})
        assert status == 200, f"roster answered {status}"
        trainer_csrf = cookie_from(headers, "csrftoken")
        for thread in range(USERS):
            write_lines(workdir / f"trainer-{thread}.txt", [
                "en", f"{trainer_cookie}; csrftoken={trainer_csrf}", trainer_csrf, base,
            ])
        join_browsers(base, workdir, USERS)
        # A person takes longer than FORM_MIN_FILL_SECONDS to fill the form.
        time.sleep(settings.FORM_MIN_FILL_SECONDS + 1)

        gzip = {"Accept-Encoding": "gzip"}
        map_path = "/en/zones/blocks.geojson"
        map_headers = {**gzip, "Cookie": organizer_cookie}
        status, map_response_headers, map_body = fetch(base, map_path, headers=map_headers)
        assert status == 200, f"map answered {status}"
        map_kb = len(map_body) / 1024
        encoding = map_response_headers.get("Content-Encoding", "")
        etag = map_response_headers.get("ETag", "")

        phases = [
            Phase("bare view", "/bench/bare/"),
            Phase("landing GET", "/es/", headers=gzip),
            Phase("join GET", "/es/join/", headers=gzip),
            Phase("join POST", "/en/join/", script="join_post.lua", script_args=[str(workdir)],
                  threads=USERS),
            Phase("trainings list GET", "/es/trainings/", headers=gzip),
            Phase("map GeoJSON GET, full", map_path, headers=map_headers),
            Phase("map GeoJSON GET, 304", map_path, expect_status=304,
                  headers={**map_headers, "If-None-Match": etag}),
            Phase("roster GET", f"/en/trainer/sessions/{roster_session}/", headers={**gzip, "Cookie": trainer_cookie}),
            Phase("check-in POST", "/", script="checkin_post.lua", script_args=[str(workdir)], threads=USERS),
            Phase("tally POST", "/", script="tally_post.lua", script_args=[str(workdir)], threads=USERS),
            Phase("admin volunteer list GET", f"/{settings.ADMIN_URL}signups/volunteer/",
                  headers={**gzip, "Cookie": organizer_cookie}, connections=ORGANIZERS),
            # The yardstick again, last: a drift between the two says the
            # machine was disturbed during the run.
            Phase("bare view, again", "/bench/bare/"),
        ]
        if ONLY:
            phases = [phase for phase in phases if phase.name.startswith("bare view") or phase.name in ONLY]
        attendance_before = Attendance.objects.active().filter(session__trainers=trainer).count()
        print(f"Measuring {len(phases)} phases of {PHASE_SECONDS} s (+{WARMUP_SECONDS} s warm-up), "
              f"{USERS} connections ({ORGANIZERS} in the admin):", flush=True)
        for phase in phases:
            if "If-None-Match" in phase.headers:
                # The sign-ups measured before changed the map: revalidate
                # against what it shows now.
                phase.headers["If-None-Match"] = settled_etag(base, map_path, map_headers)
            # The POSTs start cold: their warm-up would send real sign-ups.
            measure(base, phase, warm_up=phase.script == "report.lua")
    finally:
        server.stop()

    by_name = {phase.name: phase for phase in phases}
    signups_stored, signup_problems = (
        check_signups(by_name["join POST"].result) if "join POST" in by_name else (0, []))
    checkins_stored, checkin_problems = (
        check_checkins(by_name["check-in POST"].result, trainer, attendance_before)
        if "check-in POST" in by_name else (0, []))
    taps_stored, tally_problems = (
        check_tallies(by_name["tally POST"].result, canvass_team) if "tally POST" in by_name else (0, []))
    missed = report(phases, signups_stored, signup_problems, checkins_stored, checkin_problems,
                    map_kb, encoding, etag, server, roster_size, taps_stored, tally_problems)
    # After the checks above: its sign-ups are not theirs to count.
    outage_ok = redis_outage_phase(env, workdir, phases[0].result["rps"]) if not ONLY or "redis outage" in ONLY else True
    return missed or (0 if outage_ok else 1)


def report(phases, signups_stored, signup_problems, checkins_stored, checkin_problems,
           map_kb, encoding, etag, server, roster_size, taps_stored=0, tally_problems=()):
    bare = phases[0].result["rps"]
    failures = []
    print()
    print(f"{'endpoint':28} {'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'ratio':>6} {'target':>8}  ok")
    for phase in phases:
        result = phase.result
        ratio = result["rps"] / bare
        target = RATIO_TARGETS.get(phase.name)
        checks = []
        if target is not None:
            checks.append(ratio >= target)
        for (name, percentile), ceiling in LATENCY_TARGETS_MS.items():
            if name == phase.name:
                checks.append(result[percentile] / 1000 < ceiling)
        errors = sum(result["errors"].values())
        if errors:
            checks.append(False)
        ok = all(checks)
        if not ok:
            failures.append(phase.name + (f" ({errors} errors: {result['errors']})" if errors else ""))
        target_text = f">={target}" if target is not None else ""
        for (name, percentile), ceiling in LATENCY_TARGETS_MS.items():
            if name == phase.name:
                target_text += f" {percentile}<{ceiling}"
        print(f"{phase.name:28} {phase.connections:5d} {result['rps']:8.0f} {result['p50'] / 1000:8.1f} "
              f"{result['p95'] / 1000:8.1f} {result['p99'] / 1000:8.1f} {ratio:6.2f} {target_text:>8}  "
              f"{'ok' if ok else 'MISSED'}")
    print()
    map_ok = map_kb <= MAP_MAX_COMPRESSED_KB and encoding in ("gzip", "br") and bool(etag)
    print(f"map payload, all South Philadelphia: {map_kb:.0f} KB ({encoding or 'not compressed'}, "
          f"ETag {'set' if etag else 'missing'}); target <= {MAP_MAX_COMPRESSED_KB} KB  {'ok' if map_ok else 'MISSED'}")
    memory_ok = 0 < server.peak_rss_mb < WORKER_MAX_RSS_MB
    print(f"peak RSS of one gunicorn worker: {server.peak_rss_mb:.0f} MB "
          f"({len(server.workers_seen)} workers); target < {WORKER_MAX_RSS_MB} MB  {'ok' if memory_ok else 'MISSED'}")
    print(f"roster measured: {roster_size} registered people")
    by_name = {phase.name: phase for phase in phases}
    if "join POST" in by_name:
        join = by_name["join POST"].result["counters"]
        print(f"sign-ups: {join['people']} neighbors answered ({join['double_taps']} tapped twice), "
              f"{signups_stored} stored; {'; '.join(signup_problems) or 'none lost, none duplicated'}")
    if "check-in POST" in by_name:
        checkin = by_name["check-in POST"].result["counters"]
        print(f"check-ins: {checkin['people']} answered ({checkin['double_taps']} replayed), "
              f"{checkins_stored} stored; {'; '.join(checkin_problems) or 'none lost, none duplicated'}")
    if "tally POST" in by_name:
        tally = by_name["tally POST"].result["counters"]
        print(f"canvass taps: {tally['people']} answered ({tally['double_taps']} replayed), "
              f"{taps_stored} counted; {'; '.join(tally_problems) or 'none lost, none duplicated'}")
        failures += [f"canvass taps: {p}" for p in tally_problems]
    if not map_ok:
        failures.append("map payload")
    if not memory_ok:
        failures.append("worker memory")
    failures += [f"sign-ups: {p}" for p in signup_problems] + [f"check-ins: {p}" for p in checkin_problems]
    drift = abs(phases[-1].result["rps"] - bare) / bare
    if drift > 0.15:
        print(f"warning: the bare view moved {drift:.0%} between the start and the end of the run")
    print("all targets met" if not failures else "MISSED: " + "; ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
