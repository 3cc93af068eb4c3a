"""The roster in a real (headless) browser: check in while offline, come
back online, and the server records exactly one attendance."""

import datetime

import pytest
from django.utils import timezone

from tests.auth import browser_share_session
from trainings.models import Attendance
from trainings.tests.factories import RegistrationFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def trainer_page(phone_page, live_server, client, trainer, log_in):
    """A phone logged in as the trainer: the test client logs in (the one
    place, see conftest) and the browser gets its session cookie."""
    log_in(client, trainer)
    browser_share_session(phone_page.context, client, live_server)
    return phone_page


def _wait_for(predicate, page, timeout_ms=10000):
    waited = 0
    while not predicate():
        if waited >= timeout_ms:
            return False
        page.wait_for_timeout(100)
        waited += 100
    return True


def test_a_check_in_made_offline_is_sent_once_when_the_phone_is_back_online(trainer_page, live_server, trainer):
    now = timezone.now()
    session = SessionFactory(
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=2), trainers=[trainer]
    )
    registration = RegistrationFactory(session=session, volunteer__name="Ana Flores")
    RegistrationFactory(session=session, volunteer__name="Beto Ruiz")
    page = trainer_page
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/en/trainer/sessions/{session.pk}/")
    row = page.locator(".roster-row", has_text="Ana Flores")
    assert row.is_visible()

    page.context.set_offline(True)
    row.locator("button", has_text="Check in").click()
    badge = page.locator("[data-sync-badge]")
    badge.wait_for(state="visible")
    assert badge.inner_text() == "1 waiting to sync"
    assert page.locator('[data-count="checked_in"]').inner_text() == "1"
    assert Attendance.objects.count() == 0

    page.context.set_offline(False)
    badge.wait_for(state="hidden", timeout=15000)
    assert _wait_for(lambda: Attendance.objects.count() == 1, page)
    attendance = Attendance.objects.get()
    assert attendance.volunteer_id == registration.volunteer_id
    assert attendance.phone_at is not None
    # Nothing waits on the phone any more, and nothing left this machine.
    assert page.evaluate("window.localStorage.getItem('rz-trainer-queue')") is None
    assert all(url.startswith(live_server.url) for url in requested)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_unsent_check_in_survives_a_reload_and_logging_out_wipes_it(trainer_page, live_server, trainer):
    now = timezone.now()
    session = SessionFactory(
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=2), trainers=[trainer]
    )
    RegistrationFactory(session=session, volunteer__name="Ana Flores")
    page = trainer_page
    # The check-in request never gets through (a basement with no signal),
    # while the page itself can still be reloaded.
    page.route("**/check-in/", lambda route: route.abort())
    page.goto(f"{live_server.url}/es/trainer/sessions/{session.pk}/")
    page.locator(".roster-row", has_text="Ana Flores").locator("button.btn-success").click()
    badge = page.locator("[data-sync-badge]")
    badge.wait_for(state="visible")
    assert badge.inner_text() == "1 en espera de sincronizar"
    page.reload()
    badge.wait_for(state="visible")
    assert badge.inner_text() == "1 en espera de sincronizar"
    assert "is-checked-in" in page.locator(".roster-row", has_text="Ana Flores").get_attribute("class")
    stored = page.evaluate("window.localStorage.getItem('rz-trainer-queue')")
    assert stored and "Ana Flores" in stored

    # Logging out with something queued asks first; saying yes wipes it.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.locator("[data-trainer-logout] button").click()
    page.wait_for_url(f"{live_server.url}/es/trainer/signed-out/")
    assert len(dialogs) == 1
    assert page.evaluate("window.localStorage.length") == 0
    assert Attendance.objects.count() == 0


def test_a_queue_for_a_session_that_is_no_longer_today_is_not_kept(trainer_page, live_server, trainer):
    now = timezone.now()
    session = SessionFactory(
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=2), trainers=[trainer]
    )
    page = trainer_page
    page.goto(f"{live_server.url}/en/trainer/")
    # Something left from an earlier session the phone may no longer keep.
    page.evaluate(
        "window.localStorage.setItem('rz-trainer-queue', JSON.stringify(["
        "{kind: 'undo', session: 999999, url: '/en/trainer/sessions/999999/undo/', nonce: 'x', fields: {}}]))"
    )
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.localStorage.getItem('rz-trainer-queue')") is None
    assert session.pk in page.evaluate("JSON.parse(document.getElementById('trainer-offline-sessions').textContent)")


def test_a_roster_opened_today_reloads_without_signal_and_still_checks_in(trainer_page, live_server, trainer):
    now = timezone.now()
    session = SessionFactory(
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=2), trainers=[trainer]
    )
    RegistrationFactory(session=session, volunteer__name="Ana Flores")
    page = trainer_page
    url = f"{live_server.url}/en/trainer/sessions/{session.pk}/"
    page.goto(url)
    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now through the worker, which keeps the page
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_function(
        "caches.open('rz-trainer-pages').then(c => c.keys()).then(k => k.length === 1)"
    )

    page.context.set_offline(True)
    page.reload()
    row = page.locator(".roster-row", has_text="Ana Flores")
    row.locator("button.btn-success").click()
    badge = page.locator("[data-sync-badge]")
    badge.wait_for(state="visible")
    assert badge.inner_text() == "1 waiting to sync"

    page.context.set_offline(False)
    badge.wait_for(state="hidden", timeout=15000)
    assert _wait_for(lambda: Attendance.objects.count() == 1, page)

    # Logging out deletes the kept pages and the worker.
    page.locator("[data-trainer-logout] button").click()
    page.wait_for_url(f"{live_server.url}/en/trainer/signed-out/")
    page.wait_for_function("caches.keys().then(names => names.length === 0)")


def test_the_public_training_pages_fit_a_phone(phone_page, live_server):
    session = SessionFactory(location_name_en="A very long parish hall name for a narrow screen")
    for path in ("/es/trainings/", f"/es/trainings/{session.pk}/"):
        phone_page.goto(f"{live_server.url}{path}")
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    button = phone_page.locator("form.rsvp-form button[type=submit]")
    assert button.bounding_box()["height"] >= 44


def test_a_walk_in_entered_offline_becomes_one_volunteer_and_one_check_in(trainer_page, live_server, trainer):
    from signups.models import Volunteer

    now = timezone.now()
    session = SessionFactory(
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=2), trainers=[trainer]
    )
    page = trainer_page
    page.goto(f"{live_server.url}/es/trainer/sessions/{session.pk}/")
    page.context.set_offline(True)
    page.locator("details.walk-in summary").click()
    form = page.locator("form[data-walk-in]")
    form.locator("input[name=name]").fill("Rosa Peña")
    form.locator("input[name=phone]").fill("215-555-0166")
    form.locator("input[name=language][value=es]").check()
    form.locator("input[name=address]").fill("1123 S 9th St")
    form.locator("input[name=consent]").check()
    form.locator("button[type=submit]").click()
    assert page.locator(".roster-row", has_text="Rosa Peña").is_visible()
    assert page.locator('[data-count="walk_ins"]').inner_text() == "1"
    assert page.locator("[data-sync-badge]").inner_text() == "1 en espera de sincronizar"

    page.context.set_offline(False)
    page.locator("[data-sync-badge]").wait_for(state="hidden", timeout=15000)
    assert _wait_for(lambda: Attendance.objects.count() == 1, page)
    attendance = Attendance.objects.select_related("volunteer__block").get()
    assert attendance.walk_in
    assert attendance.volunteer.phone == "+12155550166"
    assert attendance.volunteer.block.hundred == 1100
    assert Volunteer.objects.count() == 1
