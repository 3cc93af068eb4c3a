"""A write that moves several page generations (a check-in moves the
roster's and the rosters' list) bumps them all in one round trip to Redis
(pagecache.pages._BUMP), with the meaning of the bump one by one: a counter
there counts up by one, a counter missing starts from the clock, never at a
number it may have had before."""

import os
import time
import uuid

import pytest
from django.core.cache import caches

from pagecache.pages import generation_bump, generations
from tests.redis_commands import commands_sent, forget_prefix

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_pages(settings):
    prefix = f"rz-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {"BACKEND": "pagecache.resilient_cache.ResilientRedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix},
    }
    yield caches["default"]
    forget_prefix(REDIS_URL, prefix)


def test_several_generations_move_in_one_round_trip(redis_pages):
    before = generations("rosters", "roster-7")
    generation_bump("rosters")  # the script is loaded

    with commands_sent(redis_pages) as sent:
        generation_bump("rosters", "roster-7", "coverage")

    after = generations("rosters", "roster-7")
    assert sent == ["EVALSHA"]
    assert after["rosters"] == before["rosters"] + 2
    assert after["roster-7"] == before["roster-7"] + 1


def test_a_counter_lost_from_redis_starts_again_from_the_clock(redis_pages):
    redis_pages.delete("rz:generation:coverage")
    started = time.time_ns() // 1000

    generation_bump("coverage")

    assert generations("coverage")["coverage"] >= started
    client = redis_pages._cache.get_client()
    assert client.ttl(redis_pages.make_key("rz:generation:coverage")) == -1  # kept without expiry
