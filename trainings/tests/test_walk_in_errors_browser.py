"""The roster's walk-in form in a real (headless) browser: a refusal keeps
what was typed and shows the error by its field (issue #11, item 10)."""

import datetime

import pytest
from django.utils import timezone

from tests.auth import browser_share_session
from trainings.models import Attendance
from trainings.tests.factories import SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def walk_in_form(phone_page, live_server, client, trainer, log_in):
    """The open walk-in form of today's session, on a phone logged in as its
    trainer (the test client logs in, the browser gets its cookie)."""
    log_in(client, trainer)
    browser_share_session(phone_page.context, client, live_server)
    now = timezone.now()
    session = SessionFactory(
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=2), trainers=[trainer]
    )
    phone_page.goto(f"{live_server.url}/es/trainer/sessions/{session.pk}/")
    phone_page.locator("details.walk-in summary").click()
    form = phone_page.locator("form[data-walk-in]")
    form.locator("input[name=name]").fill("Rosa Peña")
    form.locator("input[name=email]").fill("rosa@example.org")
    form.locator("input[name=language][value=es]").check()
    form.locator("input[name=consent]").check()
    return form


def test_a_bad_phone_keeps_everything_typed_and_is_shown_by_the_phone(walk_in_form):
    form = walk_in_form
    form.locator("input[name=phone]").fill("555")
    form.locator("input[name=address]").fill("1123 S 9th St")
    form.locator("button[type=submit]").click()

    error = form.locator("#div_id_phone [data-walk-in-field-error]")
    error.wait_for(timeout=10000)
    assert "teléfono" in error.inner_text()
    assert form.locator("input[name=name]").input_value() == "Rosa Peña"
    assert form.locator("input[name=phone]").input_value() == "555"
    assert form.locator("input[name=address]").input_value() == "1123 S 9th St"
    assert form.locator("input[name=consent]").is_checked()
    assert form.page.locator(".roster-row", has_text="Rosa Peña").count() == 0
    assert Attendance.objects.count() == 0


def test_an_address_on_no_block_is_asked_about_then_checked_in_without_one(walk_in_form):
    form = walk_in_form
    form.locator("input[name=address]").fill("detrás de la iglesia")
    form.locator("button[type=submit]").click()

    form.locator("#div_id_address [data-walk-in-field-error]").wait_for(timeout=10000)
    assert form.locator("input[name=address]").input_value() == "detrás de la iglesia"
    assert Attendance.objects.count() == 0

    form.locator("[data-without-block-offer] input[type=checkbox]").check()
    form.locator("button[type=submit]").click()

    notice = form.page.locator("[data-walk-in-notice]")
    notice.wait_for(timeout=10000)
    assert "no se pudo ubicar en una cuadra" in notice.inner_text()
    assert "alert-warning" in notice.get_attribute("class")
    assert Attendance.objects.select_related("volunteer").get().volunteer.block is None
    assert form.locator("input[name=name]").input_value() == ""


def test_a_walk_in_queued_offline_is_not_lost_for_an_address_on_no_block(walk_in_form):
    form = walk_in_form
    page = form.page
    page.context.set_offline(True)
    form.locator("input[name=address]").fill("detrás de la iglesia")
    form.locator("button[type=submit]").click()
    page.locator("[data-sync-badge]").wait_for(state="visible", timeout=10000)
    assert form.locator("input[name=name]").input_value() == ""  # the trainer goes on

    page.context.set_offline(False)

    notice = page.locator("[data-walk-in-notice]")
    notice.wait_for(timeout=20000)
    assert "no se pudo ubicar en una cuadra" in notice.inner_text()
    assert Attendance.objects.select_related("volunteer").get().volunteer.block is None
