"""The refused rows as a CSV, with a column saying why, ready to be fixed
and uploaded again."""

import csv
import io

from django.utils.translation import gettext

from signups.exports import spreadsheet_cell
from signups.importing.rows import REASONS

# The reason column's header in the kept file, replaced by its translation
# when downloaded (the kept file is made before anyone reads it).
_REASON_MARK = "\u0000reason"


def refused_table_bytes(table, results):
    """The header, then each refused row with its reason code last (UTF-8);
    made from the file and the results, for keeping after the import."""
    refused = {r["row"]: r["reason"] for r in results if r["outcome"] == "refused"}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*table.headers, _REASON_MARK])
    for number, cells in table.rows:
        if number in refused:
            writer.writerow([*cells, refused[number]])
    return out.getvalue().encode("utf-8")


def refused_csv(kept):
    """The download: `kept` (refused_table_bytes) with the reasons in the
    active language, UTF-8 with a BOM for Excel, every cell passed through
    spreadsheet_cell so a =HYPERLINK(...) typed in the file stays text."""
    rows = list(csv.reader(io.StringIO(bytes(kept).decode("utf-8"))))
    out = io.StringIO()
    writer = csv.writer(out)
    for index, cells in enumerate(rows):
        if not cells:
            continue
        *values, reason = cells
        if index == 0:
            reason = gettext("Why it was refused")
        else:
            reason = str(REASONS.get(reason, reason))
        writer.writerow([spreadsheet_cell(v) for v in values] + [spreadsheet_cell(reason)])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")
