"""A spreadsheet file -> a header and rows of text.

What organizers have: CSV from Excel (Windows-1252 or UTF-8 with a BOM,
commas or, in a Spanish-language Excel, semicolons), Google Forms and other
tools' exports (UTF-8, commas), and .xlsx workbooks with a title row or
merged header cells. Everything else is refused with a reason
(ImportFileError.code) the screens translate; the file's text never goes
into an error or a log.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
XLSX_EXTENSIONS = (".xlsx",)
# How far down a title or notes may sit above the header row.
HEADER_SEARCH_ROWS = 10
_DELIMITERS = ",;\t|"


class ImportFileError(Exception):
    """A file we cannot read: `code` names why (see MESSAGES)."""

    MESSAGES = {
        "wrong_type": _("This is not a spreadsheet we can read. Upload a .csv or .xlsx file."),
        "too_large": _("This file is larger than %(megabytes)s MB. Split it into smaller files."),
        "too_many_rows": _("This file has more than %(rows)s rows. Split it into smaller files."),
        "unreadable": _(
            "We could not read this file. Save it again from your spreadsheet program "
            "as CSV (UTF-8) or as an Excel workbook (.xlsx)."
        ),
        "empty": _("This file has no rows below its header."),
        "no_header": _("We could not find the row with the column names in this file."),
        "worker_failed": _("The import stopped on an error and nothing was written. Try again, or ask for help."),
    }

    def __init__(self, code):
        super().__init__(code)
        self.code = code

    @property
    def message(self):
        return message_for(self.code)


def message_for(code):
    text = ImportFileError.MESSAGES.get(code, ImportFileError.MESSAGES["unreadable"])
    return str(text) % {"megabytes": max_bytes() // 1_000_000, "rows": f"{max_rows():,}"}


def max_bytes():
    return settings.IMPORT_MAX_BYTES


def max_rows():
    return settings.IMPORT_MAX_ROWS


@dataclass
class Table:
    """`headers`: one name per column ("" for a column without one).
    `rows`: (row number as the spreadsheet shows it, cells) for every
    non-empty row below the header; cells are stripped text, one per column."""

    headers: list
    rows: list = field(default_factory=list)


def table_read(*, content, file_name):
    """Read an uploaded file (bytes). Raises ImportFileError."""
    if len(content) > max_bytes():
        raise ImportFileError("too_large")
    name = (file_name or "").lower()
    if content.startswith(b"PK\x03\x04"):
        if not name.endswith(XLSX_EXTENSIONS):
            raise ImportFileError("wrong_type")
        grid, merges = _xlsx_grid(content)
    elif name.endswith(CSV_EXTENSIONS):
        grid, merges = _csv_grid(content), []
    else:
        raise ImportFileError("wrong_type")
    return _table_from_grid(grid, merges)


# --- CSV ------------------------------------------------------------------


def text_decode(content):
    """The text of a CSV file in whatever encoding it came in."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if content.startswith(bom):
            try:
                return content[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                raise ImportFileError("unreadable") from None
    if b"\x00" in content[:4096]:
        # A binary file renamed .csv (a PDF, an old .xls), or UTF-16 without
        # its byte-order mark, which no spreadsheet program writes.
        raise ImportFileError("wrong_type")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(content[:200_000]))
    if not matches:
        raise ImportFileError("unreadable")
    # Many single-byte code pages decode the same bytes equally well (the
    # detector ranks Central European cp1250 first for "Peña"). Our files
    # are English and Spanish, written by Excel on Windows: among the
    # equally good answers, Windows-1252 is the one meant.
    least_chaos = min(m.chaos for m in matches)
    plausible = [m.encoding for m in matches if m.chaos <= least_chaos + 0.01]
    for candidate in ("cp1252", *plausible):
        try:
            if candidate in plausible:
                return content.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    raise ImportFileError("unreadable")


def _delimiter(text):
    sample = "\n".join(text.splitlines()[:30])
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        first = next((line for line in text.splitlines() if line.strip()), "")
        return max(_DELIMITERS, key=first.count)


