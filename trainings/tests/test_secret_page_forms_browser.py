"""The forms on pages behind a secret link work in a real browser: a
Referrer-Policy of no-referrer made Chromium post them with `Origin: null`,
and Django's CSRF check refused every "I can't come"."""

import pytest

from trainings.models import Registration
from trainings.tests.factories import RegistrationFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_i_cant_come_goes_through_in_a_browser(live_server, phone_page):
    session = SessionFactory(capacity=1)
    seated = RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session, status=Registration.Status.WAITLISTED)

    phone_page.goto(f"{live_server.url}/es/trainings/r/{seated.cancel_token}/")
    phone_page.get_by_role("button", name="No puedo ir").click()
    phone_page.get_by_role("button", name="Sí, cancela mi inscripción").click()

    assert "403" not in phone_page.title()
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert seated.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.REGISTERED
