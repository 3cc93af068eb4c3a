"""A trainer who opens a roster before the training's day is warned that a
check-in counts as having attended."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from trainings.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_a_roster_a_week_early_warns_the_trainer(trainer_client, trainer):
    session = SessionFactory(starts_at=timezone.now() + datetime.timedelta(days=7), trainers=[trainer])
    page = trainer_client.get(reverse("trainings:roster", args=[session.pk])).content.decode()
    assert "data-early-warning" in page
    assert "not today" in page


def test_the_roster_on_the_day_has_no_warning(trainer_client, session_today):
    page = trainer_client.get(reverse("trainings:roster", args=[session_today.pk])).content.decode()
    assert "data-early-warning" not in page


def test_the_warning_speaks_spanish(trainer_client, trainer):
    session = SessionFactory(starts_at=timezone.now() + datetime.timedelta(days=7), trainers=[trainer])
    page = trainer_client.get(f"/es/trainer/sessions/{session.pk}/").content.decode()
    assert "no hoy" in page