def _csv_grid(content):
    text = text_decode(content)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    grid = []
    try:
        for cells in reader:
            grid.append(cells)
            if len(grid) > max_rows() + HEADER_SEARCH_ROWS:
                raise ImportFileError("too_many_rows")
    except csv.Error:
        raise ImportFileError("unreadable") from None
    return grid


# --- XLSX -----------------------------------------------------------------

_MERGE_REF = re.compile(rb'<mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def _xlsx_grid(content):
    """The first sheet's values (read-only mode: rows stream, so a large
    workbook does not sit in memory as cell objects), and its merged
    ranges, which read-only mode does not give: read from the sheet's XML."""
    from openpyxl import load_workbook
    from openpyxl.utils.cell import range_boundaries

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        # A zip bomb: a small file that unpacks to gigabytes.
        if sum(info.file_size for info in archive.infolist()) > 12 * max_bytes():
            raise ImportFileError("too_large")
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        grid = []
        for values in sheet.iter_rows(values_only=True):
            grid.append([_xlsx_text(value) for value in values])
            if len(grid) > max_rows() + HEADER_SEARCH_ROWS:
                raise ImportFileError("too_many_rows")
        with archive.open(sheet._worksheet_path) as xml:
            merges = [range_boundaries(ref.decode()) for ref in _MERGE_REF.findall(xml.read())]
        workbook.close()
    except ImportFileError:
        raise
    except Exception:
        # openpyxl raises many kinds of errors for a damaged or foreign
        # file (KeyError, zipfile.BadZipFile, XML errors): all mean the same
        # to the organizer.
        raise ImportFileError("unreadable") from None
    return grid, merges


def _xlsx_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # A phone or ZIP typed as a number: 2155550123.0 -> "2155550123".
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value)


# --- Header and rows ------------------------------------------------------


def _fill_merges(grid, merges):
    """Give every cell of a merged header range the range's text (openpyxl
    gives it to the top-left cell only). Only the rows where a header may be."""
    horizontal = set()
    for min_col, min_row, max_col, max_row in merges:
        if min_row > HEADER_SEARCH_ROWS + 1:
            continue
        top = grid[min_row - 1] if min_row - 1 < len(grid) else None
        if top is None or min_col - 1 >= len(top):
            continue
        value = top[min_col - 1]
        for row in range(min_row, min(max_row, len(grid)) + 1):
            cells = grid[row - 1]
            cells.extend([""] * (max_col - len(cells)))
            for col in range(min_col, max_col + 1):
                cells[col - 1] = value
        if max_col > min_col:
            horizontal.add(min_row - 1)
    return horizontal


def _clean(cells):
    return [(cell or "").strip() if isinstance(cell, str) else _xlsx_text(cell).strip() for cell in cells]


def _table_from_grid(grid, merges):
    grid = [_clean(cells) for cells in grid]
    horizontal = _fill_merges(grid, merges)
    header_index = next(
        (
            i
            for i, cells in enumerate(grid[:HEADER_SEARCH_ROWS])
            # A title row merged across the sheet has one text many times.
            if len({cell for cell in cells if cell}) >= 2
        ),
        None,
    )
    if header_index is None:
        if any(any(cells) for cells in grid):
            raise ImportFileError("no_header")
        raise ImportFileError("empty")
    headers = list(grid[header_index])
    first_data = header_index + 1
    if header_index in horizontal and first_data < len(grid):
        # Two header rows: "Contacto" merged over "Teléfono" and "Correo".
        below = grid[first_data]
        headers = [
            f"{top} {below[i]}".strip() if i < len(below) and below[i] and below[i] != top else top
            for i, top in enumerate(headers)
        ]
        first_data += 1
    width = max([len(headers)] + [len(cells) for cells in grid[first_data:]])
    headers += [""] * (width - len(headers))
    rows = []
    for index in range(first_data, len(grid)):
        cells = grid[index]
        if not any(cells):
            continue
        rows.append((index + 1, cells + [""] * (width - len(cells))))
    if not rows:
        raise ImportFileError("empty")
    if len(rows) > max_rows():
        raise ImportFileError("too_many_rows")
    return Table(headers=headers, rows=rows)
