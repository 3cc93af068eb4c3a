"""The landing page /<lang>/."""

import datetime

import pytest
from django.utils import translation
from django.utils.formats import date_format

from signups.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_the_landing_page_explains_the_zone_and_leads_to_the_form(client):
    page = client.get("/en/").content.decode()
    assert "block by block" in page
    assert "racial profiling, a police or ICE raid, or a hate crime" in page
    assert "No one will ever ask about your immigration status" in page
    assert 'href="/en/join/"' in page


def test_the_landing_page_shows_the_open_campaign_with_its_dates_and_intro(client):
    CampaignFactory(
        name_en="Launch weekend",
        intro_en="Meet us at the church on 9th St.",
        starts_on=datetime.date(2026, 11, 28),
        ends_on=datetime.date(2026, 11, 29),
    )
    page = client.get("/en/").content.decode()
    assert "Launch weekend" in page
    assert "Saturday, November 28 – Sunday, November 29, 2026</p>" in page
    assert "Meet us at the church on 9th St." in page


def test_the_landing_page_in_spanish_shows_the_campaign_in_spanish(client):
    CampaignFactory(
        name_es="Fin de semana de lanzamiento",
        intro_es="Nos vemos en la iglesia.",
        starts_on=datetime.date(2026, 11, 28),
        ends_on=datetime.date(2026, 11, 29),
    )
    page = client.get("/es/").content.decode()
    assert "Fin de semana de lanzamiento" in page
    # Weekday names come from the catalog (msgid "Saturday"), shared with
    # other pages; the sentence around them is this page's.
    with translation.override("es"):
        saturday = date_format(datetime.date(2026, 11, 28), "l")
        sunday = date_format(datetime.date(2026, 11, 29), "l")
    assert saturday.lower() == "sábado"
    assert f"Del {saturday} 28 al {sunday} 29 de noviembre de 2026</p>" in page
    assert "Nos vemos en la iglesia." in page
    assert "Nadie te va a preguntar nunca por tu estatus migratorio" in page
    assert 'href="/es/join/"' in page


def test_a_closed_campaign_is_said_to_be_closed(client):
    CampaignFactory(name_en="Launch weekend", is_open=False)
    page = client.get("/en/").content.decode()
    assert "Sign-ups for “Launch weekend” have closed." in page


def test_the_landing_page_works_with_no_campaign_at_all(client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert "have closed" not in response.content.decode()
