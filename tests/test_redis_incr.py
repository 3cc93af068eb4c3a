"""The shared Redis cache's incr() is one round trip (pagecache.redis_cache)
and keeps Django's meaning: a missing key raises, it never starts at 1 (a
generation counter lost from Redis must start again from the clock)."""

import os
import uuid

import pytest
import redis

from pagecache.redis_cache import SharedClientRedisCache
from tests.redis_commands import commands_sent

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis does not answer at {REDIS_URL}: {error}")
    cache = SharedClientRedisCache(REDIS_URL, {"KEY_PREFIX": f"rz-test-{uuid.uuid4().hex}"})
    yield cache
    cache.delete_many(["counter", "missing"])


def test_incr_counts_up_in_one_command(redis_cache):
    redis_cache.set("counter", 40)
    # The first call may load the script into Redis.
    assert redis_cache.incr("counter") == 41
    with commands_sent(redis_cache) as commands:
        assert redis_cache.incr("counter") == 42
        assert redis_cache.incr("counter", 8) == 50
    assert len(commands) == 2
    assert redis_cache.get("counter") == 50


def test_incr_of_a_missing_key_raises_and_creates_nothing(redis_cache):
    with pytest.raises(ValueError):
        redis_cache.incr("missing")
    assert redis_cache.get("missing") is None
