import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from trainings.models import Registration
from trainings.tests.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_send_reminders_sends_each_reminder_once_in_the_persons_language():
    soon = SessionFactory(starts_at=timezone.now() + datetime.timedelta(hours=12))
    spanish = RegistrationFactory(session=soon, language="es")
    english = RegistrationFactory(session=soon, language="en")
    RegistrationFactory(session=soon, status=Registration.Status.CANCELLED)
    out = StringIO()
    call_command("send_reminders", stdout=out)
    call_command("send_reminders", stdout=out)
    assert out.getvalue().splitlines() == ["Reminders sent: 2", "Reminders sent: 0"]
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        spanish.volunteer.email: "Recordatorio: tu taller es mañana",
        english.volunteer.email: "Reminder: your training is tomorrow",
    }
    spanish_body = next(m.body for m in mail.outbox if m.to == [spanish.volunteer.email])
    spanish.refresh_from_db()  # the reminder rotated its link
    # The topic's name is quoted, not dropped into the sentence.
    assert f"Te recordamos tu taller de mañana, «{soon.topic.name_es}»." in spanish_body
    assert f"http://127.0.0.1:8000/es/trainings/r/{spanish.cancel_token}/" in spanish_body
