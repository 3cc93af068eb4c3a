"""Second factor for everyone who logs in."""

import pytest
from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.auth import login_with_otp

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff(db):
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        "organizer", "organizer@example.org", PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Organizer"))
    return user


def _code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _password_login(client, username="organizer", password=PASSWORD):
    return client.post("/en/login/", {"username": username, "password": password})


def test_password_alone_does_not_reach_the_admin(client, staff):
    _password_login(client)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/login/enroll/")


def test_a_user_without_a_device_is_sent_to_enroll_before_anything_else(client, staff):
    _password_login(client)
    for path in ["/admin/signups/volunteer/", "/en/", "/es/join/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/login/enroll/?next=" in response["Location"], path


def test_a_user_with_a_device_is_sent_to_enter_a_code(client, staff):
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    _password_login(client)
    response = client.get("/admin/")
    assert response["Location"] == "/en/login/verify/?next=%2Fadmin%2F"


def test_enrollment_shows_an_inline_qr_code_and_no_outside_service(client, staff):
    _password_login(client)
    response = client.get("/en/login/enroll/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and 'class="segno"' in html
    assert "otpauth" not in html.split("<svg", 1)[0]  # the secret is in the QR, not a URL
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


def test_enrollment_reuses_the_pending_device_when_the_page_is_reloaded(client, staff):
    _password_login(client)
    client.get("/en/login/enroll/")
    client.get("/en/login/enroll/")
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_enrolling_with_a_good_code_verifies_the_session_and_shows_backup_codes_once(client, staff):
    _password_login(client)
    client.get("/en/login/enroll/")
    device = TOTPDevice.objects.get(user=staff)
    response = client.post("/en/login/enroll/", {"token": _code(device), "next": "/admin/"})
    assert response.status_code == 200
    codes = list(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert len(codes) == 10
    html = response.content.decode()
    assert all(code in html for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/admin/").status_code == 200
    # Shown once: the enrollment page now only points at the code form.
    again = client.get("/en/login/enroll/")
    assert again.status_code == 302


def test_enrolling_with_a_wrong_code_says_so_in_the_pages_language(client, staff):
    _password_login(client)
    client.get("/es/login/enroll/")
    response = client.post("/es/login/enroll/", {"token": "000000"})
    assert response.status_code == 200
    assert "El código no coincide" in response.content.decode()
    assert not TOTPDevice.objects.get(user=staff).confirmed
    assert client.get("/admin/").status_code == 302


def test_a_good_code_verifies_the_session(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    _password_login(client)
    response = client.post("/en/login/verify/", {"token": _code(device), "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_backup_code_works_once(client, staff):
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    backup = staff.staticdevice_set.create(name="backup", confirmed=True)
    backup.token_set.create(token="abcd1234")
    _password_login(client)
    response = client.post("/en/login/verify/", {"token": "ABCD 1234"})
    assert response.status_code == 302
    assert not backup.token_set.exists()


def test_a_wrong_code_is_refused(client, staff):
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    _password_login(client)
    response = client.post("/en/login/verify/", {"token": "123456"})
    assert response.status_code == 200
    assert "That code did not work" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_verify_page_never_redirects_to_another_host(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    _password_login(client)
    response = client.post(
        "/en/login/verify/", {"token": _code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_admin_login_page_is_the_sites_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/login/")


def test_logged_out_admin_redirects_to_the_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_test_helper_gives_a_verified_staff_session(client, staff):
    login_with_otp(client, staff)
    assert client.get("/admin/").status_code == 200


def test_trainers_need_the_second_factor_too(client):
    trainer = get_user_model().objects.create_user("trainer", password=PASSWORD)
    _password_login(client, "trainer")
    response = client.get("/en/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/login/enroll/")


def test_staff_sessions_end_after_eight_hours_and_with_the_browser(client, staff, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    response = _password_login(client)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie


def test_a_staff_account_without_any_admin_permission_gets_no_admin(client):
    trainer = get_user_model().objects.create_user("trainer2", password=PASSWORD, is_staff=True)
    login_with_otp(client, trainer)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert client.get("/admin/signups/volunteer/").status_code == 302


def test_past_the_second_factor_check_a_request_has_the_verified_user_itself(client, staff):
    # Not django-otp's lazy wrapper around Django's: every attribute read
    # through the two went through four proxy calls.
    from django.utils.functional import LazyObject

    login_with_otp(client, staff)

    request = client.get("/en/trainer/").wsgi_request

    assert not isinstance(request.user, LazyObject)
    assert request.user.pk == staff.pk and request.user.is_verified()
    assert not isinstance(client.get("/en/").wsgi_request.user, LazyObject)
