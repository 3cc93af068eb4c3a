"""A registration's secret token never reaches the app's log, even where
Django logs a path (every 4xx)."""

import io
import logging
import runpy

import pytest
from django.conf import settings

from signups.log_redaction import redact_secret_paths
from trainings.tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def console_log():
    """What the app's console handler writes, with its filters."""
    handler = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    stream, handler.stream = handler.stream, io.StringIO()
    yield handler.stream
    handler.stream = stream


def test_a_4xx_on_a_registration_link_is_logged_without_its_token(client, console_log):
    token = RegistrationFactory().cancel_token
    assert client.get(f"/en/trainings/r/{token}/cancel/").status_code == 405
    client.get(f"/en/trainings/r/{token}x/")  # /es/ would leave Spanish active for the next test
    logged = console_log.getvalue()
    assert "/en/trainings/r/[token]/cancel/" in logged
    assert token not in logged


def test_the_app_and_gunicorn_redact_the_same_paths():
    gunicorn_redact = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))["redact_secret_paths"]
    for path in ("/en/trainings/r/abc-DEF_123/cancel/", "/es/trainings/r/abc/", "/en/join/confirm/t0k3n/",
                 "GET /en/trainings/r/abc/calendar.ics HTTP/1.1", "/en/trainings/7/", "/en/join/"):
        assert redact_secret_paths(path) == gunicorn_redact(path)
    assert redact_secret_paths("/en/trainings/r/abc/calendar.ics") == "/en/trainings/r/[token]/calendar.ics"
