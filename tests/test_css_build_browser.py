"""The cut-down Bootstrap (bin/build-css) draws our pages exactly as the
whole of it does: on each page, in the states people meet (a form sent back
with its errors, a check-in done, a message shown), Chromium computes every
element's style with our file, then again with the vendored Bootstrap in its
place, and the two must match property for property. A class that only a
script or a message adds is caught here, where a scan of the templates would
miss it."""

import pytest
from django.core.management import call_command

from tests.auth import browser_share_session, login_with_otp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FULL_BOOTSTRAP = "/static/vendor/bootstrap/bootstrap.min.css"

# Every element's computed style (custom properties aside: the whole file
# defines more of them, which nothing reads), pseudo-elements included.
STYLES = """() => {
  const styles = new Map();
  document.querySelectorAll('*').forEach((element, index) => {
    for (const pseudo of [null, '::before', '::after']) {
      const style = getComputedStyle(element, pseudo);
      if (pseudo && style.content === 'none') continue;
      const name = `${index}:${element.tagName.toLowerCase()}.${element.className}${pseudo || ''}`;
      const values = {};
      for (const property of style) {
        if (!property.startsWith('--')) values[property] = style.getPropertyValue(property);
      }
      styles.set(name, values);
    }
  });
  return Object.fromEntries(styles);
}"""

SWAP_IN_FULL_BOOTSTRAP = """async (href) => {
  document.activeElement && document.activeElement.blur();
  const ours = document.querySelector('link[href*="bootstrap-used"]');
  const full = document.createElement('link');
  full.rel = 'stylesheet';
  full.href = href;
  await new Promise((loaded, failed) => { full.onload = loaded; full.onerror = failed; ours.after(full); });
  ours.remove();
}"""


def style_differences(page):
    """(element, property, with our file, with the whole Bootstrap), the first few."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(200)  # let a focus ring's transition end
    ours = page.evaluate(STYLES)
    page.evaluate(SWAP_IN_FULL_BOOTSTRAP, FULL_BOOTSTRAP)
    page.wait_for_timeout(200)
    full = page.evaluate(STYLES)
    assert ours.keys() == full.keys()
    differences = [
        (element, name, value, full[element].get(name))
        for element, values in ours.items()
        for name, value in values.items()
        if full[element].get(name) != value
    ]
    return differences[:10]


def submit_without_browser_checks(page, form="main form"):
    """Send a form as it is (empty), past the browser's own `required` check,
    to get the page back with the server's errors."""
    page.locator(form).first.evaluate("form => { form.noValidate = true; }")
    with page.expect_navigation():
        page.locator(form).first.locator("[type=submit]").last.click()


@pytest.fixture
def demo(settings):
    settings.FORM_MIN_FILL_SECONDS = 0
    call_command("load_demo", stdout=open("/dev/null", "w"))
    from django.contrib.auth import get_user_model

    from trainings.models import Registration, Session

    organizer = get_user_model().objects.get(is_staff=True, is_superuser=False)
    today = Session.objects.filter(trainers=organizer, status=Session.Status.SCHEDULED).order_by("starts_at").first()
    return {
        "organizer": organizer,
        "today": today,
        "open": next(s for s in Session.objects.upcoming().with_counts() if s.is_open_for_registration),
        "registration": Registration.objects.filter(status=Registration.Status.REGISTERED).first(),
    }


def check(page, url, then=None):
    page.goto(url)
    if then:
        then(page)
    assert style_differences(page) == [], page.url


def test_the_public_pages_look_the_same_with_the_whole_bootstrap(live_server, phone_page, demo):
    base = live_server.url
    for path in ("/en/", "/es/", "/en/join/", "/en/trainings/", "/en/zones/", "/en/login/", "/en/nowhere/"):
        check(phone_page, base + path)
    check(phone_page, f"{base}/es/join/", submit_without_browser_checks)
    check(phone_page, f"{base}/en/trainings/{demo['open'].pk}/", submit_without_browser_checks)
    check(phone_page, f"{base}/en/trainings/r/{demo['registration'].cancel_token}/")
    check(
        phone_page, f"{base}/en/trainings/r/{demo['registration'].cancel_token}/",
        lambda page: submit_without_browser_checks(page, "form[action$='/cancel/']"),
    )


def test_the_trainer_pages_look_the_same_with_the_whole_bootstrap(live_server, phone_page, demo, client):
    base = live_server.url
    login_with_otp(client, demo["organizer"])
    browser_share_session(phone_page.context, client, live_server)
    roster = f"{base}/en/trainer/sessions/{demo['today'].pk}/"

    def check_in_first_person(page):
        page.locator("[data-roster] button", has_text="Check in").first.click()
        page.locator(".is-checked-in:not(.is-pending)").first.wait_for()

    check(phone_page, f"{base}/en/trainer/")
    check(phone_page, roster)
    check(phone_page, roster, check_in_first_person)
    check(phone_page, roster + "walk-in/", submit_without_browser_checks)
    check(phone_page, f"{base}/en/trainer/signed-out/")
