"""The resilient Redis cache on its own, in this process, against a private
redis-server (tests/private_services.py): what each call answers while Redis
is away, with and without a fallback, and how long it waits for a hung one.
tests/test_cache_outage.py shows the same through real gunicorn."""

import time
import uuid

import pytest

from pagecache.resilient_cache import ResilientRedisCache
from tests.private_services import PrivateRedis

SOCKET_TIMEOUT = 0.3
RETRY_SECONDS = 0.3


@pytest.fixture
def private_redis():
    server = PrivateRedis().start()
    yield server
    server.stop()


def _cache(private_redis, **options):
    return ResilientRedisCache(private_redis.url, {
        "KEY_PREFIX": f"rz-test-{uuid.uuid4().hex[:8]}",
        "OPTIONS": {"socket_timeout": SOCKET_TIMEOUT, "RETRY_SECONDS": RETRY_SECONDS, **options},
    })


def _wait_until_answering(cache, seconds=5):
    deadline = time.monotonic() + seconds
    while not cache.answering and time.monotonic() < deadline:
        time.sleep(0.05)
    assert cache.answering


def test_without_a_fallback_a_redis_away_is_an_empty_cache_that_forgets(private_redis):
    cache = _cache(private_redis)
    cache.set("greeting", "hola", timeout=60)
    private_redis.kill()

    assert cache.get("greeting") is None
    assert cache.get("greeting", "nada") == "nada"
    assert cache.get_many(["greeting", "other"]) == {}
    assert cache.add("counter", 1) is True  # kept, and forgotten at once
    assert cache.has_key("counter") is False
    with pytest.raises(ValueError):
        cache.incr("counter")
    assert cache.set_many({"a": 1, "b": 2}) == []
    assert cache.get_or_set("computed", lambda: 42) == 42
    assert cache.answering is False


def test_with_a_fallback_every_call_goes_to_it_while_redis_is_away(private_redis, settings):
    settings.CACHES = {
        **settings.CACHES,
        "spare": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rz-spare"},
    }
    from django.core.cache import caches

    cache = _cache(private_redis, FALLBACK="spare")
    private_redis.kill()

    assert cache.add("rate", 1, timeout=60)
    assert cache.incr("rate") == 2  # a rate limit keeps counting
    assert caches["spare"].get("rate") == 2
    caches["spare"].clear()


def test_a_hung_redis_costs_one_timeout_then_nothing_until_it_answers(private_redis):
    cache = _cache(private_redis)
    cache.set("greeting", "hola", timeout=60)
    private_redis.hang()
    try:
        started = time.monotonic()
        assert cache.get("greeting") is None
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(50):
            cache.get("greeting")
        fifty_more = time.monotonic() - started
    finally:
        private_redis.resume()

    assert SOCKET_TIMEOUT * 0.9 <= first < SOCKET_TIMEOUT + 1.5
    assert fifty_more < SOCKET_TIMEOUT
    _wait_until_answering(cache)
    assert cache.get("greeting") == "hola"


def test_what_redis_missed_while_it_hung_is_deleted_before_it_is_used_again(private_redis):
    cache = _cache(private_redis)
    cache.set("session", "logged in", timeout=60)
    cache.set("generation", 7, timeout=None)
    cache.set("untouched", "still here", timeout=60)
    private_redis.hang()
    try:
        cache.delete("session")  # a logout
        try:  # a page generation bumped, as pagecache.pages bumps it
            cache.incr("generation")
        except ValueError:
            cache.add("generation", 8)
    finally:
        private_redis.resume()

    _wait_until_answering(cache)
    # Redis woke up with both old values: neither comes back.
    assert cache.get("session") is None
    assert cache.get("generation") is None
    assert cache.get("untouched") == "still here"


def test_past_so_many_lost_writes_every_key_of_the_prefix_is_deleted_instead(private_redis, monkeypatch):
    from pagecache import resilient_cache

    monkeypatch.setattr(resilient_cache, "MAX_LOST_WRITES", 3)
    ours, neighbors = _cache(private_redis), _cache(private_redis)  # two prefixes on one Redis
    ours.set("kept-before", "old", timeout=60)
    neighbors.set("theirs", "untouched", timeout=60)
    private_redis.hang()
    try:
        for n in range(5):  # more pages than it will remember
            ours.set(f"page-{n}", "new", timeout=60)
    finally:
        private_redis.resume()

    _wait_until_answering(ours)
    # Like a restart, for this prefix only.
    assert ours.get("kept-before") is None
    assert neighbors.get("theirs") == "untouched"
