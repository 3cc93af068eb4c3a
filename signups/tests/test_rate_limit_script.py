"""On Redis, a post's rate limits are counted by one script in one round
trip (signups.rate_limits._COUNT_POST) instead of a call per window: the
answers must be the ones the window-by-window counting gives on any other
cache, the windows as fixed, and a Redis away must leave the limits
counting in the fallback cache."""

import os
import time
import uuid

import pytest
from django.core.cache import caches

from signups.tests.test_rate_limits import Clock, _accepting_view, _post, _refusing_view
from tests.redis_commands import commands_sent, forget_prefix

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rz-rate-script-spare"}


@pytest.fixture
def redis_default(settings):
    """The shared cache as production has it: Redis, with a fallback."""
    prefix = f"rz-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "pagecache.resilient_cache.ResilientRedisCache", "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix, "OPTIONS": {"FALLBACK": "spare"},
        },
        "spare": LOCMEM,
    }
    yield caches["default"]
    forget_prefix(REDIS_URL, prefix)


@pytest.fixture
def locmem_default(settings):
    settings.CACHES = {"default": {**LOCMEM, "LOCATION": f"rz-rate-{uuid.uuid4().hex}"}}
    return caches["default"]


@pytest.fixture(params=["redis_default", "locmem_default"])
def any_cache(request):
    return request.getfixturevalue(request.param)


def test_accepted_posts_from_one_address_have_a_larger_budget(any_cache, settings):
    settings.RATE_LIMIT_POSTS = 3
    settings.RATE_LIMIT_SUCCESSFUL_POSTS = 10

    codes = [_accepting_view(_post(phone=f"215-555-01{n:02d}")).status_code for n in range(12)]

    assert codes == [302] * 10 + [429] * 2


def test_posts_not_accepted_keep_the_smaller_budget_after_accepted_ones(any_cache, settings):
    settings.RATE_LIMIT_POSTS = 3
    settings.RATE_LIMIT_SUCCESSFUL_POSTS = 10
    for _ in range(5):
        _accepting_view(_post())

    codes = [_refusing_view(_post()).status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]


def test_one_phone_is_limited_from_every_address(any_cache, settings):
    settings.RATE_LIMIT_CONTACT_POSTS = 2

    codes = [_accepting_view(_post(ip=f"192.0.2.{n}", phone="215-555-0123")).status_code for n in range(1, 4)]

    assert codes == [302, 302, 429]
    assert _accepting_view(_post(ip="192.0.2.9", phone="215-555-0124")).status_code == 302


def test_the_window_is_fixed_from_the_first_post(redis_default, settings, monkeypatch):
    settings.RATE_LIMIT_POSTS = 2
    settings.RATE_LIMIT_WINDOW = 600
    clock = Clock(monkeypatch, start=time.time())
    codes = []
    for seconds_in in (0, 299, 598, 600):
        clock.now = clock.start + seconds_in
        codes.append(_refusing_view(_post(ip="198.51.100.3")).status_code)

    # The posts at 299 s did not push the end on; at 600 s a new window opens.
    assert codes == [200, 200, 429, 200]


def test_a_429_from_the_script_says_how_long_is_left(redis_default, settings, monkeypatch):
    settings.RATE_LIMIT_POSTS = 1
    settings.RATE_LIMIT_WINDOW = 600
    clock = Clock(monkeypatch, start=time.time())
    _refusing_view(_post(ip="198.51.100.4"))
    clock.now += 180

    response = _refusing_view(_post(ip="198.51.100.4"))

    assert response.status_code == 429
    assert response["Retry-After"] == "420"


def test_a_post_is_counted_in_one_round_trip_and_an_accepted_one_in_one_more(redis_default):
    _accepting_view(_post(ip="198.51.100.5", phone="215-555-0199"))  # loads the scripts
    with commands_sent(redis_default) as commands:
        _accepting_view(_post(ip="198.51.100.5", phone="215-555-0198", email="ana@example.org"))

    assert commands == ["EVALSHA", "EVALSHA"]


def test_with_redis_away_the_limits_keep_counting_in_the_fallback(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "pagecache.resilient_cache.ResilientRedisCache",
            # Nothing listens on the discard port: every call is refused.
            "LOCATION": "redis://127.0.0.1:9/0", "KEY_PREFIX": f"rz-test-{uuid.uuid4().hex}",
            "OPTIONS": {"FALLBACK": "spare"},
        },
        "spare": {**LOCMEM, "LOCATION": f"rz-rate-{uuid.uuid4().hex}"},
    }
    settings.RATE_LIMIT_POSTS = 2

    codes = [_refusing_view(_post(ip="198.51.100.6")).status_code for _ in range(3)]

    assert codes == [200, 200, 429]
    assert any(key.startswith(":1:rz:rate:") for key in caches["spare"]._cache)
