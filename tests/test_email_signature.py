"""Every email says who sends it, and that we never ask about status.

A message that mentions ICE and carries a link but no sender reads like a
scam, so each email template ends with templates/email/_signature.txt."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import timezone, translation

from trainings.tests.factories import RegistrationFactory, SessionFactory

EMAIL_TEMPLATES = sorted(
    path
    for app in ("signups", "trainings")
    for path in (Path(settings.BASE_DIR) / app / "templates").glob("*/email/*.txt")
)


def test_there_are_email_templates():
    assert len(EMAIL_TEMPLATES) >= 4


@pytest.mark.parametrize("path", EMAIL_TEMPLATES, ids=lambda p: p.name)
def test_every_email_template_ends_with_the_signature(path):
    assert '{% include "email/_signature.txt" %}' in path.read_text()


@pytest.mark.parametrize(("language", "line"), [
    ("en", "— Community Resistance Zone · We will never ask about your immigration status."),
    ("es", "— Zona de Resistencia Comunitaria · Nunca te vamos a preguntar por tu estatus migratorio."),
])
def test_the_signature_is_in_the_language_of_the_email(language, line):
    with translation.override(language):
        assert render_to_string("email/_signature.txt").strip() == line


@pytest.mark.django_db
def test_a_spanish_reminder_is_signed_in_spanish(django_capture_on_commit_callbacks):
    soon = SessionFactory(starts_at=timezone.now() + datetime.timedelta(hours=12))
    RegistrationFactory(session=soon, language="es")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=StringIO())
    body = mail.outbox[0].body
    assert body.rstrip().endswith("Nunca te vamos a preguntar por tu estatus migratorio.")
