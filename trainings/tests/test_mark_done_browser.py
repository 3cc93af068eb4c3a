"""Marking a session done from the roster asks first: the button sits right
under the walk-in form, and a trainer cannot undo it."""

import datetime

import pytest
from django.utils import timezone

from tests.auth import browser_share_session
from trainings.models import Session
from trainings.tests.factories import RegistrationFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roster(phone_page, live_server, client, trainer, log_in):
    now = timezone.now()
    session = SessionFactory(
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=2), trainers=[trainer]
    )
    RegistrationFactory(session=session, volunteer__name="Ana Flores")
    log_in(client, trainer)
    browser_share_session(phone_page.context, client, live_server)
    phone_page.goto(f"{live_server.url}/es/trainer/sessions/{session.pk}/")
    return phone_page, session


def test_saying_no_keeps_the_session_open(roster):
    page, session = roster
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.locator("[data-mark-done] button").click()
    page.wait_for_timeout(500)

    assert len(dialogs) == 1
    assert dialogs[0].startswith("¿Marcar este taller como terminado?")
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED


def test_saying_yes_marks_it_done(roster, live_server):
    page, session = roster
    page.on("dialog", lambda dialog: dialog.accept())

    page.locator("[data-mark-done] button").click()
    page.wait_for_url(f"{live_server.url}/es/trainer/")

    session.refresh_from_db()
    assert session.status == Session.Status.DONE
