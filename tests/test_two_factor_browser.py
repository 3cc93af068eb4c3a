"""In a real browser, under the real CSP: an organizer logs in, enrolls an
authenticator from the QR page, sees the backup codes once, and reaches the
admin of their zone."""

from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.oath import TOTP

from signups.tests.factories import VolunteerFactory
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long demo password 4821"


def test_first_login_enrolls_the_second_factor_then_reaches_the_admin(desktop_page, live_server):
    zone = ZoneFactory(slug="pilot")
    VolunteerFactory(name="Perla Zona", block=BlockFactory(zone=zone))
    VolunteerFactory(name="Otro Lado", block=BlockFactory(zone=ZoneFactory(slug="elsewhere")))
    user = get_user_model().objects.create_user("organizer", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Organizer"))
    zone.organizers.add(user)
    page = desktop_page
    requested, violations = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)

    page.goto(f"{live_server.url}/admin/signups/volunteer/")
    page.fill("input[name=username]", "organizer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/en/login/enroll/**")
    assert page.locator(".otp-qr svg").is_visible()

    secret = page.locator(".otp-secret").inner_text().replace(" ", "")
    totp = TOTP(b32decode(secret))
    page.fill("input[name=token]", f"{totp.token():06d}")
    page.click("button[type=submit]")
    # all_inner_texts() reads the page as it is now; wait for the codes page
    # to arrive first, or a slow machine reads the enrollment page.
    page.locator(".otp-backup-codes code").first.wait_for()
    codes = page.locator(".otp-backup-codes code").all_inner_texts()
    assert len(codes) == 10

    page.click("text=I have saved them, continue")
    page.wait_for_url("**/admin/signups/volunteer/")
    html = page.content()
    assert "Perla Zona" in html and "Otro Lado" not in html
    assert [url for url in requested if not url.startswith(live_server.url)] == []
    assert violations == []
