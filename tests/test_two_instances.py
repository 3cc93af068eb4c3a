"""Two hosts, one site: two real gunicorn instances, each with its own
workers, on two ports, sharing one PostgreSQL and one Redis, as two
machines behind a proxy would (docs/deploy.md).

A person's cookies go to whichever instance answers (cookies ignore the
port, as they ignore which host behind a load balancer served them), and the
tests move each request between A and B. What a person sees must be the same
as with one instance: rate limits and lockouts count together, a login made
on one is a login on both, a change made through one shows at once on the
other, and an offline check-in replayed anywhere counts once.

The instances run the project's wsgi with production settings (DEBUG off,
the real middleware, hashed static files), behind a pretend proxy
(TRUSTED_PROXY_COUNT=1: each test's "person" has an address in
X-Forwarded-For). Rows are committed (transactional tests) so the instances
see them; Redis keys carry a prefix of this run and are deleted after each
test, never the whole database. Each test makes its rows with factories
before its first request: a factory's save tells the test process's own
cache that the data changed (pagecache/pages.py), not the shared
one, so every change the instances must notice goes through them. Redis is TEST_REDIS_URL (default
redis://127.0.0.1:6379/15); when it does not answer, these tests are skipped
with the reason, except under CI=true, where that is a failure.
"""

import datetime
import fcntl
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
import requests
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from signups.models import Volunteer
from trainings.models import Attendance, Registration
from trainings.tests.factories import RegistrationFactory, SessionFactory, UserFactory
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = [pytest.mark.gunicorn, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long test password 123"  # UserFactory's
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# Small, so the tests reach them in a few requests.
RATE_LIMIT_POSTS = 4
AXES_FAILURE_LIMIT = 3
START_TIMEOUT = 90  # seconds, for a loaded machine


# --- The two instances --------------------------------------------------------


class Instance:
    def __init__(self, name, process, log_path):
        self.name, self.process, self.log_path = name, process, log_path
        self.url = None

    def log(self):
        return self.log_path.read_text(errors="replace")[-4000:]


def _database_url():
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _require_shared_services():
    if connection.vendor != "postgresql":
        pytest.skip("Two instances need a PostgreSQL both can reach (the SQLite fallback is one process's file).")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        message = (
            f"Redis does not answer at {REDIS_URL} ({error}): the two-instance tests need it as the "
            "shared cache. Start redis-server, or point TEST_REDIS_URL at one."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI: " + message, pytrace=False)
        pytest.skip(message)


def _production_env(home, key_prefix):
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_URL": "dummymail://",
        # Plain HTTP on loopback: the proxy in front would do TLS.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "DATABASE_URL": _database_url(),
        "CACHE_URL": f"{REDIS_URL}?key_prefix={key_prefix}",
        "TRUSTED_PROXY_COUNT": "1",
        "RATE_LIMIT_POSTS": str(RATE_LIMIT_POSTS),
        # Accepted posts have a larger budget of their own; the same small
        # one here, so a few sign-ups reach it.
        "RATE_LIMIT_SUCCESSFUL_POSTS": str(RATE_LIMIT_POSTS),
        # The tests post a form right after loading it; the fill time is not
        # what they are about.
        "FORM_MIN_FILL_SECONDS": "0",
        "AXES_FAILURE_LIMIT": str(AXES_FAILURE_LIMIT),
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "2",
    }


def _collectstatic(env):
    # DEBUG off serves hashed static files from the manifest, as in
    # production; without it every page is a 500. The lock keeps two test
    # runs on this machine from writing the folder at once.
    lock_path = Path(tempfile.gettempdir()) / "rz-collectstatic.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )
    assert result.returncode == 0, result.stdout + result.stderr


def _start(name, env, tmp):
    log_path = tmp / f"gunicorn-{name}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "resistance_zone.wsgi",
                # Port 0: the system picks a free port, gunicorn logs it.
                "--bind", "127.0.0.1:0",
                "--workers", env["WEB_CONCURRENCY"],
                # Two instances on one machine must not fight over gunicorn's
                # one default control socket (~/.gunicorn/gunicorn.ctl).
                "--no-control-socket",
                "--error-logfile", "-",
            ],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    return Instance(name, process, log_path)


