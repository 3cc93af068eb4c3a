"""Admin search ignores accents and case (zones.admin_search): organizers
type names the way they hear them."""

import pytest
from django.db import connection

from signups.tests.factories import VolunteerFactory
from trainings.tests.factories import SessionFactory
from zones.admin_search import fold_accents
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, admin_user, otp_login):
    otp_login(client, admin_user)
    return client


def _found(client, url, term):
    response = client.get(url, {"q": term})
    assert response.status_code == 200
    return [str(row) for row in response.context["cl"].result_list]


def test_the_unaccent_extension_is_installed_by_the_migrations():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")
        assert cursor.fetchone() is not None


def test_searching_ortiz_finds_ortiz_with_an_accent(superuser_client):
    VolunteerFactory(name="Rosa Ortíz")
    VolunteerFactory(name="Ana Ruiz")
    assert _found(superuser_client, "/admin/signups/volunteer/", "Ortiz") == ["Rosa Ortíz"]


def test_searching_munoz_in_capitals_finds_munoz(superuser_client):
    VolunteerFactory(name="José Muñoz")
    assert _found(superuser_client, "/admin/signups/volunteer/", "MUÑOZ") == ["José Muñoz"]
    assert _found(superuser_client, "/admin/signups/volunteer/", "munoz") == ["José Muñoz"]


def test_an_accented_search_finds_a_name_typed_without_accents(superuser_client):
    VolunteerFactory(name="Jose Pena")
    assert _found(superuser_client, "/admin/signups/volunteer/", "josé peña") == ["Jose Pena"]


def test_a_phone_number_is_still_found_the_way_people_say_it(superuser_client):
    VolunteerFactory(name="Rosa Ortíz", phone="+12155550123")
    assert _found(superuser_client, "/admin/signups/volunteer/", "215-555-0123") == ["Rosa Ortíz"]


def test_an_organizer_finds_only_their_zones_people_without_accents(client, otp_login):
    from tests.query_budget import organizer_of

    mine = ZoneFactory(slug="mine")
    VolunteerFactory(name="Rosa Ortíz", block=BlockFactory(zone=mine))
    VolunteerFactory(name="Raúl Ortíz", block=BlockFactory(zone=ZoneFactory(slug="theirs")))
    otp_login(client, organizer_of(mine))
    assert _found(client, "/admin/signups/volunteer/", "ortiz") == ["Rosa Ortíz"]


def test_block_search_ignores_accents(superuser_client):
    BlockFactory(street="CALLE PEÑA", hundred=100)
    found = _found(superuser_client, "/admin/zones/block/", "pena")
    assert len(found) == 1


def test_session_search_ignores_accents(superuser_client):
    SessionFactory(location_name_en="Iglesia San Andrés")
    found = _found(superuser_client, "/admin/trainings/session/", "andres")
    assert len(found) == 1


def test_the_sqlite_fold_strips_accents_and_case():
    assert fold_accents("MUÑOZ Ortíz Ñandú Çà") == "munoz ortiz nandu ca"
    assert fold_accents(None) is None
