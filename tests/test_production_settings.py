"""Production settings: check --deploy is clean, headers are strict, the
health check and error pages give nothing away."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.urls import path

from resistance_zone import settings as project_settings

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "HOME": "/tmp",
    "DEBUG": "false",
    "SECRET_KEY": "k3y-" + "x7Qp9ZrT2mW8vL4nB6cY1dF5gH0jK3sA" * 2,
    "ALLOWED_HOSTS": "zone.example.org",
    "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:////tmp/rz-check.sqlite3"),
    "CACHE_URL": "dbcache://rz_cache",
    # Production sends real email; check --deploy refuses the console default.
    "EMAIL_URL": "smtp+tls://mailer:s3cret@mail.example.org:587",
    # And real texts; check --deploy warns without a provider (messaging.checks).
    "SMS_URL": "twilio://AC0123:s3cret@MG0123",
}


def _run(code_or_args, env):
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_nothing_with_production_values():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_its_host_names():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ALLOWED_HOSTS"}
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "Set ALLOWED_HOSTS" in result.stderr


def test_production_refuses_to_start_without_a_mail_server():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_URL"}
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "Set EMAIL_URL" in result.stderr


def test_the_admin_url_is_configurable():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='resistance_zone.settings';"
        "django.setup(); from django.urls import reverse; print(reverse('admin:index'))"
    )
    result = _run(code, {**PRODUCTION_ENV, "ADMIN_URL": "back-office-7f3a/"})
    assert result.stdout.strip() == "/back-office-7f3a/", result.stderr


def test_email_url_becomes_the_default_mailer_with_a_timeout():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='resistance_zone.settings';"
        "django.setup(); from django.core import mail; m = mail.mailers.default;"
        "print(type(m).__module__, m.host, m.port, m.username, m.use_tls, m.timeout)"
    )
    env = {**PRODUCTION_ENV, "EMAIL_URL": "smtp+tls://mailer:s3cret@mail.example.org:587"}
    result = _run(code, env)
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp", "mail.example.org", "587", "mailer", "True", "20"
    ], result.stderr


def test_a_malformed_admin_url_stops_the_start():
    result = _run(["manage.py", "check"], {**PRODUCTION_ENV, "ADMIN_URL": "/admin"})
    assert result.returncode != 0 and "ADMIN_URL" in result.stderr


def test_production_defaults_are_secure():
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='resistance_zone.settings';"
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.SESSION_COOKIE_HTTPONLY, s.X_FRAME_OPTIONS,"
        " s.SECURE_REFERRER_POLICY, s.SESSION_COOKIE_AGE, s.SESSION_EXPIRE_AT_BROWSER_CLOSE)"
    )
    result = _run(code, PRODUCTION_ENV)
    assert result.stdout.split() == [
        "False", "True", "True", "True", "True", "True", "DENY", "same-origin", "28800", "True"
    ], result.stderr


@pytest.mark.django_db
def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get("/en/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_tile_server_the_organization_chose_is_the_only_outside_image_source():
    assert project_settings._tile_source("") == []
    assert project_settings._tile_source("https://{s}.tiles.example.org/{z}/{x}/{y}.png") == [
        "https://*.tiles.example.org"
    ]
    assert project_settings._tile_source("https://tiles.example.org/{z}/{x}/{y}.png") == [
        "https://tiles.example.org"
    ]
    assert project_settings._tile_source("javascript:alert(1)") == []


def test_the_tile_host_reaches_the_policy():
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='resistance_zone.settings';"
        "from django.conf import settings as s; print(' '.join(s.SECURE_CSP['img-src']))"
    )
    result = _run(code, {**PRODUCTION_ENV, "MAP_TILE_URL": "https://tiles.example.org/{z}/{x}/{y}.png"})
    assert result.stdout.split() == ["'self'", "data:", "https://tiles.example.org"], result.stderr


@pytest.mark.django_db
def test_healthz_says_not_ok_and_nothing_else_when_the_database_is_down(client, monkeypatch):
    from zones import views

    def broken_cursor():
        raise OperationalError("could not connect to server: secret-db-host.internal")

    monkeypatch.setattr(views.connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"not ok"


def _boom(request):
    raise RuntimeError("Ana Peña +12155550123 ana@example.org")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.django_db
def test_the_500_page_shows_no_personal_data_and_speaks_both_languages(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/boom/?name=Ana+Pe%C3%B1a")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html and "Algo salió mal" in html
    for secret in ("Ana", "Peña", "2155550123", "ana@example.org", "boom"):
        assert secret not in html


@pytest.mark.django_db
def test_the_404_page_does_not_echo_the_address(client):
    response = client.get("/es/nadie/ana@example.org/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and "Página no encontrada" in html
    assert "ana@example.org" not in html


@pytest.mark.django_db
def test_the_csrf_failure_page_is_ours(settings):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/en/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Vuelve, recarga la página" in response.content.decode()
