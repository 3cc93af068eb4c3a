"""An anonymous visitor to any staff page outside the admin is sent to the
app's own login page, never to the admin's: ADMIN_URL is meant to be
secret, and a redirect would hand it to anyone who asks for the map."""

import importlib
import re

import pytest
from django.urls import URLResolver, clear_url_caches, get_resolver
from django.urls.resolvers import LocalePrefixPattern

from trainings.tests.factories import RegistrationFactory
from zones.tests.factories import ZoneFactory

pytestmark = pytest.mark.django_db
SECRET_ADMIN = "back-office-k7q/"


@pytest.fixture
def secret_admin_url(settings):
    import resistance_zone.urls

    # Kept before the change: `settings` and django.conf.settings are one
    # object, so reading it back afterwards would "restore" the secret path
    # and leave every later test's URLs under it.
    original = settings.ADMIN_URL
    settings.ADMIN_URL = SECRET_ADMIN
    importlib.reload(resistance_zone.urls)
    clear_url_caches()
    yield
    settings.ADMIN_URL = original
    importlib.reload(resistance_zone.urls)
    clear_url_caches()


def _routes(patterns, prefix=""):
    """Every route of the URLconf as a path template, e.g. 'en/zones/<slug:slug>/map/'."""
    for entry in patterns:
        pattern = "en/" if isinstance(entry.pattern, LocalePrefixPattern) else str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + pattern)
        else:
            yield prefix + pattern


def _example_paths(values):
    for route in _routes(get_resolver().url_patterns):
        if route.startswith(SECRET_ADMIN) or route.startswith("^"):
            continue
        yield "/" + re.sub(r"<(?:(\w+):)?(\w+)>", lambda match: str(values.get(match.group(2), "x")), route)


def test_no_page_outside_the_admin_sends_an_anonymous_visitor_to_the_admin(client, secret_admin_url):
    registration = RegistrationFactory()
    zone = ZoneFactory(slug="zone-a")
    values = {"pk": registration.session.pk, "slug": zone.slug, "token": registration.cancel_token}
    walked = 0
    for path in _example_paths(values):
        response = client.get(path)
        walked += 1
        assert SECRET_ADMIN not in response.get("Location", ""), path
        assert SECRET_ADMIN.encode() not in response.content, path
    assert walked > 15


@pytest.mark.parametrize("path", ["/en/zones/map/", "/es/zones/zone-a/map/", "/en/zones/blocks.geojson", "/en/trainer/"])
def test_an_anonymous_visitor_to_a_staff_page_is_sent_to_the_app_login(client, secret_admin_url, path):
    ZoneFactory(slug="zone-a")
    response = client.get(path)
    assert response.status_code == 302
    lang = path.split("/")[1]
    assert response["Location"].startswith(f"/{lang}/login/?next=")


def test_the_admin_itself_still_sends_a_visitor_to_the_app_login(client, secret_admin_url):
    response = client.get(f"/{SECRET_ADMIN}", follow=True)
    assert response.redirect_chain[-1][0].startswith("/en/login/")
