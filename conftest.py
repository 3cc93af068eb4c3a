"""Fixtures every app's tests share."""

import os

import pytest

# `make test` runs the tests in parallel processes (pytest-xdist), each with
# its own test database (pytest-django names them) and, for the tests that
# share Redis between gunicorn instances, its own Redis database: two
# processes' counters and pages must not meet. Database 14 is the
# benchmarks'.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist_worker.startswith("gw") and "TEST_REDIS_URL" not in os.environ:
    _number = int(_xdist_worker[2:] or 0)
    os.environ["TEST_REDIS_URL"] = f"redis://127.0.0.1:6379/{15 if _number == 0 else 14 - _number}"


@pytest.fixture(scope="session")
def _static_root_of_this_process(tmp_path_factory):
    return tmp_path_factory.mktemp("static-root")


@pytest.fixture(autouse=True)
def _plain_static_storage(settings, _static_root_of_this_process):
    # The hashed manifest exists only after collectstatic; tests render
    # templates without running it. Whitenoise lists STATIC_ROOT whenever a
    # test client starts: not the project's staticfiles/, which the
    # gunicorn tests of another process may be collecting at that moment.
    settings.STATIC_ROOT = _static_root_of_this_process
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters must not leak from one test into the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A test that activates Spanish (a view run outside the middleware, a
    # message rendered for a person) must not leave it active for the next
    # test in the same process: that one would read Spanish where it
    # expects the default.
    from django.utils import translation

    yield
    translation.deactivate()


pytest_plugins = ["tests.browser", "tests.auth", "messaging.tests.fixtures"]
