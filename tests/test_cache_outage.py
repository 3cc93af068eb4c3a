"""Redis going away: the site answers without it and comes back with it.

A real gunicorn with production settings (tests/test_two_instances.py's
harness) uses a Redis of this test's own (tests/private_services.py), which
the tests kill, restart empty, and hang with SIGSTOP, while people use the
site. Every public page still answers, the rate limits count in the
database cache table, lockouts live in PostgreSQL, sessions are read from
their table, and no page or session from before a change comes back when
Redis does (pagecache/resilient_cache.py).

Rows are committed (transactional tests) so gunicorn sees them.
"""

import time

import pytest
from django.db import connection

from signups.models import Volunteer
from tests.private_services import (  # noqa: F401 (private_redis: a fixture)
    gunicorn_serving,
    manage,
    private_redis,
    production_env,
)
from tests.test_two_instances import (
    AXES_FAILURE_LIMIT,
    PASSWORD,
    RATE_LIMIT_POSTS,
    Browser,
    _seats_left,
    join,
    staff_with_app,
)
from trainings.models import Registration
from trainings.tests.factories import RegistrationFactory, SessionFactory
from zones.tests.factories import BlockFactory

pytestmark = [pytest.mark.gunicorn, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/en/", "/es/", "/en/join/", "/es/join/", "/en/trainings/", "/es/trainings/", "/en/zones/"]
WORKERS = 2
# Longer than production's 0.25 s, so a request that waited for Redis stands
# out from one that did not on a busy test machine.
SOCKET_TIMEOUT = 1.0
RETRY_SECONDS = 0.5
# Long enough for every worker's probe to find Redis back and close its breaker.
RECOVERY_SECONDS = 3 * RETRY_SECONDS + 0.5


@pytest.fixture(scope="module")
def site(django_db_setup, private_redis, tmp_path_factory):
    if connection.vendor != "postgresql":
        pytest.skip("gunicorn and the test need one PostgreSQL both reach (the SQLite fallback is one process's file).")
    tmp = tmp_path_factory.mktemp("cache-outage")
    env = production_env(
        tmp, "rz-outage", CACHE_URL=private_redis.url, CACHE_SOCKET_TIMEOUT=str(SOCKET_TIMEOUT),
        CACHE_RETRY_SECONDS=str(RETRY_SECONDS), WEB_CONCURRENCY=str(WORKERS),
    )
    manage(env, "createcachetable")  # the rate limits' fallback while Redis is away
    with gunicorn_serving("outage", env, tmp) as instance:
        yield instance


@pytest.fixture
def redis_up(site, private_redis):
    """Each test starts with Redis running and empty, every worker using it,
    and nothing counted in the database cache table by an earlier test."""
    was_away = not private_redis.running()
    if was_away:
        private_redis.start()
    private_redis.resume()
    private_redis.client().flushdb()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM rz_cache")
    if was_away:
        time.sleep(RECOVERY_SECONDS)
    yield site
    private_redis.resume()  # never leave it stopped for the next test


def _rsvp(browser, site, session):
    fields = browser.form(site, f"/en/trainings/{session.pk}/")
    return browser.post(
        site, f"/en/trainings/{session.pk}/",
        {
            **{key: value for key, value in fields.items() if key != "csrfmiddlewaretoken"},
            "name": "Lucía Ramírez", "phone": f"215-555-{Registration.objects.count():04d}",
            "email": "", "language": "es", "address": "", "consent": "on",
        },
    )


def _seats_seen(browser, site, topic, times=2 * WORKERS):
    """Seats left on the trainings list, as several requests (so several
    workers) show it."""
    return {_seats_left(browser.get(site, "/en/trainings/").text, topic) for _ in range(times)}


def _timed_get(browser, site, path):
    started = time.monotonic()
    response = browser.get(site, path)
    return response, time.monotonic() - started


# --- Down: connections refused -------------------------------------------------


def test_with_redis_down_every_public_page_answers_and_healthz_says_ok(redis_up, private_redis):
    SessionFactory(topic__name_en="Know your rights at the door")
    visitor = Browser("203.0.113.60")
    for path in PUBLIC_PAGES:
        assert visitor.get(redis_up, path).status_code == 200, path  # now kept in Redis

    private_redis.kill()

    for path in PUBLIC_PAGES * WORKERS:
        response = visitor.get(redis_up, path)
        assert response.status_code == 200, path
    assert "Know your rights at the door" in visitor.get(redis_up, "/en/trainings/").text
    # The load balancer keeps sending people here: the site works.
    health = visitor.get(redis_up, "/healthz")
    assert (health.status_code, health.text) == (200, "ok")


def test_sign_ups_while_redis_is_down_are_kept_and_still_counted_by_the_rate_limit(redis_up, private_redis):
    private_redis.kill()
    block = BlockFactory()
    neighbor = Browser("203.0.113.61")

    statuses = [
        join(neighbor, redis_up, block=block, phone=f"+1215555{n:04d}").status_code
        for n in range(RATE_LIMIT_POSTS + 2)
    ]

    # Counted in the database cache table, which every worker shares.
    assert statuses == [302] * RATE_LIMIT_POSTS + [429, 429]
    assert Volunteer.objects.count() == RATE_LIMIT_POSTS
    assert join(Browser("203.0.113.62"), redis_up, block=block, phone="+12155559999").status_code == 302


def test_a_lockout_still_locks_while_redis_is_down(redis_up, private_redis):
    staff_with_app(username="organizer")
    private_redis.kill()
    for n in range(AXES_FAILURE_LIMIT):
        guesser = Browser(f"198.51.100.{n + 1}")
        guesser.form(redis_up, "/en/login/")
        guesser.post(redis_up, "/en/login/", {"username": "organizer", "password": "not the password"})

    owner = Browser("192.0.2.50")
    owner.form(redis_up, "/en/login/")
    response = owner.post(redis_up, "/en/login/", {"username": "organizer", "password": PASSWORD})
    # Locked (django-axes keeps the count in PostgreSQL), not let through.
    assert response.status_code == 429
    assert "/en/login/" in owner.get(redis_up, "/en/trainer/").headers["Location"]


def test_staff_log_in_and_stay_logged_in_while_redis_is_down_and_after_it_returns_empty(redis_up, private_redis):
    trainer = staff_with_app()
    private_redis.kill()
    browser = Browser("192.0.2.20")

    assert browser.log_in(redis_up, trainer).status_code == 302
    for _ in range(WORKERS):
        assert browser.get(redis_up, "/en/trainer/").status_code == 200

    private_redis.start()  # empty: the session lives in its table
    time.sleep(RECOVERY_SECONDS)
    for _ in range(WORKERS):
        assert browser.get(redis_up, "/en/trainer/").status_code == 200


def test_a_change_made_while_redis_is_down_shows_then_and_after_redis_returns_empty(redis_up, private_redis):
    session = SessionFactory(capacity=20, topic__name_en="Bystander intervention")
    neighbor = Browser("203.0.113.63")
    assert _seats_seen(neighbor, redis_up, "Bystander intervention") == {"20"}  # kept in Redis

    private_redis.kill()
    assert _rsvp(neighbor, redis_up, session).status_code == 302
    # Rendered fresh by every worker, not from some copy of its own.
    assert _seats_seen(neighbor, redis_up, "Bystander intervention") == {"19"}

    private_redis.start()
    time.sleep(RECOVERY_SECONDS)
    assert _seats_seen(neighbor, redis_up, "Bystander intervention") == {"19"}
    assert _rsvp(neighbor, redis_up, session).status_code == 302
    assert _seats_seen(neighbor, redis_up, "Bystander intervention") == {"18"}


def test_a_generation_counter_redis_lost_starts_above_the_pages_it_still_keeps(redis_up, private_redis):
    session = SessionFactory(capacity=20, topic__name_en="Tenant rights")
    neighbor = Browser("203.0.113.64")
    assert _seats_seen(neighbor, redis_up, "Tenant rights") == {"20"}
    # A registration written behind the site's back (this process's cache is
    # not Redis): the kept page does not know of it.
    RegistrationFactory(session=session)
    assert _seats_seen(neighbor, redis_up, "Tenant rights") == {"20"}

    # Redis loses the counters but not the pages (evicted under memory
    # pressure): a counter started again at an old number would serve them.
    client = private_redis.client()
    counters = list(client.scan_iter(match="*rz:generation:*"))
    assert counters
    client.delete(*counters)

    assert _seats_seen(neighbor, redis_up, "Tenant rights") == {"19"}


# --- Hung: connections accepted, never answered ----------------------------------


def test_a_hung_redis_costs_each_worker_one_timeout_and_every_page_still_answers(redis_up, private_redis):
    visitor = Browser("203.0.113.65")
    for path in PUBLIC_PAGES:
        visitor.get(redis_up, path)

    private_redis.hang()
    answers = [_timed_get(visitor, redis_up, path) for path in PUBLIC_PAGES * 3]

    assert [response.status_code for response, _seconds in answers] == [200] * len(answers)
    # Each call gives up after the socket timeout, and the breaker then
    # spares the worker's next requests: one wait per worker, not per request.
    waited = [seconds for _response, seconds in answers if seconds >= SOCKET_TIMEOUT]
    assert len(waited) <= WORKERS, [round(seconds, 2) for _response, seconds in answers]
    assert max(seconds for _response, seconds in answers) < 2 * SOCKET_TIMEOUT + 3
    health = visitor.get(redis_up, "/healthz")
    assert (health.status_code, health.text) == (200, "ok")


def test_a_change_made_while_redis_hangs_shows_after_it_answers_again_with_its_old_data(redis_up, private_redis):
    session = SessionFactory(capacity=20, topic__name_en="Bystander intervention")
    neighbor = Browser("203.0.113.66")
    assert _seats_seen(neighbor, redis_up, "Bystander intervention") == {"20"}

    private_redis.hang()
    assert _rsvp(neighbor, redis_up, session).status_code == 302
    assert _seats_seen(neighbor, redis_up, "Bystander intervention") == {"19"}

    # Redis wakes up holding the page and the counter from before the RSVP:
    # the counter's lost bump is deleted before a worker reads Redis again.
    private_redis.resume()
    time.sleep(RECOVERY_SECONDS)
    assert _seats_seen(neighbor, redis_up, "Bystander intervention", times=3 * WORKERS) == {"19"}


def test_a_logout_while_redis_hangs_holds_after_it_answers_again_with_the_old_session(redis_up, private_redis):
    trainer = staff_with_app()
    browser = Browser("192.0.2.21")
    browser.log_in(redis_up, trainer)  # the session is in Redis and in its table
    assert browser.get(redis_up, "/en/trainer/").status_code == 200
    # The same cookie, on another tab (or in someone else's hands).
    other_tab = Browser("192.0.2.21")
    other_tab.http.cookies.update(browser.http.cookies)

    private_redis.hang()
    assert browser.post(redis_up, "/en/logout/", {}).status_code in (200, 302)
    private_redis.resume()
    time.sleep(RECOVERY_SECONDS)

    for _ in range(2 * WORKERS):
        response = other_tab.get(redis_up, "/en/trainer/")
        assert response.status_code == 302 and "/en/login/" in response.headers["Location"]

