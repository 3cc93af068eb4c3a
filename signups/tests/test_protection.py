"""Rate limit and bot traps for the public forms (signups.protection)."""

import logging
import time

import pytest
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.utils import translation

from signups.protection import (
    HONEYPOT_FIELD,
    STARTED_FIELD,
    ScrubPersonalData,
    form_started_token,
    guard_public_form,
    looks_like_a_bot,
)
from signups.rate_limits import client_ip

pytestmark = pytest.mark.django_db
calls = []


@guard_public_form("test-form")
def _view(request):
    calls.append(request)
    return HttpResponse("stored")


def _human_post(ip="203.0.113.7"):
    data = {HONEYPOT_FIELD: "", STARTED_FIELD: form_started_token(time.time() - 30), "name": "x"}
    request = RequestFactory().post("/en/join/", data, REMOTE_ADDR=ip)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return request


@pytest.fixture(autouse=True)
def _reset_calls():
    calls.clear()
    with translation.override("en"):
        yield


def test_a_person_gets_through():
    assert _view(_human_post()).content == b"stored"


def test_the_honeypot_refuses_the_post_and_the_view_never_runs():
    request = _human_post()
    request.POST = request.POST.copy()
    request.POST[HONEYPOT_FIELD] = "http://spam.example"
    response = _view(request)
    response.render()
    assert response.status_code == 400
    assert "Your form could not be sent" in response.content.decode()
    assert "No pudimos enviar tu formulario" in response.content.decode()
    assert calls == []


def test_a_form_sent_too_fast_is_refused():
    data = {HONEYPOT_FIELD: "", STARTED_FIELD: form_started_token()}
    assert looks_like_a_bot(data)
    assert not looks_like_a_bot(data, now=time.time() + 5)


def test_a_forged_or_missing_start_time_is_refused():
    assert looks_like_a_bot({HONEYPOT_FIELD: "", STARTED_FIELD: "1700000000"})
    assert looks_like_a_bot({HONEYPOT_FIELD: ""})


@override_settings(RATE_LIMIT_POSTS=3)
def test_too_many_posts_from_one_address_get_429_and_write_nothing():
    for _ in range(3):
        assert _view(_human_post()).status_code == 200
    response = _view(_human_post())
    response.render()
    assert response.status_code == 429
    assert response["Retry-After"]
    assert "Demasiados intentos" in response.content.decode()
    assert len(calls) == 3
    # Another address has its own budget.
    assert _view(_human_post(ip="198.51.100.1")).status_code == 200


@pytest.mark.parametrize("backend,location", [
    ("django.core.cache.backends.db.DatabaseCache", "rz_test_rate_cache"),
    ("django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/15"),
])
def test_the_count_is_kept_in_the_shared_cache(backend, location, settings):
    from django.core.cache import caches
    from django.core.management import call_command

    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": location}}
    settings.RATE_LIMIT_POSTS = 2
    if "db" in backend:
        call_command("createcachetable", verbosity=0)
    caches["default"].clear()
    try:
        codes = [_view(_human_post(ip="192.0.2.44")).status_code for _ in range(3)]
    finally:
        caches["default"].clear()
    assert codes == [200, 200, 429]


def test_the_cache_never_holds_the_address():
    from django.core.cache import cache

    _view(_human_post(ip="192.0.2.99"))
    keys = list(getattr(cache, "_cache", {}).keys())
    assert keys and not any("192.0.2.99" in key for key in keys)


def test_a_get_is_never_counted_or_trapped():
    request = RequestFactory().get("/en/join/")
    assert _view(request).status_code == 200


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_is_the_one_the_proxy_saw():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.8"
    )
    assert client_ip(request) == "203.0.113.8"


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "10.0.0.1"


def test_the_template_tag_renders_the_traps():
    html = Template("{% load protection %}{% bot_trap %}").render(Context())
    assert f'name="{HONEYPOT_FIELD}"' in html and f'name="{STARTED_FIELD}"' in html
    assert "style=" not in html


def test_the_log_filter_blanks_emails_and_phones():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "saved %s / %s", ("ana@example.org", "+1 (215) 555-0123"), None
    )
    ScrubPersonalData().filter(record)
    message = record.getMessage()
    assert "ana@example.org" not in message and "555-0123" not in message
    assert message == "saved [email] / [phone]"


def test_the_log_filter_keeps_dates_and_times_readable():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "older than %s, call %s", ("2026-11-26 18:06:23.512+00:00", "215.555.0123"), None
    )
    ScrubPersonalData().filter(record)
    assert record.getMessage() == "older than 2026-11-26 18:06:23.512+00:00, call [phone]"


def test_a_form_filled_in_a_blink_is_shown_back_to_send_again_and_nothing_is_lost(client):
    # Autofill can send a form faster than the bot trap's minimum: the person
    # gets their answers back in hidden fields and one button, not a dead end.
    import re

    from signups.models import Volunteer
    from signups.tests.helpers import join_data

    data = join_data(name="Lucía Ramírez", phone="215-555-0177")
    data[STARTED_FIELD] = form_started_token()  # shown this very second
    response = client.post("/es/join/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert Volunteer.objects.count() == 0
    assert "Un toque más para enviar" in page
    resend = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    assert resend["name"] == "Lucía Ramírez"
    assert page.count('name="ways_to_help"') == 2  # both choices kept

    replay = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        if name != "csrfmiddlewaretoken":
            replay.setdefault(name, []).append(value.replace("&amp;", "&").replace("&#x27;", "'").replace("&quot;", '"'))
    with override_settings(FORM_MIN_FILL_SECONDS=0):
        response = client.post("/es/join/", replay)
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.name == "Lucía Ramírez"
    assert volunteer.ways_to_help == ["get_trained", "knock_doors"]
