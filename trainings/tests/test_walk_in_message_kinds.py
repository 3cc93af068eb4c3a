"""The trainer's walk-in form asks the person which messages they want,
one box per kind (the phone's queue keeps one value per field name)."""

import uuid

import pytest
from django.urls import reverse

from signups.models import Volunteer
from signups.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def _walk_in(trainer_client, session, **fields):
    data = {"name": "Marta Gómez", "phone": "215 555 0177", "email": "", "language": "es", "address": "19148",
            "consent": "on", "nonce": uuid.uuid4(), **fields}
    return trainer_client.post(reverse("trainings:walk-in", args=[session.pk]), data)


def test_the_walk_in_form_asks_each_kind_in_the_trainers_words(trainer_client, session_today):
    page = trainer_client.get(reverse("trainings:walk-in", args=[session_today.pk])).content.decode()
    for label in ("Wants reminders of the trainings they sign up for", "Wants news of the campaign",
                  "Wants urgent alerts when something happens near them"):
        assert label in page
    assert 'name="kinds_asked"' in page


def test_the_kinds_ticked_are_kept(trainer_client, session_today):
    response = _walk_in(trainer_client, session_today, kinds_asked="True", wants_reminder="on", wants_urgent="on")
    assert response.status_code == 302
    assert Volunteer.objects.get().message_kinds == ["reminder", "urgent"]


def test_none_ticked_is_an_answer(trainer_client, session_today):
    _walk_in(trainer_client, session_today, kinds_asked="True")
    assert Volunteer.objects.get().message_kinds == []


def test_a_walk_in_queued_before_the_question_existed_changes_no_consent(trainer_client, session_today):
    _walk_in(trainer_client, session_today)
    assert Volunteer.objects.get().message_kinds == ["reminder", "news"]


def test_a_known_person_gains_kinds_and_loses_none(trainer_client, session_today):
    known = VolunteerFactory(name="Marta Gómez", phone="+12155550177", language="es", message_kinds=["news"])
    _walk_in(trainer_client, session_today, kinds_asked="True", wants_reminder="on")
    known.refresh_from_db()
    assert known.message_kinds == ["news", "reminder"]
