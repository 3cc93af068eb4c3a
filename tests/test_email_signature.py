"""Every email says who sends it, and that we never ask about status.

A message that mentions ICE and carries a link but no sender reads like a
scam, so every email ends with templates/email/_signature.txt: the footer
messaging adds to each one (templates/messages/_footer.email.txt) carries
it, and the email templates leave it to the footer, so it comes once."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import timezone, translation

from messaging.tests.worker import worker_run_queued
from signups.tests.factories import VolunteerFactory
from trainings.tests.factories import RegistrationFactory, SessionFactory

EMAIL_TEMPLATES = sorted(
    path
    for app in ("signups", "trainings")
    for path in (Path(settings.BASE_DIR) / "templates" / "messages" / app).glob("*.email.txt")
)


def test_there_are_email_templates():
    assert len(EMAIL_TEMPLATES) >= 4


def test_the_footer_of_every_email_carries_the_signature():
    footer = Path(settings.BASE_DIR) / "templates" / "messages" / "_footer.email.txt"
    assert '{% include "email/_signature.txt" %}' in footer.read_text()


@pytest.mark.parametrize("path", EMAIL_TEMPLATES, ids=lambda p: p.name)
def test_no_email_template_signs_twice(path):
    assert "_signature.txt" not in path.read_text()


@pytest.mark.parametrize(("language", "line"), [
    ("en", "— Community Resistance Zone · We will never ask about your immigration status."),
    ("es", "— Zona de Resistencia Comunitaria · Nunca te vamos a preguntar por tu estatus migratorio."),
])
def test_the_signature_is_in_the_language_of_the_email(language, line):
    with translation.override(language):
        assert render_to_string("email/_signature.txt").strip() == line


@pytest.mark.django_db(transaction=True)
def test_a_spanish_reminder_is_signed_in_spanish_once():
    soon = SessionFactory(starts_at=timezone.now() + datetime.timedelta(hours=12))
    RegistrationFactory(
        session=soon, language="es", created_at=timezone.now() - datetime.timedelta(days=2),
        volunteer=VolunteerFactory(language="es", contact_methods=["email"]),
    )
    call_command("send_reminders", stdout=StringIO())
    worker_run_queued()
    body = mail.outbox[0].body
    assert body.rstrip().endswith("Nunca te vamos a preguntar por tu estatus migratorio.")
    assert body.count("Nunca te vamos a preguntar por tu estatus migratorio.") == 1
