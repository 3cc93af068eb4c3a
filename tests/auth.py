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
    and mark the session verified exactly the way django_otp.login() does."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def otp_login(db):
    return login_with_otp
