"""The organizers' admin in Spanish, including the strings Django 6.1's own
Spanish catalog leaves in English (signups/django_catalog_gaps.py)."""

import pytest
from django.conf import settings

from signups.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish_organizer(admin_user, client, otp_login):
    otp_login(client, admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


def test_the_action_bar_and_empty_choice_are_in_spanish(spanish_organizer):
    VolunteerFactory()  # The action bar shows only above a list with rows.
    page = spanish_organizer.get("/admin/signups/volunteer/").content.decode()

    assert ">Ejecutar</button>" in page
    assert "- Elige una opción -" in page
    assert "Buscar voluntarios/as" in page
    assert ">Run</button>" not in page
    assert "Select an option" not in page


def test_the_csv_export_header_is_capitalized_in_spanish(spanish_organizer):
    volunteer = VolunteerFactory()
    response = spanish_organizer.post(
        "/admin/signups/volunteer/",
        {"action": "export_csv", "_selected_action": [volunteer.pk], "confirm": "yes"},
    )
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert ",Código postal," in header
