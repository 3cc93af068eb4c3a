import pytest

from zones.streets import display_street, normalize_street


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("S 9TH ST", "S 9TH ST"),
        ("s. 9th street", "S 9TH ST"),
        ("  South   Broad St ", "S BROAD ST"),
        ("washington avenue", "WASHINGTON AVE"),
        ("Grays Ferry Av", "GRAYS FERRY AVE"),
        ("W Passyunk Ave", "W PASSYUNK AVE"),
        ("South St", "SOUTH ST"),  # a street named South, not a direction
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_street_writes_names_as_the_city_does(text, expected):
    assert normalize_street(text) == expected


def test_display_street_reads_like_a_street_sign():
    assert display_street("S 9TH ST") == "S 9th St"
    assert display_street("WASHINGTON AVE") == "Washington Ave"
