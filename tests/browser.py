"""Headless Chromium for the real-browser tests.

Playwright cannot download its own browsers here; we drive Debian's chromium
(`make test` installs it when missing). Chromium calls home on its own even
when told not to, so every request is pointed at a dead proxy (loopback
bypasses it) and every host name but ours fails to resolve: no request leaves
the machine. A missing browser is a failure, never a skip: a browser test that
skips proves nothing.
"""

import os
import threading
import time
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--proxy-server=http://127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium.")
    # Playwright's sync API runs an event loop in this thread; the test still
    # talks to the database through Django's ORM between browser steps.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Requests the live server is still answering. A page closed at the end of a
# test may leave one in flight (a roster's sync, a service worker's fetch);
# if the test's database flush starts meanwhile, the flush's TRUNCATE and
# that request's row locks deadlock and the test errors at teardown.
_in_flight = {"count": 0, "lock": threading.Lock()}


def _in_live_server():
    # The test client answers in the test's own (main) thread, and always
    # before it returns; only the live server's threads can be left running.
    return threading.current_thread() is not threading.main_thread()


def _request_started(**kwargs):
    if _in_live_server():
        with _in_flight["lock"]:
            _in_flight["count"] += 1


def _request_finished(**kwargs):
    if _in_live_server():
        with _in_flight["lock"]:
            _in_flight["count"] -= 1


request_started.connect(_request_started, dispatch_uid="tests.browser.in_flight")
request_finished.connect(_request_finished, dispatch_uid="tests.browser.in_flight")


def live_server_settled(timeout=10):
    """Wait until no request is being answered (after closing a browser
    context, before the database is flushed)."""
    deadline = time.monotonic() + timeout
    while _in_flight["count"] > 0 and time.monotonic() < deadline:
        time.sleep(0.02)


@pytest.fixture
def phone_page(chromium):
    """A page the size of a small phone (360 px wide), touch enabled."""
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    yield page
    context.close()
    live_server_settled()


@pytest.fixture
def desktop_page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
    live_server_settled()
