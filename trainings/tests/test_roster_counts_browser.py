"""The counts at the top of the roster, once the page's script has redrawn
them: walk-ins checked in before the page loaded still count."""

import datetime

import pytest
from django.utils import timezone

from tests.auth import browser_share_session
from trainings.tests.factories import AttendanceFactory, RegistrationFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def trainer_page(phone_page, live_server, client, trainer, log_in):
    log_in(client, trainer)
    browser_share_session(phone_page.context, client, live_server)
    return phone_page


def test_walk_ins_checked_in_earlier_still_count_after_a_tap(trainer_page, live_server, trainer):
    now = timezone.now()
    session = SessionFactory(
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=2), trainers=[trainer]
    )
    RegistrationFactory(session=session, volunteer__name="Ana Flores")
    AttendanceFactory(session=session, volunteer__name="Beto Ruiz", walk_in=True)
    page = trainer_page
    page.goto(f"{live_server.url}/en/trainer/sessions/{session.pk}/")
    page.wait_for_load_state("networkidle")
    walk_ins = page.locator('[data-count="walk_ins"]')
    assert walk_ins.inner_text() == "1"

    page.locator(".roster-row", has_text="Ana Flores").locator("button", has_text="Check in").click()
    page.locator("[data-sync-badge]").wait_for(state="hidden")
    assert page.locator('[data-count="checked_in"]').inner_text() == "2"
    assert walk_ins.inner_text() == "1"

    # A second walk-in from the form adds to the first.
    page.locator("summary", has_text="Check in a walk-in").click()
    form = page.locator("form[data-walk-in]")
    form.locator("input[name=name]").fill("Carla Soto")
    form.locator("input[name=phone]").fill("215-555-0177")
    form.locator("input[name=address]").fill("19148")
    form.locator("input[name=consent]").check()
    form.locator("button[type=submit]").click()
    page.locator(".roster-row", has_text="Carla Soto").wait_for()
    assert walk_ins.inner_text() == "2"
    assert page.locator('[data-count="checked_in"]').inner_text() == "3"
