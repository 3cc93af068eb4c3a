"""A session's place is named in the page's language, like the other
bilingual texts: "St. Thomas parish hall" on a Spanish page was a slip."""

import pytest
from django.urls import reverse
from django.utils import translation

from trainings.tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, log_in):
    return log_in(client, UserFactory(username="boss", is_superuser=True))


def test_a_spanish_page_names_the_place_in_spanish(client):
    session = SessionFactory(location_name_en="St. Thomas parish hall", location_name_es="Salón parroquial de Santo Tomás")
    spanish = client.get(f"/es/trainings/{session.pk}/").content.decode()
    english = client.get(f"/en/trainings/{session.pk}/").content.decode()
    assert "Salón parroquial de Santo Tomás" in spanish
    assert "St. Thomas parish hall" not in spanish
    assert "St. Thomas parish hall" in english


def test_without_a_spanish_name_the_english_one_is_shown():
    session = SessionFactory(location_name_en="Community center", location_name_es="")
    with translation.override("es"):
        assert session.location_name == "Community center"


def test_the_organizer_edits_both_names_side_by_side(admin_client):
    session = SessionFactory()
    page = admin_client.get(reverse("admin:trainings_session_change", args=[session.pk])).content.decode()
    assert 'name="location_name_en"' in page
    assert 'name="location_name_es"' in page
