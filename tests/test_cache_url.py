"""CACHE_URL reaches Django whole: every gunicorn host must find the shared
counts (rate limits) under the same keys, and two sites on one Redis must
not."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "HOME": "/tmp",
    "DEBUG": "false",
    "SECRET_KEY": "k3y-" + "x7Qp9ZrT2mW8vL4nB6cY1dF5gH0jK3sA" * 2,
    "ALLOWED_HOSTS": "zone.example.org",
    "EMAIL_URL": "smtp+tls://mailer:s3cret@mail.example.org:587",
}
SHOW_CACHE = (
    "import os; os.environ['DJANGO_SETTINGS_MODULE']='resistance_zone.settings';"
    "from django.conf import settings as s; c = s.CACHES['default'];"
    "print(c['BACKEND'], c['LOCATION'], c.get('KEY_PREFIX', '-'), c.get('timeout', '-'), c['OPTIONS'])"
)


def _cache_settings(url):
    result = subprocess.run(
        [sys.executable, "-c", SHOW_CACHE], cwd=ROOT, env={**ENV, "CACHE_URL": url},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split(" ", 4)


def test_a_key_prefix_in_a_redis_url_is_kept():
    backend, location, prefix, timeout, options = _cache_settings(
        "redis://127.0.0.1:6379/2?key_prefix=zone-a&timeout=60&socket_timeout=2"
    )
    # Django's Redis cache, sharing one client per pool (pagecache/redis_cache.py),
    # that a Redis down or hung cannot break (pagecache/resilient_cache.py).
    assert backend == "pagecache.resilient_cache.ResilientRedisCache"
    assert location == "redis://127.0.0.1:6379/2"
    assert prefix == "zone-a"
    assert timeout == "60"
    # redis-py's own options stay lower case, as it wants them, and the
    # URL's win over CACHE_SOCKET_TIMEOUT.
    assert options.strip() == "{'socket_timeout': 2, 'RETRY_SECONDS': 3, 'FALLBACK': 'database'}"


def test_a_key_prefix_in_the_database_cache_url_is_kept():
    backend, location, prefix, _timeout, options = _cache_settings("dbcache://rz_cache?key_prefix=zone-b")
    assert backend == "django.core.cache.backends.db.DatabaseCache"
    assert (location, prefix) == ("rz_cache", "zone-b")
    # Room for sessions, rate-limit counts and cached pages (300 by default).
    assert "'MAX_ENTRIES': 20000" in options


def test_the_redis_cache_keeps_one_client_and_still_works():
    import uuid

    from pagecache.redis_cache import SharedClientRedisCache

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    cache = SharedClientRedisCache(url, {"KEY_PREFIX": f"rz-test-{uuid.uuid4().hex}"})
    try:
        cache.set("greeting", "hola", timeout=60)
        assert cache.get("greeting") == "hola"
        assert cache.add("greeting-count", 0)
        assert cache.incr("greeting-count") == 1  # the rate limit's counter
        # The same redis.Redis for every command: building one per command
        # cost most of a cached page's time.
        assert cache._cache.get_client() is cache._cache.get_client(write=True)
    finally:
        cache.delete_many(["greeting", "greeting-count"])