def _wait_until_serving(instance):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if instance.process.poll() is not None:
            pytest.fail(f"gunicorn {instance.name} exited with {instance.process.returncode}:\n{instance.log()}")
        if instance.url is None:
            match = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", instance.log_path.read_text(errors="replace"))
            instance.url = match.group(1) if match else None
        if instance.url is not None:
            try:
                response = requests.get(f"{instance.url}/healthz", timeout=5)
            except requests.ConnectionError:
                pass
            else:
                if response.status_code == 200 and response.text == "ok":
                    return
        time.sleep(0.2)
    pytest.fail(f"gunicorn {instance.name} did not answer /healthz in {START_TIMEOUT} s:\n{instance.log()}")


def _stop(instance):
    # Only the processes this test started: the master, then its own
    # process group (its workers) if it does not go quietly.
    if instance.process.poll() is None:
        instance.process.send_signal(signal.SIGTERM)
        try:
            instance.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(instance.process.pid, signal.SIGKILL)
            instance.process.wait(timeout=5)


@pytest.fixture(scope="module")
def key_prefix():
    return f"rz-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
def instances(django_db_setup, django_db_blocker, key_prefix, tmp_path_factory):
    """Instances A and B, started once for this module and stopped after it,
    before the test database is dropped."""
    _require_shared_services()
    tmp = tmp_path_factory.mktemp("instances")
    env = _production_env(tmp, key_prefix)
    _collectstatic(env)
    started = [_start("A", env, tmp), _start("B", env, tmp)]
    try:
        for instance in started:
            _wait_until_serving(instance)
        yield started
    finally:
        for instance in started:
            _stop(instance)


def _delete_our_keys(key_prefix):
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def a_b(instances, key_prefix):
    """The two instances, with nothing of an earlier test in the shared cache
    (its rows are gone too: the database is emptied after each test)."""
    _delete_our_keys(key_prefix)
    yield instances
    _delete_our_keys(key_prefix)


# --- A person's browser -------------------------------------------------------


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.values.setdefault(attrs["name"], attrs.get("value") or "")


def hidden_inputs(html):
    parser = _Inputs()
    parser.feed(html)
    return parser.values


class Browser:
    """One person: one cookie jar, one address (behind the proxy), and
    requests to whichever instance the test names."""

    def __init__(self, address):
        self.http = requests.Session()
        self.http.headers["X-Forwarded-For"] = address

    def get(self, instance, path, **kwargs):
        return self.http.get(instance.url + path, allow_redirects=False, timeout=30, **kwargs)

    def post(self, instance, path, data, headers=None, **kwargs):
        # Django accepts the CSRF cookie's value as the token, as a page
        # loaded from any instance would carry it.
        headers = {"X-CSRFToken": self.http.cookies.get("csrftoken", ""), **(headers or {})}
        return self.http.post(
            instance.url + path, data=data, headers=headers, allow_redirects=False, timeout=30, **kwargs
        )

    def form(self, instance, path):
        """Load a form page, as a person does before posting it."""
        response = self.get(instance, path)
        assert response.status_code == 200, (path, response.status_code)
        return hidden_inputs(response.text)

    def log_in(self, instance, user, *, code_on=None):
        """Password and second factor, the way a person does it: the code
        from the authenticator app (`code_on`: the instance that gets it)."""
        self.form(instance, "/en/login/")
        response = self.post(instance, "/en/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.text[:500]
        return self.send_code(code_on or instance, current_code(user))

    def send_code(self, instance, code):
        self.form(instance, "/en/login/verify/")
        return self.post(instance, "/en/login/verify/", {"token": code})


def staff_with_app(**kwargs):
    user = UserFactory(**kwargs)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def current_code(user):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def join(browser, instance, *, block, phone, name="Ana Flores"):
    fields = browser.form(instance, f"/en/join/?block={block.pk}")
    data = {
        **{key: value for key, value in fields.items() if key != "csrfmiddlewaretoken"},
        "name": name, "phone": phone, "email": "", "language": "es",
        "contact_methods": ["text"], "address": "", "zip_code": "",
        "ways_to_help": ["get_trained"], "consent": "on",
    }
    return browser.post(instance, "/en/join/", data)


def _alternating(a, b, count):
    """A, B, A, B...: a proxy sending one person's requests to each host in turn."""
    return [(a, b)[n % 2] for n in range(count)]


def _today_session(**kwargs):
    now = timezone.now()
    return SessionFactory(
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=2), **kwargs
    )


