"""django-axes: repeated failed logins lock the account and the address."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("organizer", password=PASSWORD, is_staff=True)


def _fail(client, username="organizer", ip="203.0.113.5", lang="en"):
    return client.post(
        f"/{lang}/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=ip
    )


def test_five_failures_lock_the_account_even_with_the_right_password(client, staff, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, ip=f"203.0.113.{i}")  # from several addresses
    response = client.post(
        "/en/login/", {"username": "organizer", "password": PASSWORD}, REMOTE_ADDR="198.51.100.9"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_address_for_every_username(client, staff, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, username=f"guess{i}")
    response = client.post(
        "/en/login/", {"username": "organizer", "password": PASSWORD}, REMOTE_ADDR="203.0.113.5"
    )
    assert response.status_code == 429


def test_the_lockout_page_speaks_both_languages(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _fail(client, lang="es")
    html = response.content.decode()
    assert response.status_code == 429
    assert "Too many failed logins" in html
    assert "Demasiados intentos fallidos" in html


def test_failures_are_kept_in_the_database_shared_by_every_worker(client, staff):
    _fail(client)
    assert AccessAttempt.objects.filter(username="organizer", failures_since_start=1).exists()


def test_a_good_login_clears_the_failures(client, staff):
    _fail(client)
    client.post("/en/login/", {"username": "organizer", "password": PASSWORD}, REMOTE_ADDR="203.0.113.5")
    assert not AccessAttempt.objects.exists()
