import datetime

import pytest
from django.utils import timezone

from canvass.tests.factories import CanvasserFactory, CanvassTeamFactory
from zones.tests.factories import BlockFactory, ZoneFactory


def next_saturday_at_11():
    today = timezone.localdate()
    saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7 or 7)
    return timezone.make_aware(datetime.datetime.combine(saturday, datetime.time(11, 0)))


@pytest.fixture
def saturday(monkeypatch):
    """The clock (the outside world) reads Saturday 11 a.m. of the next
    canvass weekend and keeps ticking from there: teams canvass on Saturdays
    and Sundays, and the tests run on any day."""
    start = timezone.now()
    base = next_saturday_at_11()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: base + (real_now() - start))
    return base


@pytest.fixture
def zone(db):
    return ZoneFactory(slug="pilot", name_en="South Philadelphia pilot", name_es="Piloto del sur")


@pytest.fixture
def blocks(zone):
    return [BlockFactory(zone=zone, street="S 5TH ST", hundred=1000 + 100 * n) for n in range(3)]


@pytest.fixture
def canvasser(db):
    return CanvasserFactory(username="ana-canvasser")


@pytest.fixture
def team(saturday, zone, blocks, canvasser):
    return CanvassTeamFactory(on=saturday.date(), name="Tasker crew", zone=zone, blocks=blocks[:2], canvassers=[canvasser])


@pytest.fixture
def canvasser_client(client, canvasser, otp_login):
    otp_login(client, canvasser)
    return client


@pytest.fixture(autouse=True)
def _english_unless_asked():
    # A request to /es/ leaves Spanish active in this thread; the next
    # test's reverse() and labels must not inherit it.
    from django.utils import translation

    with translation.override("en"):
        yield