# --- Rate limits --------------------------------------------------------------


def test_join_posts_split_over_both_instances_share_one_rate_limit(a_b, key_prefix):
    a, b = a_b
    block = BlockFactory()
    neighbor = Browser("203.0.113.10")
    statuses = [
        join(neighbor, instance, block=block, phone=f"+1215555{n:04d}").status_code
        for n, instance in enumerate(_alternating(a, b, RATE_LIMIT_POSTS + 2))
    ]
    # The first RATE_LIMIT_POSTS sign-ups, whichever instance took them, go
    # through; then both refuse.
    assert statuses == [302] * RATE_LIMIT_POSTS + [429, 429]
    assert Volunteer.objects.count() == RATE_LIMIT_POSTS
    # The count is per address: another neighbor still gets in.
    assert join(Browser("203.0.113.11"), a, block=block, phone="+12155559999").status_code == 302
    # And it lives in the shared Redis, under this deployment's prefix.
    keys = redis.Redis.from_url(REDIS_URL).keys(f"{key_prefix}:*rz:rate:join:*")
    # One window per address (and others per contact, beside it).
    address_windows = [key for key in keys if key.endswith(b":start") and b":contact:" not in key]
    assert len(address_windows) == 2


# --- Lockouts -----------------------------------------------------------------


def _fail_login(browser, instance, username):
    browser.form(instance, "/en/login/")
    return browser.post(instance, "/en/login/", {"username": username, "password": "not the password"})


def test_failed_logins_on_both_instances_lock_the_account_on_each(a_b):
    a, b = a_b
    staff_with_app(username="organizer")
    # Guesses from several addresses (a botnet), spread over the instances.
    for n, instance in enumerate(_alternating(a, b, AXES_FAILURE_LIMIT)):
        _fail_login(Browser(f"198.51.100.{n + 1}"), instance, "organizer")

    for instance in (b, a):
        owner = Browser("192.0.2.50")
        owner.form(instance, "/en/login/")
        response = owner.post(instance, "/en/login/", {"username": "organizer", "password": PASSWORD})
        assert response.status_code == 429, instance.name
        # Not half logged in either: the trainer page sends them to log in.
        assert "/en/login/" in owner.get(instance, "/en/trainer/").headers["Location"]


def test_failed_logins_from_one_address_on_one_instance_lock_it_on_the_other(a_b):
    a, b = a_b
    staff_with_app(username="trainer")
    guesser = Browser("198.51.100.77")
    for n in range(AXES_FAILURE_LIMIT):
        _fail_login(guesser, a, f"guess{n}")

    guesser.form(b, "/en/login/")
    response = guesser.post(b, "/en/login/", {"username": "trainer", "password": PASSWORD})
    assert response.status_code == 429
    # Another address logs in on B as usual.
    assert Browser("192.0.2.60").log_in(b, get_user_model().objects.get(username="trainer")).status_code == 302


# --- Sessions -----------------------------------------------------------------


