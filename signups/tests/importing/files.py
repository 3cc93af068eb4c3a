"""Spreadsheet files shaped like the ones organizers really have, written
by the tests (no binary fixture files to drift from what they claim)."""

import io

from openpyxl import Workbook

HEADER = ["Nombre", "Teléfono", "Correo", "Dirección", "Código postal", "Idioma", "Consentimiento"]
ROWS = [
    ["María Peña", "215-555-0101", "maria@example.org", "1123 S 9th St", "19147", "Español", "Sí"],
    ["José Ortíz", "(215) 555-0102", "", "1125 S. Ninth Street", "19147", "Ambos", "Sí"],
    ["Ana Núñez", "", "ana@example.org", "", "19148", "English", ""],
]


def csv_bytes(rows, *, header=HEADER, delimiter=",", encoding="utf-8", bom=False, newline="\r\n"):
    def quote(cell):
        cell = str(cell)
        if any(ch in cell for ch in (delimiter, '"', "\n")):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    text = newline.join(delimiter.join(quote(c) for c in row) for row in [header, *rows]) + newline
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows, *, header=HEADER, title=None, merged_group=None):
    """A workbook with a title row merged across the sheet (`title`) and,
    with `merged_group=(label, first column, last column, sub-headers)`,
    two header rows: the label merged over its sub-headers."""
    workbook = Workbook()
    sheet = workbook.active
    line = 1
    if title:
        sheet.cell(row=1, column=1, value=title)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        line = 2
    if merged_group:
        label, first, last, subs = merged_group
        for index, name in enumerate(header, start=1):
            if first <= index <= last:
                continue
            sheet.cell(row=line, column=index, value=name)
            sheet.merge_cells(start_row=line, start_column=index, end_row=line + 1, end_column=index)
        sheet.cell(row=line, column=first, value=label)
        sheet.merge_cells(start_row=line, start_column=first, end_row=line, end_column=last)
        for offset, sub in enumerate(subs):
            sheet.cell(row=line + 1, column=first + offset, value=sub)
        line += 2
    else:
        for index, name in enumerate(header, start=1):
            sheet.cell(row=line, column=index, value=name)
        line += 1
    for row in rows:
        for index, value in enumerate(row, start=1):
            cell = sheet.cell(row=line, column=index, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # typed as text, as a careful user would
        line += 1
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def many_rows(count, *, start=0):
    """`count` distinct people on the 1100-1300 blocks of S 9th St."""
    rows = []
    for n in range(start, start + count):
        rows.append([
            f"Vecina {n}", f"+1215555{n:04d}" if n < 10000 else f"+1267555{n - 10000:04d}",
            f"vecina{n}@example.org", f"{1100 + (n % 3) * 100 + (n % 40)} S 9th St", "19147",
            "Español" if n % 2 else "English", "Sí" if n % 5 else "",
        ])
    return rows
