"""The calendar file a registered person downloads."""

import icalendar
import pytest

from trainings.services import registration_calendar
from trainings.tests.factories import RegistrationFactory, SessionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def _description(registration):
    calendar = icalendar.Calendar.from_ical(registration_calendar(registration=registration))
    return str(next(iter(calendar.walk("VEVENT")))["description"])


def test_the_description_names_the_topic_and_links_to_cancel(settings):
    settings.SITE_URL = "https://zone.example.org"
    topic = TopicFactory(name_en="Rapid response", name_es="Respuesta rápida")
    registration = RegistrationFactory(session=SessionFactory(topic=topic), language="es")

    description = _description(registration)

    assert description.startswith("Respuesta rápida.")
    # Not every training is a know-your-rights one.
    assert "Conoce tus derechos" not in description
    assert f"https://zone.example.org/es/trainings/r/{registration.cancel_token}/" in description


def test_the_description_is_in_english_for_an_english_registration(settings):
    settings.SITE_URL = "https://zone.example.org"
    registration = RegistrationFactory(language="en")

    description = _description(registration)

    assert "Language: Bilingual" in description
    assert f"https://zone.example.org/en/trainings/r/{registration.cancel_token}/" in description
