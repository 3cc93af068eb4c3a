"""The public training pages on a phone: every link and button is a thumb's
size (44 px), including the links that stand alone on their line."""

import pytest

from trainings.models import Registration
from trainings.tests.factories import RegistrationFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A stretched link's target is its whole card (Bootstrap's ::after overlay).
SMALL_TARGETS = """() => Array.from(document.querySelectorAll('main a, main button'))
  .filter(el => {
    const target = el.classList.contains('stretched-link') ? el.closest('.card') : el;
    const r = target.getBoundingClientRect();
    return r.width > 0 && r.height < 44;
  })
  .map(el => el.textContent.trim())"""


def test_the_list_the_session_and_a_cancelled_registration_have_no_small_targets(live_server, phone_page):
    session = SessionFactory()
    cancelled = RegistrationFactory(session=session, status=Registration.Status.CANCELLED)

    for path in ("/es/trainings/", f"/es/trainings/{session.pk}/", f"/es/trainings/r/{cancelled.cancel_token}/"):
        phone_page.goto(live_server.url + path)
        assert phone_page.evaluate(SMALL_TARGETS) == [], path
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360, path


def test_tapping_anywhere_on_a_session_card_opens_it(live_server, phone_page):
    session = SessionFactory(neighborhood="Bella Vista")

    phone_page.goto(f"{live_server.url}/en/trainings/")
    # A tap on the card's text, away from the title's link.
    box = phone_page.locator(".training-list li", has_text="Bella Vista").locator(".session-language").bounding_box()
    phone_page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    phone_page.wait_for_url(f"{live_server.url}/en/trainings/{session.pk}/")
