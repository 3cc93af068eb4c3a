"""What zones.address_words takes off or translates before passyunk reads an
address (no database: plain text in, words out)."""

import pytest

from zones.address_words import as_typed


@pytest.mark.parametrize(
    ("text", "number", "street"),
    [
        ("Apt 2, 1712 Carpenter St", "1712", ("CARPENTER", "ST")),
        ("apartamento 3 1712 Carpenter St", "1712", ("CARPENTER", "ST")),
        ("1712 Carpenter St 2do piso", "1712", ("CARPENTER", "ST")),
        ("1417B S 20th St", "1417", ("S", "20TH", "ST")),
        ("1123 Calle Novena Sur", "1123", ("S", "9TH")),
        ("1123 Calle 9 Sur", "1123", ("S", "9TH")),
        ("1200 Avenida Washington", "1200", ("WASHINGTON", "AVE")),
        ("1200 Wash Ave", "1200", ("WASHINGTON", "AVE")),
        ("1300 Vigesima Primera Sur", "1300", ("S", "21ST")),
        ("1100 Decimotercera Sur", "1100", ("S", "13TH")),
        ("1123 Main St, New York, NY", "1123", ("MAIN", "ST")),
        ("1123-25 S 9th St", "1123-25", ("S", "9TH", "ST")),
    ],
)
def test_the_words_passyunk_gets(text, number, street):
    typed = as_typed(text)

    assert (typed.number, typed.street) == (number, street)


def test_a_zip_at_the_end_is_taken_out_and_kept():
    typed = as_typed("817 17th, Philly PA 19147-1234")

    assert (typed.street, typed.zip_code) == (("17TH",), "19147")


def test_what_was_typed_is_told_apart_from_what_the_parser_fills_in():
    assert as_typed("1123 S 9th St").direction and as_typed("1123 S 9th St").suffix
    assert not as_typed("1032 morris").suffix
    # "South St" is a street named South, not a direction.
    assert not as_typed("600 South St").direction


@pytest.mark.parametrize("text", ["Apt 2", "Tasker St", "P O Box 123", "19147", "Rear 5"])
def test_without_a_house_number_and_a_street_there_is_nothing_to_read(text):
    assert as_typed(text) is None
