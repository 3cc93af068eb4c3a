"""Session dates read as each language writes them."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import translation

from trainings.tests.factories import SessionFactory

PHILADELPHIA = zoneinfo.ZoneInfo("America/New_York")
# 23:30 UTC on Friday is still Friday evening in Philadelphia.
FRIDAY_EVENING = datetime.datetime(2026, 11, 27, 23, 30, tzinfo=datetime.UTC)


def _render(text, language, **context):
    with translation.override(language):
        return Template("{% load training_dates %}" + text).render(Context(context))


def test_long_day_in_english_and_spanish(settings):
    settings.TIME_ZONE = "America/New_York"
    assert _render("{{ when|long_day }}", "en", when=FRIDAY_EVENING) == "Friday, November 27"
    assert _render("{{ when|long_day }}", "es", when=FRIDAY_EVENING) == "viernes 27 de noviembre"


def test_long_day_with_the_year(settings):
    settings.TIME_ZONE = "America/New_York"
    assert _render("{{ when|long_day:True }}", "en", when=FRIDAY_EVENING) == "Friday, Nov. 27, 2026"
    assert _render("{{ when|long_day:True }}", "es", when=FRIDAY_EVENING) == "viernes 27 de noviembre de 2026"


def test_long_day_of_nothing_is_empty():
    assert _render("{{ when|long_day }}", "es", when=None) == ""


@pytest.mark.django_db
def test_the_spanish_training_list_writes_the_day_first(client, settings):
    settings.TIME_ZONE = "America/New_York"
    starts = datetime.datetime(2030, 11, 29, 15, 0, tzinfo=PHILADELPHIA)
    SessionFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))

    page = client.get("/es/trainings/").content.decode()

    assert "viernes 29 de noviembre" in page
    assert "noviembre 29" not in page
