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


# The columns an export may hold, in their order: (key, label, value).
# Phone and email are chosen apart (include_phone, include_email): they are
# what a lost laptop would expose.
def _columns():
    return [
        ("name", gettext("Name"), lambda v: v.name),
        ("phone", gettext("Phone"), lambda v: phone_for_people(v.phone)),
        ("email", gettext("Email"), lambda v: v.email),
        ("language", gettext("Preferred language"), lambda v: v.get_language_display()),
        ("contact_methods", gettext("How to contact"), lambda v: _labels(v.contact_methods, ContactMethod)),
        ("block", gettext("Block"), lambda v: v.block.name if v.block else ""),
        ("zone", gettext("Zone"), lambda v: v.block.zone.name if v.block and v.block.zone else ""),
        ("zip_code", gettext("ZIP code"), lambda v: v.zip_code),
        ("ways_to_help", gettext("Ways to help"), lambda v: _labels(v.ways_to_help, WayToHelp)),
        ("weekend_availability", gettext("Launch-weekend availability"),
         lambda v: _labels(v.weekend_availability, Availability)),
        ("source", gettext("Source"), lambda v: v.get_source_display()),
        ("created_at", gettext("Signed up"), lambda v: timezone.localtime(v.created_at).strftime("%Y-%m-%d %H:%M")),
    ]


CONTACT_COLUMNS = ("phone", "email")


def export_column_choices():
    """(key, label) of the columns chosen one by one (all but phone and
    email), in the active language."""
    return [(key, label) for key, label, _value in _columns() if key not in CONTACT_COLUMNS]


def volunteers_export(*, volunteers, user=None, include_phone=False, include_email=False, columns=None,
                      file_format="csv"):
    """The volunteers as a spreadsheet, in the active language: returns
    (bytes, content type, file extension).

    Phone and email columns only when asked for (`include_phone`,
    `include_email`): a spreadsheet travels (a laptop, a shared drive, an
    email attachment), and most uses of it (who is on which block, who
    speaks Spanish) need no way to reach people. `columns`: the keys of
    the other columns to include (export_column_choices), all by default.

    CSV: UTF-8 with a byte-order mark, because Excel reads a CSV without one
    in the computer's legacy code page and garbles "Peña" and "José"; cells
    that Excel would run as formulas are prefixed with an apostrophe.
    XLSX (`file_format="xlsx"`): every cell written as text, which no
    spreadsheet runs, and prefixed the same way.

    `user` is who asked for the export: every export of volunteers leaves the
    app through here, so this is where it gets logged, with the columns
    chosen (never their values).
    """
    wanted = set(columns) if columns is not None else {key for key, _label in export_column_choices()}
    if include_phone:
        wanted.add("phone")
    if include_email:
        wanted.add("email")
    chosen = [(key, label, value) for key, label, value in _columns() if key in wanted]
    volunteers = volunteers.select_related("block", "block__zone").order_by("pk")
    header = [label for _key, label, _value in chosen]
    rows = (
        [spreadsheet_cell(value(volunteer)) for _key, _label, value in chosen]
        for volunteer in volunteers.iterator(chunk_size=500)
    )
    if file_format == "xlsx":
        content, count = _xlsx(header, rows)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, count = _csv(header, rows)
        content_type = "text/csv; charset=utf-8"
    all_others = {key for key, _label in export_column_choices()}
    left_out = sorted(all_others - wanted)
    audit_export(
        user=user,
        model="signups.volunteer",
        row_count=count,
        detail=export_choices_detail(
            include_phone=include_phone, include_email=include_email, file_format=file_format,
            left_out=left_out,
        ),
    )
    return content, content_type, file_format if file_format == "xlsx" else "csv"


def _csv(header, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    count = 0
    for row in rows:
        count += 1
        writer.writerow(row)
    return "\ufeff".encode() + out.getvalue().encode("utf-8"), count


def _xlsx(header, rows):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    # Write-only: rows stream to the file instead of living as cell objects.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()

    def text_cells(values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            # openpyxl stores a text starting with "=" as a formula; as
            # text, Excel shows it and never runs it.
            cell.data_type = "s"
            cells.append(cell)
        return cells

    sheet.append(text_cells(header))
    count = 0
    for row in rows:
        count += 1
        sheet.append(text_cells(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), count


def volunteers_export_csv(*, volunteers, user=None, include_phone=False, include_email=False):
    """The CSV of volunteers_export, for callers that want only the bytes."""
    content, _type, _extension = volunteers_export(
        volunteers=volunteers, user=user, include_phone=include_phone, include_email=include_email
    )
    return content


def export_choices_detail(*, include_phone, include_email, file_format="csv", left_out=()):
    """The audit entry's words for what an export held (kept in English, as
    the rest of the log)."""

    def said(included):
        return "included" if included else "left out"

    detail = (
        f"volunteers {file_format.upper()}; phone numbers {said(include_phone)}, "
        f"email addresses {said(include_email)}"
    )
    if left_out:
        detail += "; other columns left out: " + ", ".join(left_out)
    return detail
