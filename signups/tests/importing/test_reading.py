"""Reading the files organizers really have: encodings, delimiters, title
rows and merged headers, empty rows; anything else refused with a reason."""

import pytest

from signups.importing.columns import mapping_guess
from signups.importing.reading import ImportFileError, table_read
from signups.tests.importing.files import HEADER, ROWS, csv_bytes, xlsx_bytes


def _names(table):
    return [cells[0] for _n, cells in table.rows]


@pytest.mark.parametrize("bom", [False, True])
def test_utf8_with_and_without_a_byte_order_mark_reads_the_accents(bom):
    table = table_read(content=csv_bytes(ROWS, bom=bom), file_name="list.csv")
    assert table.headers == HEADER
    assert _names(table) == ["María Peña", "José Ortíz", "Ana Núñez"]


def test_windows_1252_from_excel_reads_the_accents():
    table = table_read(content=csv_bytes(ROWS, encoding="cp1252"), file_name="lista.csv")
    assert table.headers[1] == "Teléfono"
    assert _names(table) == ["María Peña", "José Ortíz", "Ana Núñez"]


def test_a_semicolon_delimited_file_from_a_spanish_excel_is_split_on_semicolons():
    rows = [["Peña, María", "215-555-0101", "", "1123 S 9th St", "19147", "es", "Sí"]]
    table = table_read(content=csv_bytes(rows, delimiter=";", encoding="cp1252"), file_name="lista.csv")
    assert table.rows[0][1][:2] == ["Peña, María", "215-555-0101"]


def test_empty_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers():
    rows = [ROWS[0], ["", "", "", "", "", "", ""], [], ROWS[1]]
    table = table_read(content=csv_bytes(rows), file_name="list.csv")
    assert [number for number, _cells in table.rows] == [2, 5]


def test_an_xlsx_with_a_merged_title_row_finds_the_header_below_it():
    content = xlsx_bytes(ROWS, title="Hoja de asistencia — noviembre")
    table = table_read(content=content, file_name="hoja.xlsx")
    assert table.headers == HEADER
    assert table.rows[0][0] == 3
    assert _names(table)[0] == "María Peña"


def test_an_xlsx_with_a_header_merged_over_two_columns_names_both():
    content = xlsx_bytes(ROWS, merged_group=("Contacto", 2, 3, ["Teléfono", "Correo"]))
    table = table_read(content=content, file_name="hoja.xlsx")
    assert table.headers[:3] == ["Nombre", "Contacto Teléfono", "Contacto Correo"]
    assert mapping_guess(table.headers)["phone"] == 1
    assert mapping_guess(table.headers)["email"] == 2
    assert _names(table) == ["María Peña", "José Ortíz", "Ana Núñez"]


def test_numbers_typed_into_excel_cells_come_back_without_a_decimal_point():
    rows = [["María", 2155550101, "", "", 19147, "es", "yes"]]
    table = table_read(content=xlsx_bytes(rows), file_name="hoja.xlsx")
    assert table.rows[0][1][1] == "2155550101"
    assert table.rows[0][1][4] == "19147"


@pytest.mark.parametrize(
    "content, name",
    [
        (b"%PDF-1.7 \x00\x01 binary", "list.pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "old.xls"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "renamed.csv"),
        (b"PK\x03\x04 not really a workbook", "list.xlsx"),
        (b"PK\x03\x04 a zip", "list.csv"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_reason(content, name):
    with pytest.raises(ImportFileError) as refusal:
        table_read(content=content, file_name=name)
    assert refusal.value.code in {"wrong_type", "unreadable"}
    assert "spreadsheet" in refusal.value.message or "read" in refusal.value.message


def test_a_file_with_only_a_header_is_refused_as_empty():
    with pytest.raises(ImportFileError) as refusal:
        table_read(content=csv_bytes([]), file_name="list.csv")
    assert refusal.value.code == "empty"


def test_a_file_larger_than_the_limit_is_refused_before_it_is_parsed(settings):
    settings.IMPORT_MAX_BYTES = 1000
    with pytest.raises(ImportFileError) as refusal:
        table_read(content=b"a,b\n" * 1000, file_name="list.csv")
    assert refusal.value.code == "too_large"
    assert "1000" not in refusal.value.message  # megabytes, as people read them


def test_the_headers_are_guessed_in_english_and_spanish():
    assert mapping_guess(HEADER) == {
        "name": 0, "phone": 1, "email": 2, "address": 3, "zip_code": 4, "language": 5, "consent": 6,
    }
    google = ["Timestamp", "Email Address", "Full name", "Phone number", "Home address",
              "Preferred language", "Do you agree to be contacted?"]
    assert mapping_guess(google) == {
        "consent_date": 0, "email": 1, "name": 2, "phone": 3, "address": 4, "language": 5, "consent": 6,
    }
    spanish_google = ["Marca temporal", "Dirección de correo electrónico", "Nombre completo",
                      "Número de teléfono", "Dirección", "Idioma preferido", "¿Aceptas que te contactemos?"]
    assert mapping_guess(spanish_google) == {
        "consent_date": 0, "email": 1, "name": 2, "phone": 3, "address": 4, "language": 5, "consent": 6,
    }
    assert mapping_guess(["First name", "Last name", "Cell"]) == {"first_name": 0, "last_name": 1, "phone": 2}
