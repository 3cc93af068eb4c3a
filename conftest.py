"""Fixtures every app's tests share."""

import pytest


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The hashed manifest exists only after collectstatic; tests render
    # templates without running it.
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


pytest_plugins = ["tests.browser", "tests.auth", "messaging.tests.fixtures"]
