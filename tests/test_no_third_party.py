"""No page loads anything from another host: every script, style, image,
font, frame and media source in the rendered HTML is our own."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from tests.auth import login_with_otp
from tests.pages import (
    admin_urls,
    build_world,
    public_urls,
    staff_urls,
    thank_you_session,
    trainer_urls,
)

pytestmark = pytest.mark.django_db

# (tag, attribute) pairs that make the browser fetch something.
_LOADING = {
    ("script", "src"), ("img", "src"), ("img", "srcset"), ("iframe", "src"), ("frame", "src"),
    ("embed", "src"), ("object", "data"), ("source", "src"), ("source", "srcset"),
    ("video", "src"), ("video", "poster"), ("audio", "src"), ("track", "src"),
    ("input", "src"), ("image", "href"), ("use", "href"),
}
_LINK_RELS_THAT_LOAD = {"stylesheet", "icon", "preload", "prefetch", "manifest", "modulepreload",
                        "apple-touch-icon", "dns-prefetch", "preconnect"}


class _Loads(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for (t, attribute) in _LOADING:
            if t == tag and attrs.get(attribute):
                self.urls.extend(u.strip().split(" ")[0] for u in attrs[attribute].split(","))
        if tag == "link" and set((attrs.get("rel") or "").lower().split()) & _LINK_RELS_THAT_LOAD:
            self.urls.append(attrs.get("href") or "")
        if tag == "style":
            self._in_style = True
        if attrs.get("style"):
            self.urls.append(f"inline style attribute: {attrs['style']}")

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style and ("url(" in data or "@import" in data):
            self.urls.append(f"inline style: {data[:80]}")


def _outside(url):
    if url.startswith(("inline style", "javascript:")):
        return True
    parts = urlsplit(url)
    return bool(parts.netloc) or url.startswith("//") or parts.scheme not in ("", "data")


def _assert_only_our_host(client, urls):
    assert urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        parser = _Loads()
        parser.feed(response.content.decode())
        outside = [u for u in parser.urls if _outside(u)]
        assert outside == [], url
        html = response.content.decode()
        assert "<script>" not in html and "onclick=" not in html, url


@pytest.fixture
def world(db):
    return build_world()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_public_pages_load_nothing_from_another_host(client, world, lang):
    thank_you_session(client, world)
    _assert_only_our_host(client, public_urls(world, lang))


def test_trainer_pages_load_nothing_from_another_host(client, world):
    login_with_otp(client, world["trainer"])
    _assert_only_our_host(client, trainer_urls(world))


def test_admin_pages_load_nothing_from_another_host(client, world):
    login_with_otp(client, world["superuser"])
    _assert_only_our_host(client, admin_urls(world) + staff_urls(world) + staff_urls(world, "es"))


def test_the_enrollment_page_loads_nothing_from_another_host(client, world):
    client.force_login(world["trainer"])
    _assert_only_our_host(client, ["/en/login/enroll/"])


def test_the_parser_catches_an_outside_script():
    parser = _Loads()
    parser.feed('<script src="https://cdn.example.com/x.js"></script><link rel="stylesheet" href="//fonts.example/css">'
                '<img src="/static/a.png"><img src="data:image/png;base64,AA">')
    assert [u for u in parser.urls if _outside(u)] == ["https://cdn.example.com/x.js", "//fonts.example/css"]
