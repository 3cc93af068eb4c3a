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
    assert backend == "django.core.cache.backends.redis.RedisCache"
    assert location == "redis://127.0.0.1:6379/2"
    assert prefix == "zone-a"
    assert timeout == "60"
    # redis-py's own options stay lower case, as it wants them.
    assert options.strip() == "{'socket_timeout': 2}"


def test_a_key_prefix_in_the_database_cache_url_is_kept():
    backend, location, prefix, _timeout, _options = _cache_settings("dbcache://rz_cache?key_prefix=zone-b")
    assert backend == "django.core.cache.backends.db.DatabaseCache"
    assert (location, prefix) == ("rz_cache", "zone-b")
