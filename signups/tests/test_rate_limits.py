"""Rate limits a real sign-up table survives (signups.protection): fixed
windows on every cache backend, a larger budget for accepted posts, a
budget per contact, and a 429 that says how long to wait. The budgets are
also held on Redis's one-script counting and on locmem side by side in
test_rate_limit_script.py."""

import re
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.management import call_command
from django.http import HttpResponse, HttpResponseRedirect
from django.test import RequestFactory
from django.utils import timezone, translation

from signups.protection import HONEYPOT_FIELD, STARTED_FIELD, form_started_token, guard_public_form

pytestmark = pytest.mark.django_db


@guard_public_form("rate-test")
def _accepting_view(request):
    return HttpResponseRedirect("/en/join/thanks/")


@guard_public_form("rate-test")
def _refusing_view(request):
    return HttpResponse("errors shown again")


def _post(ip="203.0.113.7", **fields):
    data = {HONEYPOT_FIELD: "", STARTED_FIELD: form_started_token(time.time() - 30), "name": "x", **fields}
    request = RequestFactory().post("/en/join/", data, REMOTE_ADDR=ip)
    request.user = AnonymousUser()
    return request


class Clock:
    """time.time and timezone.now, moved by hand: the database cache
    reads both to decide what has expired."""

    def __init__(self, monkeypatch, start=1_800_000_000.0):
        self.start = self.now = start
        real_now = timezone.now
        monkeypatch.setattr(time, "time", lambda: self.now)
        monkeypatch.setattr(
            timezone, "now", lambda: real_now().fromtimestamp(self.now, tz=timezone.UTC)
        )


@pytest.fixture
def database_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "rz_test_rate_cache"}
    }
    call_command("createcachetable", verbosity=0)
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_the_database_cache_window_does_not_restart_when_a_post_is_counted(database_cache, settings, monkeypatch):
    settings.RATE_LIMIT_POSTS = 30
    settings.RATE_LIMIT_WINDOW = 600
    clock = Clock(monkeypatch)
    opened = clock.now
    for n in range(30):
        clock.now = opened + n * 53 / 29  # the thirtieth post at 53 s
        assert _refusing_view(_post()).status_code == 200
    clock.now = opened + 5 * 60 + 53
    assert _refusing_view(_post()).status_code == 429
    clock.now = opened + 600
    assert _refusing_view(_post()).status_code == 200


def test_the_429_gives_the_seconds_left_in_the_window_on_the_database_cache(database_cache, settings, monkeypatch):
    settings.RATE_LIMIT_POSTS = 1
    settings.RATE_LIMIT_WINDOW = 600
    clock = Clock(monkeypatch)
    _refusing_view(_post())
    clock.now += 180
    response = _refusing_view(_post())
    assert response.status_code == 429
    assert response["Retry-After"] == "420"


def test_one_phone_is_limited_whatever_the_address_and_however_it_is_typed(settings):
    settings.RATE_LIMIT_CONTACT_POSTS = 2
    assert _accepting_view(_post(ip="192.0.2.1", phone="215-555-0123")).status_code == 302
    assert _accepting_view(_post(ip="192.0.2.2", phone="(215) 555 0123")).status_code == 302
    assert _accepting_view(_post(ip="192.0.2.3", phone="+1 215 555 0123")).status_code == 429
    assert _accepting_view(_post(ip="192.0.2.3", phone="215-555-0124")).status_code == 302


def test_one_email_is_limited_whatever_its_case(settings):
    settings.RATE_LIMIT_CONTACT_POSTS = 1
    assert _accepting_view(_post(ip="192.0.2.1", email="Ana@Example.org")).status_code == 302
    assert _accepting_view(_post(ip="192.0.2.2", email="ana@example.org ")).status_code == 429


def test_the_cache_never_holds_a_contact_in_clear(settings):
    from django.core.cache import cache

    _accepting_view(_post(phone="215-555-0123", email="ana@example.org"))
    keys = " ".join(getattr(cache, "_cache", {}).keys())
    assert "contact" in keys
    assert "2155550123" not in keys and "ana@example.org" not in keys


def test_a_429_says_how_long_to_wait_in_the_page_language_first(client, settings):
    from signups.tests.helpers import join_data

    settings.RATE_LIMIT_POSTS = 1
    client.post("/es/join/", join_data(phone="not a phone"))
    response = client.post("/es/join/", join_data(phone="not a phone"))
    page = response.content.decode()
    assert response.status_code == 429
    assert 590 <= int(response["Retry-After"]) <= 600
    assert "Inténtalo de nuevo en 10 minutos." in page
    assert "Try again in 10 minutes." in page
    assert page.index("Demasiados intentos") < page.index("Too many tries")


def test_the_wait_is_said_in_the_singular_for_the_last_minute(settings, monkeypatch):
    settings.RATE_LIMIT_POSTS = 1
    clock = Clock(monkeypatch)
    _refusing_view(_post())
    clock.now += 590
    response = _refusing_view(_post())
    response.render()
    assert response["Retry-After"] == "10"
    assert re.search(r"Try again in 1 minute\.", response.content.decode())