def test_a_staff_login_on_one_instance_holds_on_the_other_until_logged_out_on_either(a_b):
    a, b = a_b
    trainer = staff_with_app()
    session = _today_session(trainers=[trainer], topic__name_en="Know your rights at the door")
    trainer_browser = Browser("192.0.2.20")

    trainer_browser.form(a, "/en/login/")
    response = trainer_browser.post(a, "/en/login/", {"username": trainer.username, "password": PASSWORD})
    assert response.status_code == 302
    # The password alone, given to A, is not a login on B either.
    assert "/en/login/verify/" in trainer_browser.get(b, "/en/trainer/").headers["Location"]

    response = trainer_browser.send_code(b, current_code(trainer))  # the code typed on B
    assert response.status_code == 302
    for instance in (a, b):
        page = trainer_browser.get(instance, f"/en/trainer/sessions/{session.pk}/")
        assert page.status_code == 200, instance.name
        assert "Know your rights at the door" in page.text

    assert trainer_browser.post(b, "/en/logout/", {}).status_code in (200, 302)
    for instance in (a, b):
        assert "/en/login/" in trainer_browser.get(instance, "/en/trainer/").headers["Location"], instance.name


def test_a_code_spent_on_one_instance_is_refused_on_the_other(a_b):
    a, b = a_b
    trainer = staff_with_app()
    code = current_code(trainer)
    owner = Browser("192.0.2.21")
    owner.form(a, "/en/login/")
    owner.post(a, "/en/login/", {"username": trainer.username, "password": PASSWORD})
    assert owner.send_code(a, code).status_code == 302

    # Someone who has the password and looked over the trainer's shoulder.
    thief = Browser("192.0.2.99")
    thief.form(b, "/en/login/")
    assert thief.post(b, "/en/login/", {"username": trainer.username, "password": PASSWORD}).status_code == 302
    response = thief.send_code(b, code)
    assert response.status_code == 200
    assert "That code did not work" in response.text
    assert "/en/login/verify/" in thief.get(b, "/en/trainer/").headers["Location"]


# --- Cache invalidation: what one instance shows after a change on the other ---


def _seats_left(html, topic):
    card = html[html.index(topic):]
    return re.search(r"(\d+) seats? left", card).group(1)


def test_seats_left_on_one_instance_drop_at_once_after_an_rsvp_on_the_other(a_b):
    a, b = a_b
    session = SessionFactory(capacity=20, topic__name_en="Bystander intervention")
    neighbor = Browser("203.0.113.30")
    for instance in (a, b):
        assert _seats_left(neighbor.get(instance, "/en/trainings/").text, "Bystander intervention") == "20"

    fields = neighbor.form(b, f"/en/trainings/{session.pk}/")
    response = neighbor.post(
        b, f"/en/trainings/{session.pk}/",
        {
            **{key: value for key, value in fields.items() if key != "csrfmiddlewaretoken"},
            "name": "Lucía Ramírez", "phone": "215-555-0123", "email": "", "language": "es",
            "address": "", "consent": "on",
        },
    )
    assert response.status_code == 302 and "/en/trainings/r/" in response.headers["Location"]
    assert Registration.objects.filter(session=session).count() == 1

    for instance in (a, b):
        assert _seats_left(neighbor.get(instance, "/en/trainings/").text, "Bystander intervention") == "19", instance.name


def _progress(browser, instance, zone_name):
    html = browser.get(instance, "/en/zones/").text
    section = html[html.index(zone_name):]
    return {
        "signed_up": int(re.search(r"(\d+) neighbors? signed up", section).group(1)),
        "trained": int(re.search(r"(\d+) neighbors? trained", section).group(1)),
    }


