"""Addresses as neighbors type them (issue #12): each is placed on its
block at once, offered as a choice of real blocks, or not found.

The blocks are South Philadelphia's, imported from the real centerline slice
in shared/data, as in production. Its street names are derived from
intersections and miss the diagonal avenues and everything north of South
St, so the few blocks the choices below need from there are added by hand:
a choice is only ever among blocks we have.
"""

import pytest

from zones.models import Block
from zones.services import address_place
from zones.tests.factories import ZoneFactory
from zones.tests.test_import_blocks import CENTERLINE, needs_shared_data

pytestmark = [pytest.mark.django_db, needs_shared_data]

# The blocks of the real slice, read once per test run (the file is 2.7 MB).
_SLICE = []

EXTRA_BLOCKS = [
    ("N 25TH ST", 1200), ("N 10TH ST", 2300), ("N 17TH ST", 800), ("N BROAD ST", 1400), ("N BROAD ST", 2400),
    ("E PASSYUNK AVE", 1500), ("W PASSYUNK AVE", 1500), ("E PASSYUNK AVE", 1600), ("W PASSYUNK AVE", 1600),
    ("E PASSYUNK AVE", 1800), ("E MOYAMENSING AVE", 1400), ("W MOYAMENSING AVE", 1400),
]


@pytest.fixture(autouse=True)
def blocks():
    if not _SLICE:
        from zones.importing import load_features

        for feature in load_features(CENTERLINE):
            props = feature["properties"]
            if props.get("STNAME") and props.get("HUNDRED") is not None:
                _SLICE.append((props["STNAME"], props["HUNDRED"]))
    wanted = sorted(set(_SLICE) | set(EXTRA_BLOCKS))
    Block.objects.bulk_create(Block(street=street, hundred=hundred) for street, hundred in wanted)


def _units(address, street, hundred):
    """The ways the unit of `address` gets typed: first, last, in Spanish."""
    forms = [
        "Apt 2, {a}", "{a} #2R", "{a} # 4", "{a} Unit B", "Unit B, {a}", "{a} Rear", "Rear {a}",
        "{a}, 2do piso", "segundo piso, {a}", "{a} 3er piso", "{a} apto 3", "apartamento 3, {a}",
        "{a} depto", "depto 1, {a}", "casa 2, {a}", "{a}, Fl 2",
    ]
    return [(form.format(a=address), street, hundred) for form in forms]


