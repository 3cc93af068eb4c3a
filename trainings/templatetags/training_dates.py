"""Dates of sessions as each language writes them.

`date:"l, F j"` gives "Thursday, November 26" in English but "jueves,
noviembre 26" in Spanish, an order no Spanish speaker uses: the day's
format comes from the locale (MONTH_DAY_FORMAT, DATE_FORMAT) and the way it
joins the weekday from the catalog.
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

register = template.Library()


@register.filter
def long_day(value, with_year=False):
    """'Thursday, November 26' / 'jueves 26 de noviembre'; with a true
    argument, the year too ('Thursday, Nov. 26, 2026' / 'jueves 26 de
    noviembre de 2026')."""
    if not isinstance(value, datetime.date):
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    day = date_format(value, "DATE_FORMAT" if with_year else "MONTH_DAY_FORMAT")
    # Translators: a weekday and a date, e.g. "Thursday, November 26".
    return gettext("{weekday}, {day}").format(weekday=date_format(value, "l"), day=day)
