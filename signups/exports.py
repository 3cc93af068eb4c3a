"""The one place volunteers leave the app as a spreadsheet.

Kept apart from signups.services (the upsert) because an export is a
disclosure, not a change: its rules are about what leaves and who is logged
for it.
"""

import csv
import io

import phonenumbers
from django.utils import timezone
from django.utils.translation import gettext

from signups.audit import audit_export
from signups.models import Availability, ContactMethod, WayToHelp
from signups.services import DEFAULT_PHONE_REGION

# Excel runs a cell starting with one of these as a formula ("CSV injection"):
# a name typed as =HYPERLINK(...) must stay text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    value = "" if value is None else str(value)
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _labels(codes, choices):
    labels = dict(choices.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes or [])


def _phone_for_people(phone):
    """US numbers as Philadelphians write them, "(215) 555-0123" (also keeps
    Excel from reading "+12155550123" as a number); others in international
    form."""
    if not phone:
        return ""
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return phone
    if phonenumbers.region_code_for_number(number) == DEFAULT_PHONE_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def volunteers_export_csv(*, volunteers, user=None):
    """The volunteers as a CSV document (bytes), in the active language.

    UTF-8 with a byte-order mark, because Excel reads a CSV without one in the
    computer's legacy code page and garbles "Peña" and "José". Cells that
    Excel would run as formulas are prefixed with an apostrophe.

    `user` is who asked for the export: every export of volunteers leaves the
    app through here, so this is where it gets logged.
    """
    volunteers = volunteers.select_related("block", "block__zone").order_by("pk")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            gettext("Name"),
            gettext("Phone"),
            gettext("Email"),
            gettext("Preferred language"),
            gettext("How to contact"),
            gettext("Block"),
            gettext("Zone"),
            gettext("ZIP code"),
            gettext("Ways to help"),
            gettext("Launch-weekend availability"),
            gettext("Source"),
            gettext("Signed up"),
        ]
    )
    rows = 0
    for volunteer in volunteers.iterator(chunk_size=500):
        rows += 1
        block = volunteer.block
        writer.writerow(
            _cell(value)
            for value in [
                volunteer.name,
                _phone_for_people(volunteer.phone),
                volunteer.email,
                volunteer.get_language_display(),
                _labels(volunteer.contact_methods, ContactMethod),
                block.name if block else "",
                block.zone.name if block and block.zone else "",
                volunteer.zip_code,
                _labels(volunteer.ways_to_help, WayToHelp),
                _labels(volunteer.weekend_availability, Availability),
                volunteer.get_source_display(),
                timezone.localtime(volunteer.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    audit_export(user=user, model="signups.volunteer", row_count=rows, detail="volunteers CSV")
    return "\ufeff".encode() + out.getvalue().encode("utf-8")