PLACED = [
    # The unit first or anywhere, in English or Spanish.
    *_units("1712 Carpenter St", "CARPENTER ST", 1700),
    *_units("1123 S 9th St", "S 9TH ST", 1100),
    *_units("812 Tasker St", "TASKER ST", 800),
    # A letter or a half after the house number: a house split in two.
    ("1417B S 20th St", "S 20TH ST", 1400),
    ("1520A Ellsworth St", "ELLSWORTH ST", 1500),
    ("1123 1/2 S 9th St", "S 9TH ST", 1100),
    ("1123\u00bd S 9th St", "S 9TH ST", 1100),
    ("812-B Tasker St", "TASKER ST", 800),
    ("2431A S 7th St", "S 7TH ST", 2400),
    # No street type, lower case, punctuation.
    ("1032 morris", "MORRIS ST", 1000),
    ("1627 Wolf", "WOLF ST", 1600),
    ("1310 S. Front", "S FRONT ST", 1300),
    ("1310 s front", "S FRONT ST", 1300),
    ("812 TASKER", "TASKER ST", 800),
    ("2300 S. 5th", "S 5TH ST", 2300),
    ("1518 lombard", "LOMBARD ST", 1500),
    ("900 wharton st.", "WHARTON ST", 900),
    ("1921 s. bouvier", "S BOUVIER ST", 1900),
    ("1500 Oregon", "OREGON AVE", 1500),
    ("1123 Ninth St", "S 9TH ST", 1100),
    ("1123 9th St", "S 9TH ST", 1100),  # N 9th St has no 1100 block
    # The wrong type on a name only one street has.
    ("1627 Wolf Ave", "WOLF ST", 1600),
    ("812 Tasker Avenue", "TASKER ST", 800),
    # A numbered street (or Broad) without a direction: the ZIP decides.
    ("817 17th, Philly PA 19147", "S 17TH ST", 800),
    ("1233 25th st 19146", "S 25TH ST", 1200),
    ("1233 25th St, Philadelphia, PA 19146-2201", "S 25TH ST", 1200),
    ("2300 10th St, 19148", "S 10TH ST", 2300),
    ("1400 Broad St 19146", "S BROAD ST", 1400),
    ("1400 S Broad", "S BROAD ST", 1400),
    # Philadelphia's own names, and the City's table of common misspellings.
    ("1200 Wash Ave", "WASHINGTON AVE", 1200),
    ("1200 wash ave.", "WASHINGTON AVE", 1200),
    ("1800 E. Passyunk", "E PASSYUNK AVE", 1800),
    ("1800 East Passyunk Avenue", "E PASSYUNK AVE", 1800),
    ("1200 Dickenson St", "DICKINSON ST", 1200),
    ("900 Catherine St", "CATHARINE ST", 900),
    ("2000 Mckeen St", "MCKEAN ST", 2000),
    # Spanish street words, and the ordinals Segunda ... Vigésima.
    ("1000 Calle Tasker", "TASKER ST", 1000),
    ("1000 calle tasker, apto 2", "TASKER ST", 1000),
    ("1200 Avenida Washington", "WASHINGTON AVE", 1200),
    ("1900 Avenida Snyder", "SNYDER AVE", 1900),
    ("1500 Avenida Oregon", "OREGON AVE", 1500),
    ("1123 Novena Sur", "S 9TH ST", 1100),
    ("1123 Calle 9 Sur", "S 9TH ST", 1100),
    ("1123 S. Novena St", "S 9TH ST", 1100),
    ("1123 Calle Novena Sur, 2do piso", "S 9TH ST", 1100),
    ("1100 Segunda Sur", "S 2ND ST", 1100),
    ("1100 Calle Tercera Sur", "S 3RD ST", 1100),
    ("1100 Cuarta Sur", "S 4TH ST", 1100),
    ("1100 Quinta Sur", "S 5TH ST", 1100),
    ("1100 Sexta Sur", "S 6TH ST", 1100),
    ("1100 Séptima Sur", "S 7TH ST", 1100),
    ("1100 Octava Sur", "S 8TH ST", 1100),
    ("1100 Décima Sur", "S 10TH ST", 1100),
    ("1100 Undécima Sur", "S 11TH ST", 1100),
    ("1100 Décima Primera Sur", "S 11TH ST", 1100),
    ("1100 Duodécima Sur", "S 12TH ST", 1100),
    ("1100 Decimotercera Sur", "S 13TH ST", 1100),
    ("1100 Décima Quinta Sur", "S 15TH ST", 1100),
    ("1100 Decimosexta Sur", "S 16TH ST", 1100),
    ("1100 Décima Séptima Sur", "S 17TH ST", 1100),
    ("1100 Décima Octava Sur", "S 18TH ST", 1100),
    ("1100 Calle Vigésima Sur", "S 20TH ST", 1100),
    ("1300 Vigésima Primera Sur", "S 21ST ST", 1300),
]

OFFERED = [
    # A numbered street or Broad St with no direction and no ZIP to decide.
    ("1233 25th st", [("N 25TH ST", 1200), ("S 25TH ST", 1200)]),
    ("2300 10th St", [("N 10TH ST", 2300), ("S 10TH ST", 2300)]),
    ("817 17th", [("N 17TH ST", 800), ("S 17TH ST", 800)]),
    ("1400 Broad St", [("N BROAD ST", 1400), ("S BROAD ST", 1400)]),
    ("2400 Broad", [("N BROAD ST", 2400), ("S BROAD ST", 2400)]),
    # Center City's ZIPs straddle Market St: they decide nothing.
    ("1400 Broad St 19102", [("N BROAD ST", 1400), ("S BROAD ST", 1400)]),
    # Streets that exist East and West.
    ("1600 Passyunk Ave", [("E PASSYUNK AVE", 1600), ("W PASSYUNK AVE", 1600)]),
    ("1500 Passyunk", [("E PASSYUNK AVE", 1500), ("W PASSYUNK AVE", 1500)]),
    ("1400 Moyamensing Ave", [("E MOYAMENSING AVE", 1400), ("W MOYAMENSING AVE", 1400)]),
    # Misspelled: the closest real streets that have that number.
    ("1518 Lombradd", [("LOMBARD ST", 1500)]),
    ("621 Ritnre St", [("RITNER ST", 600)]),
    ("922 Portr Street", [("PORTER ST", 900)]),
    ("1100 Tasher St", [("TASKER ST", 1100)]),
    ("1000 Wharten St", [("WHARTON ST", 1000)]),
    ("700 Mifflen St", [("MIFFLIN ST", 700)]),
    ("1900 Snider Ave", [("SNYDER AVE", 1900)]),
    ("1100 Federl St", [("FEDERAL ST", 1100)]),
    ("500 Jakson St", [("JACKSON ST", 500)]),
    ("Apt 3, 1518 Lombradd St", [("LOMBARD ST", 1500)]),
    # Washington Ave, or E Washington Ln in Germantown: only the block we
    # have is offered.
    ("1200 washington", [("WASHINGTON AVE", 1200)]),
]

