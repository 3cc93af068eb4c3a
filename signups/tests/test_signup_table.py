"""Sign-up table mode (signups.signup_table): a staff member's pass lets a
shared tablet sign up many neighbors from one address, bot traps and the
per-contact budget still in force."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from signups.models import Volunteer
from signups.protection import HONEYPOT_FIELD
from signups.signup_table import TABLE_COOKIE, table_pass_issue
from signups.tests.helpers import join_data
from trainings.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer():
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Trainer"))
    return user


def _tablet(client, user):
    client.get(reverse("signups:signup_table_open", args=[table_pass_issue(user=user)]))
    return client


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/en/signup-table/")
    assert response.status_code == 302
    assert response.url.startswith("/en/login/")


def test_a_staff_account_without_a_role_is_refused(client, otp_login):
    otp_login(client, UserFactory())
    assert client.get("/en/signup-table/").status_code == 403


def test_a_trainer_gets_a_link_and_a_qr_code_in_their_language(client, otp_login, trainer):
    otp_login(client, trainer)
    response = client.get("/es/signup-table/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mesa de inscripción" in page
    assert "<svg" in page and "/es/signup-table/" in page
    assert "<script" not in page and "style=" not in page


def test_opening_the_link_keeps_the_pass_on_the_tablet_and_opens_the_form(client, trainer):
    response = client.get(reverse("signups:signup_table_open", args=[table_pass_issue(user=trainer)]))
    assert response.status_code == 302 and response.url == reverse("signups:join")
    assert response.cookies[TABLE_COOKIE]["httponly"]


def test_a_forged_pass_opens_nothing(client):
    response = client.get(reverse("signups:signup_table_open", args=["forged"]))
    assert response.status_code == 404
    assert TABLE_COOKIE not in response.cookies


def test_the_tablet_is_not_limited_by_its_address(client, settings, trainer):
    settings.RATE_LIMIT_POSTS = 1
    settings.RATE_LIMIT_SUCCESSFUL_POSTS = 2
    _tablet(client, trainer)
    for n in range(4):
        response = client.post("/en/join/", join_data(phone=f"215-555-01{n:02d}", name=f"Neighbor {n}"))
        assert response.status_code == 302
    assert Volunteer.objects.count() == 4


def test_the_tablet_keeps_the_bot_traps(client, trainer):
    _tablet(client, trainer)
    response = client.post("/en/join/", join_data(**{HONEYPOT_FIELD: "spam"}))
    assert response.status_code == 400
    assert not Volunteer.objects.exists()


def test_the_tablet_keeps_the_per_contact_budget(client, settings, trainer):
    settings.RATE_LIMIT_CONTACT_POSTS = 2
    _tablet(client, trainer)
    codes = [client.post("/en/join/", join_data(phone="215-555-0123")).status_code for _ in range(3)]
    assert codes == [302, 302, 429]


def test_a_pass_older_than_a_day_is_ignored(client, settings, trainer, monkeypatch):
    import time

    settings.RATE_LIMIT_POSTS = 1
    settings.RATE_LIMIT_SUCCESSFUL_POSTS = 1
    _tablet(client, trainer)
    later = time.time() + 60 * 60 * 24 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    client.post("/en/join/", join_data(phone="215-555-0101"))
    assert client.post("/en/join/", join_data(phone="215-555-0102")).status_code == 429


def test_a_deactivated_trainer_s_pass_stops_working(client, settings, trainer):
    settings.RATE_LIMIT_POSTS = 1
    settings.RATE_LIMIT_SUCCESSFUL_POSTS = 1
    _tablet(client, trainer)
    trainer.is_active = False
    trainer.save(update_fields=["is_active"])
    client.post("/en/join/", join_data(phone="215-555-0101"))
    assert client.post("/en/join/", join_data(phone="215-555-0102")).status_code == 429



def test_handing_out_a_pass_is_in_the_audit_log(client, otp_login, trainer):
    from signups.audit import AuditEntry

    otp_login(client, trainer)
    client.get(reverse("signups:signup_table"))
    entry = AuditEntry.objects.get(model="signups.signuptablepass")
    assert entry.actor == trainer
    assert entry.action == AuditEntry.Action.CREATE
