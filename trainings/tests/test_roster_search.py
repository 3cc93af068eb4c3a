"""The roster's search without JavaScript (the Search button) finds names
the way the script does: every word typed, accents and case ignored."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.auth import browser_share_session
from trainings.tests.factories import RegistrationFactory, SessionFactory


def _shown(response):
    page = response.content.decode()
    rows = page.split('<li class="roster-row')[1:]
    return sorted(row.split('data-name="')[1].split('"')[0] for row in rows if " hidden>" not in row.split(">")[0] + ">")


def test_search_ignores_accents_and_case(trainer_client, session_today):
    RegistrationFactory(session=session_today, volunteer__name="María Peña López")
    RegistrationFactory(session=session_today, volunteer__name="Beto Ruiz")
    url = reverse("trainings:roster", args=[session_today.pk])

    assert _shown(trainer_client.get(url, {"q": "PENA"})) == ["María Peña López"]
    assert _shown(trainer_client.get(url, {"q": "maría"})) == ["María Peña López"]


def test_search_matches_every_word_anywhere_in_the_name(trainer_client, session_today):
    RegistrationFactory(session=session_today, volunteer__name="María Peña López")
    RegistrationFactory(session=session_today, volunteer__name="María Ruiz")
    url = reverse("trainings:roster", args=[session_today.pk])

    # First name and second surname, skipping the first surname.
    assert _shown(trainer_client.get(url, {"q": "maria lopez"})) == ["María Peña López"]
    assert _shown(trainer_client.get(url, {"q": "maria"})) == ["María Peña López", "María Ruiz"]
    assert _shown(trainer_client.get(url, {"q": "maria gomez"})) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_typing_filters_by_every_word_without_accents(phone_page, live_server, client, trainer, log_in):
    now = timezone.now()
    session = SessionFactory(
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=2), trainers=[trainer]
    )
    RegistrationFactory(session=session, volunteer__name="María Peña López")
    RegistrationFactory(session=session, volunteer__name="María Ruiz")
    log_in(client, trainer)
    browser_share_session(phone_page.context, client, live_server)
    phone_page.goto(f"{live_server.url}/es/trainer/sessions/{session.pk}/")

    phone_page.locator("#roster-q").fill("maria lopez")

    visible = phone_page.locator(".roster-row:visible .roster-name")
    assert visible.all_inner_texts() == ["María Peña López"]
