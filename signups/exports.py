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


def spreadsheet_cell(value):
    """`value` as text a spreadsheet shows as typed, never runs: every CSV
    the app writes (volunteers, attendance) passes its cells through here."""
    value = "" if value is None else str(value)
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _labels(codes, choices):
    labels = dict(choices.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes or [])


def phone_for_people(phone):
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


def volunteers_export_csv(*, volunteers, user=None, include_phone=False, include_email=False):
    """The volunteers as a CSV document (bytes), in the active language.

    Phone and email columns only when asked for (`include_phone`,
    `include_email`): a spreadsheet travels (a laptop, a shared drive, an
    email attachment), and most uses of it (who is on which block, who
    speaks Spanish) need no way to reach people.

    UTF-8 with a byte-order mark, because Excel reads a CSV without one in the
    computer's legacy code page and garbles "Peña" and "José". Cells that
    Excel would run as formulas are prefixed with an apostrophe.

    `user` is who asked for the export: every export of volunteers leaves the
    app through here, so this is where it gets logged, with the columns
    chosen (never their values).
    """
    volunteers = volunteers.select_related("block", "block__zone").order_by("pk")
    columns = [
        (gettext("Name"), lambda v: v.name),
        (gettext("Phone"), lambda v: phone_for_people(v.phone)) if include_phone else None,
        (gettext("Email"), lambda v: v.email) if include_email else None,
        (gettext("Preferred language"), lambda v: v.get_language_display()),
        (gettext("How to contact"), lambda v: _labels(v.contact_methods, ContactMethod)),
        (gettext("Block"), lambda v: v.block.name if v.block else ""),
        (gettext("Zone"), lambda v: v.block.zone.name if v.block and v.block.zone else ""),
        (gettext("ZIP code"), lambda v: v.zip_code),
        (gettext("Ways to help"), lambda v: _labels(v.ways_to_help, WayToHelp)),
        (gettext("Launch-weekend availability"), lambda v: _labels(v.weekend_availability, Availability)),
        (gettext("Source"), lambda v: v.get_source_display()),
        (gettext("Signed up"), lambda v: timezone.localtime(v.created_at).strftime("%Y-%m-%d %H:%M")),
    ]
    columns = [column for column in columns if column is not None]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for label, _value in columns])
    rows = 0
    for volunteer in volunteers.iterator(chunk_size=500):
        rows += 1
        writer.writerow(spreadsheet_cell(value(volunteer)) for _label, value in columns)
    audit_export(
        user=user,
        model="signups.volunteer",
        row_count=rows,
        detail=export_choices_detail(include_phone=include_phone, include_email=include_email),
    )
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def export_choices_detail(*, include_phone, include_email):
    """The audit entry's words for what an export held (kept in English, as
    the rest of the log)."""

    def said(included):
        return "included" if included else "left out"

    return f"volunteers CSV; phone numbers {said(include_phone)}, email addresses {said(include_email)}"
