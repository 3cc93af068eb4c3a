"""Ranges of days and of hours as each language writes them, without saying
the month, the year or "p. m." twice.

"del sábado 5 de diciembre de 2026 al domingo 6 de diciembre de 2026" is
what two DATE_FORMATs joined give; people write "del sábado 5 al domingo 6
de diciembre de 2026", and "Saturday, December 5 – Sunday, December 6,
2026". Each part's format comes from the catalog, so a translator decides
the order of day and month, and the joining words.
"""

import datetime

from django import template
from django.utils import dateformat, timezone
from django.utils.translation import pgettext

register = template.Library()


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def date_range_text(start, end):
    """'Saturday, December 5 – Sunday, December 6, 2026' /
    'del sábado 5 al domingo 6 de diciembre de 2026'; one day when both are
    the same ('Saturday, December 5, 2026' / 'el sábado 5 de diciembre de
    2026')."""
    start, end = _local(start), _local(end)
    # Translators: a Django date format for the last day of a range, or a
    # single day, with its weekday: "Sunday, December 6, 2026".
    full = pgettext("date range", "l, F j, Y")
    end_text = dateformat.format(end, full)
    if start == end or (hasattr(start, "date") and start.date() == end.date()):
        # Translators: a single day where a range could be, in a sentence:
        # "(el sábado 5 de diciembre de 2026)".
        return pgettext("date range", "{day}").format(day=end_text)
    if (start.year, start.month) == (end.year, end.month):
        # Translators: a Django date format for the first day of a range
        # in the same month as the last: "Saturday, December 5" / "sábado 5".
        start_format = pgettext("date range, same month", "l, F j")
    elif start.year == end.year:
        # Translators: a Django date format for the first day of a range
        # in the same year as the last: "Monday, November 30" /
        # "lunes 30 de noviembre".
        start_format = pgettext("date range, same year", "l, F j")
    else:
        start_format = full
    # Translators: a range of days, e.g. "Saturday, December 5 – Sunday,
    # December 6, 2026" / "del sábado 5 al domingo 6 de diciembre de 2026".
    return pgettext("date range", "{start} – {end}").format(start=dateformat.format(start, start_format), end=end_text)


def time_range_text(start, end):
    """'6:30 – 8:30 p.m.' / '6:30 a 8:30 p. m.': the meridiem once when both
    times share it, as people write it."""
    start, end = _local(start), _local(end)
    # Translators: a Django time format, 12-hour with a.m./p.m.: "8:30 p.m.".
    with_meridiem = pgettext("time range", "g:i a")
    if (start.hour < 12) == (end.hour < 12):
        # Translators: a Django time format for the first time of a range
        # sharing its a.m./p.m. with the second: "6:30".
        start_format = pgettext("time range, same meridiem", "g:i")
    else:
        start_format = with_meridiem
    # Translators: a range of hours, e.g. "6:30 – 8:30 p.m." / "6:30 a 8:30 p. m.".
    return pgettext("time range", "{start} – {end}").format(
        start=dateformat.time_format(start, start_format),
        end=dateformat.time_format(end, with_meridiem),
    )


@register.filter
def date_range(start, end):
    if not isinstance(start, datetime.date) or not isinstance(end, datetime.date):
        return ""
    return date_range_text(start, end)


@register.filter
def time_range(start, end):
    if not isinstance(start, (datetime.time, datetime.datetime)) or not isinstance(
        end, (datetime.time, datetime.datetime)
    ):
        return ""
    return time_range_text(start, end)