def test_zone_progress_on_one_instance_counts_a_sign_up_and_a_check_in_made_on_the_other(a_b):
    a, b = a_b
    zone = ZoneFactory(name_en="Pilot zone")
    block = BlockFactory(zone=zone)
    trainer = staff_with_app()
    session = _today_session(trainers=[trainer], zone=zone)
    registration = RegistrationFactory(session=session, volunteer__block=block)
    visitor = Browser("203.0.113.40")
    assert _progress(visitor, a, "Pilot zone") == {"signed_up": 1, "trained": 0}

    assert join(Browser("203.0.113.41"), b, block=block, phone="+12155550177").status_code == 302
    assert _progress(visitor, a, "Pilot zone") == {"signed_up": 2, "trained": 0}

    # The trainer checks the registered neighbor in and closes the session,
    # all on B.
    trainer_browser = Browser("192.0.2.30")
    trainer_browser.log_in(b, trainer)
    roster = trainer_browser.form(b, f"/en/trainer/sessions/{session.pk}/")
    assert "csrfmiddlewaretoken" in roster
    response = trainer_browser.post(
        b, f"/en/trainer/sessions/{session.pk}/check-in/",
        {"volunteer": registration.volunteer_id, "nonce": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    assert trainer_browser.post(b, f"/en/trainer/sessions/{session.pk}/done/", {}).status_code == 302
    assert _progress(visitor, a, "Pilot zone") == {"signed_up": 2, "trained": 1}


def test_the_staff_map_on_one_instance_changes_at_once_after_a_sign_up_on_the_other(a_b):
    a, b = a_b
    zone = ZoneFactory(slug="pilot")
    block = BlockFactory(zone=zone)
    organizer = staff_with_app(username="superuser", is_superuser=True)
    organizer_browser = Browser("192.0.2.40")
    organizer_browser.log_in(a, organizer)
    url = "/en/zones/pilot/blocks.geojson"

    first = organizer_browser.get(a, url)
    assert first.status_code == 200
    assert first.json()["features"][0]["properties"]["residents"] == 0
    etag = first.headers["ETag"]
    # Unchanged, either instance says so without a body.
    for instance in (a, b):
        assert organizer_browser.get(instance, url, headers={"If-None-Match": etag}).status_code == 304

    assert join(Browser("203.0.113.50"), b, block=block, phone="+12155550188").status_code == 302

    for instance in (a, b):
        again = organizer_browser.get(instance, url, headers={"If-None-Match": etag})
        assert again.status_code == 200, instance.name
        assert again.headers["ETag"] != etag
        assert again.json()["features"][0]["properties"]["residents"] == 1


# --- Offline check-in: a queue loaded from A, replayed anywhere ----------------


def _roster_page(browser, instance, session):
    """What trainer.js starts from: the roster's config and CSRF token."""
    html = browser.get(instance, f"/en/trainer/sessions/{session.pk}/").text
    config = json.loads(re.search(r'<script id="roster-config" type="application/json">(.*?)</script>', html, re.S).group(1))
    return config, hidden_inputs(html)["csrfmiddlewaretoken"], html


def _send(browser, instance, url, fields, csrf):
    """One queued item, sent as trainer.js sends it."""
    return browser.post(instance, url, fields, headers={"Accept": "application/json", "X-CSRFToken": csrf})


def _checked_in_count(html):
    return int(re.search(r'data-count="checked_in">(\d+)<', html).group(1))


@pytest.fixture
def roster_world(a_b):
    trainer = staff_with_app()
    session = _today_session(trainers=[trainer])
    people = [RegistrationFactory(session=session).volunteer for _ in range(3)]
    browser = Browser("192.0.2.70")
    browser.log_in(a_b[0], trainer)
    return {"trainer": trainer, "session": session, "people": people, "browser": browser}


def test_a_check_in_queued_on_a_roster_from_one_instance_counts_once_wherever_it_is_replayed(a_b, roster_world):
    a, b = a_b
    browser, session, person = roster_world["browser"], roster_world["session"], roster_world["people"][0]
    config, csrf, _html = _roster_page(browser, a, session)
    item = {"volunteer": person.pk, "nonce": str(uuid.uuid4()), "at": timezone.now().isoformat()}

    # Sent to B; the answer was lost on the way, so the phone sends it again,
    # and this time the proxy picks A.
    answers = [_send(browser, instance, config["checkin"], item, csrf) for instance in (b, a, b)]

    for answer in answers:
        assert answer.status_code == 200
        assert answer.json()["ok"] is True and answer.json()["nonce"] == item["nonce"]
        assert answer.json()["counts"]["checked_in"] == 1
    assert Attendance.objects.filter(session=session, volunteer=person).count() == 1
    _config, _csrf, html = _roster_page(browser, a, session)
    assert _checked_in_count(html) == 1


def test_the_same_queued_check_ins_sent_to_both_instances_at_once_are_recorded_once(a_b, roster_world):
    a, b = a_b
    browser, session = roster_world["browser"], roster_world["session"]
    config, csrf, _html = _roster_page(browser, a, session)
    items = [
        {"volunteer": person.pk, "nonce": str(uuid.uuid4()), "at": timezone.now().isoformat()}
        for person in roster_world["people"]
    ]
    # Two tabs of the same phone, each flushing the queue, one through A and
    # one through B, released at the same moment.
    barrier = threading.Barrier(2)
    answers = {"A": [], "B": []}

    def flush(instance):
        tab = Browser("192.0.2.70")
        tab.http.cookies.update(browser.http.cookies)
        barrier.wait(timeout=30)
        for item in items:
            answers[instance.name].append(_send(tab, instance, config["checkin"], item, csrf))

    threads = [threading.Thread(target=flush, args=(instance,)) for instance in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    for name in ("A", "B"):
        assert [answer.status_code for answer in answers[name]] == [200] * len(items), name
        assert [answer.json()["nonce"] for answer in answers[name]] == [item["nonce"] for item in items]
    assert Attendance.objects.filter(session=session).count() == len(items)
    assert sorted(Attendance.objects.values_list("nonce", flat=True)) == sorted(uuid.UUID(i["nonce"]) for i in items)


def test_an_undo_on_one_instance_holds_against_a_late_replay_on_the_other(a_b, roster_world):
    a, b = a_b
    browser, session, person = roster_world["browser"], roster_world["session"], roster_world["people"][0]
    config, csrf, _html = _roster_page(browser, a, session)
    item = {"volunteer": person.pk, "nonce": str(uuid.uuid4()), "at": timezone.now().isoformat()}
    assert _send(browser, a, config["checkin"], item, csrf).json()["ok"]
    assert _send(browser, a, config["undo"], {"nonce": item["nonce"]}, csrf).json()["ok"]

    late = _send(browser, b, config["checkin"], item, csrf)

    assert late.status_code == 200
    assert Attendance.objects.active().filter(session=session).count() == 0
    _config, _csrf, html = _roster_page(browser, b, session)
    assert _checked_in_count(html) == 0


def test_a_walk_in_replayed_to_both_instances_creates_one_person_checked_in_once(a_b, roster_world):
    a, b = a_b
    browser, session = roster_world["browser"], roster_world["session"]
    config, csrf, _html = _roster_page(browser, a, session)
    walk_in = {
        "name": "Rosa Méndez", "phone": "215-555-0142", "email": "", "language": "es",
        "address": "19147", "consent": "on", "nonce": str(uuid.uuid4()), "at": timezone.now().isoformat(),
    }

    answers = [_send(browser, instance, config["walkin"], walk_in, csrf) for instance in (b, a)]

    assert [answer.status_code for answer in answers] == [200, 200]
    assert {answer.json()["nonce"] for answer in answers} == {walk_in["nonce"]}
    assert Volunteer.objects.filter(phone="+12155550142").count() == 1
    assert Attendance.objects.filter(session=session, walk_in=True).count() == 1