NOT_FOUND = [
    "asdf", "asdf 5", "1123", "19147", "Tasker St", "Broad and Tasker", "99999 Tasker St", "0 Tasker St",
    "123 Foo Bar St", "1123 Nonexistent Blvd", "1123 Main St, New York, NY", "1 OR 1=1", "P.O. Box 123",
    "N/A", "Apt 2", "Apt 2, Carpenter St", "1200 Primera Sur",  # Philadelphia has no 1st St
    "5000 Tasker St",  # Tasker St ends at 3300
    "1518 Xyzzy St", "9999 Lombradd", "1123 Calle Falsa 123", "<script>alert(1)</script>",
    "'; DROP TABLE zones_block; --",
]


@pytest.mark.parametrize(("text", "street", "hundred"), PLACED)
def test_an_address_as_typed_is_placed_on_its_block(text, street, hundred):
    place = address_place(text=text)

    assert (place.block.street, place.block.hundred) == (street, hundred)
    assert place.choices == ()


@pytest.mark.parametrize(("text", "expected"), OFFERED)
def test_an_unclear_address_offers_the_real_blocks_it_could_mean(text, expected):
    place = address_place(text=text)

    assert place.block is None
    assert sorted((c.block.street, c.block.hundred) for c in place.choices) == sorted(expected)


@pytest.mark.parametrize("text", NOT_FOUND)
def test_junk_is_not_found_and_never_guessed(text):
    place = address_place(text=text)

    assert (place.block, place.choices) == (None, ())


def test_there_are_at_least_150_inputs():
    assert len(PLACED) + len(OFFERED) + len(NOT_FOUND) >= 150


def test_the_zip_typed_in_the_address_comes_back():
    assert address_place(text="817 17th, Philly PA 19147").zip_code == "19147"
    assert address_place(text="1233 25th st").zip_code == ""


def test_a_zip_typed_on_its_own_decides_north_or_south():
    place = address_place(text="1233 25th st", zip_code="19146")

    assert (place.block.street, place.block.hundred) == ("S 25TH ST", 1200)


def test_the_campaign_area_decides_north_or_south_without_a_zip():
    Block.objects.filter(street="S 25TH ST", hundred=1200).update(zone=ZoneFactory())

    place = address_place(text="1233 25th st")

    assert (place.block.street, place.block.hundred) == ("S 25TH ST", 1200)


def test_the_campaign_area_never_decides_east_or_west():
    # E and W Passyunk Ave are neighbors: a neighbor of the other one must
    # not be placed here silently.
    Block.objects.filter(street="E PASSYUNK AVE", hundred=1600).update(zone=ZoneFactory())

    place = address_place(text="1600 Passyunk Ave")

    assert place.block is None
    assert len(place.choices) == 2


def test_a_choice_is_only_among_blocks_we_have():
    Block.objects.filter(street="N 25TH ST").delete()

    place = address_place(text="1233 25th st")

    assert [(c.block.street, c.block.hundred) for c in place.choices] == [("S 25TH ST", 1200)]


def test_a_misspelled_street_is_never_a_new_block():
    before = Block.objects.count()

    address_place(text="1518 Lombradd")

    assert Block.objects.count() == before


def test_the_choice_picked_is_found_by_its_value():
    place = address_place(text="1233 25th st")
    south = Block.objects.get(street="S 25TH ST", hundred=1200)

    assert place.choice(str(south.pk)).resolved.house_number == 1233
    assert place.choice("999999999") is None
    assert place.choice("") is None


def test_the_choices_cost_one_query(django_assert_num_queries):
    address_place(text="1233 25th st")  # loads the parser, outside the count
    with django_assert_num_queries(1):  # the candidate blocks with their zones
        address_place(text="1600 Passyunk Ave")

