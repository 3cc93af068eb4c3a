"""Logging in as staff in tests: password and second factor both done.

Every logged-in page requires a verified second factor
(signups.staff_auth.SecondFactorRequiredMiddleware), so `client.force_login`
alone lands on the enrollment page. Use `login_with_otp(client, user)`, or the
`otp_login` fixture, which gives the same function:

    def test_trainer_sees_their_sessions(client, otp_login, trainer):
        otp_login(client, trainer)

Note: `client.login(username=..., password=...)` fails under django-axes
(it needs a request); use force_login or these helpers.
"""

import pytest


def login_with_otp(client, user):
    """Log `user` in on the test client with a confirmed authenticator device,
    and mark the session verified exactly the way signups.staff_auth does
    (django_otp.login() and the time of the proof)."""
    import time

    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from signups.staff_auth import VERIFIED_AT_SESSION_KEY

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    # Verified just now, as signups.staff_auth records it.
    session[VERIFIED_AT_SESSION_KEY] = time.time()
    session.save()
    return device


@pytest.fixture
def otp_login(db):
    return login_with_otp


def browser_share_session(context, client, live_server):
    """Give headless Chromium (a page's `context`) the session the test
    client logged in with (login_with_otp, log_in), so the browser opens
    staff pages as that user."""
    from django.conf import settings

    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
