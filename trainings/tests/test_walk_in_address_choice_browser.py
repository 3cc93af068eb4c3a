"""The trainer's phone offers the blocks of an unclear walk-in address, as
the plain form does, and one tap checks the person in on the block picked."""

import datetime

import pytest
from django.utils import timezone

from trainings.models import Attendance
from trainings.tests.factories import SessionFactory
from trainings.tests.test_offline_checkin_browser import _wait_for, trainer_page  # noqa: F401 - a fixture
from zones.tests.factories import BlockFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("language", "article"), [("en", "the "), ("es", "la cuadra")])
def test_a_walk_in_with_an_unclear_address_is_placed_with_one_tap(trainer_page, live_server, trainer, language, article):
    now = timezone.now()
    session = SessionFactory(
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=2), trainers=[trainer]
    )
    BlockFactory(street="N 25TH ST", hundred=1200, zone=None)
    south = BlockFactory(street="S 25TH ST", hundred=1200, zone=None)
    page = trainer_page
    page.goto(f"{live_server.url}/{language}/trainer/sessions/{session.pk}/")
    page.locator("details.walk-in summary").click()
    form = page.locator("form[data-walk-in]")
    form.locator("input[name=name]").fill("Rosa Peña")
    form.locator("input[name=phone]").fill("215-555-0166")
    form.locator("input[name=language][value=es]").check()
    form.locator("input[name=address]").fill("1233 25th st")
    form.locator("input[name=consent]").check()
    form.locator("button[type=submit]").click()

    # The label, in the page's language, is what a finger taps.
    pick = form.locator("[data-address-choices] label", has_text="S 25th St")
    pick.wait_for(state="visible")
    assert pick.inner_text().startswith(article)
    assert form.locator("input[name=address_choice][type=radio]").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert form.locator("[data-address-choices] label").first.bounding_box()["height"] >= 44
    assert Attendance.objects.count() == 0

    pick.click()
    form.locator("button[type=submit]").click()
    assert _wait_for(lambda: Attendance.objects.count() == 1, page)
    assert Attendance.objects.select_related("volunteer").get().volunteer.block == south
