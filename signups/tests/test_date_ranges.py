"""Ranges of days and hours say the month, the year and "p. m." once."""

import datetime

import pytest
from django.utils import timezone, translation

from signups.templatetags.date_ranges import date_range_text, time_range_text

SAT = datetime.date(2026, 12, 5)
SUN = datetime.date(2026, 12, 6)


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Saturday, December 5 – Sunday, December 6, 2026"),
    ("es", "del sábado 5 al domingo 6 de diciembre de 2026"),
])
def test_a_weekend_says_its_month_and_year_once(language, expected):
    with translation.override(language):
        assert date_range_text(SAT, SUN) == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Monday, November 30 – Tuesday, December 1, 2026"),
    ("es", "del lunes 30 de noviembre al martes 1 de diciembre de 2026"),
])
def test_a_range_across_months_names_both_months_and_the_year_once(language, expected):
    with translation.override(language):
        assert date_range_text(datetime.date(2026, 11, 30), datetime.date(2026, 12, 1)) == expected


def test_a_range_across_years_names_both_years():
    with translation.override("es"):
        text = date_range_text(datetime.date(2026, 12, 31), datetime.date(2027, 1, 1))
    assert text == "del jueves 31 de diciembre de 2026 al viernes 1 de enero de 2027"


def test_one_day_is_one_day():
    with translation.override("es"):
        assert date_range_text(SAT, SAT) == "el sábado 5 de diciembre de 2026"


def _at(hour, minute):
    return timezone.make_aware(datetime.datetime(2026, 12, 5, hour, minute))


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "6:30 – 8:30 p.m."),
    ("es", "6:30 a 8:30 p. m."),
])
def test_an_evening_says_pm_once_on_a_12_hour_clock(language, expected):
    with translation.override(language):
        assert time_range_text(_at(18, 30), _at(20, 30)) == expected


def test_a_range_across_noon_says_both_meridiems():
    with translation.override("es"):
        assert time_range_text(_at(11, 0), _at(13, 0)) == "11:00 a. m. a 1:00 p. m."


def test_spanish_time_format_is_12_hour():
    from django.utils.formats import time_format

    with translation.override("es"):
        assert time_format(_at(18, 30), "TIME_FORMAT") == "6:30 p. m."
