import datetime
from functools import partial

import pytest
from django.core import mail
from django.utils import timezone

from messaging.tests.worker import worker_run_queued
from signups.tests.factories import VolunteerFactory
from tests.races import require_postgresql, run_at_once
from trainings.models import Registration, Session
from trainings.services import (
    TrainingError,
    registration_calendar,
    registration_cancel,
    registration_create,
    registration_send_reminders,
)
from trainings.tests.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_registration_create_takes_a_seat():
    session = SessionFactory(capacity=2)
    registration = registration_create(session=session, volunteer=VolunteerFactory(), language="es")
    assert registration.status == Registration.Status.REGISTERED
    assert registration.language == "es"


def test_past_capacity_goes_to_the_waitlist():
    session = SessionFactory(capacity=1)
    registration_create(session=session, volunteer=VolunteerFactory())
    second = registration_create(session=session, volunteer=VolunteerFactory())
    assert second.status == Registration.Status.WAITLISTED


def test_registering_twice_returns_the_same_registration():
    session = SessionFactory()
    volunteer = VolunteerFactory()
    first = registration_create(session=session, volunteer=volunteer)
    second = registration_create(session=session, volunteer=volunteer)
    assert first.pk == second.pk
    assert Registration.objects.count() == 1


def test_a_cancelled_or_past_session_refuses_registration():
    cancelled = SessionFactory(status=Session.Status.CANCELLED)
    past = SessionFactory(starts_at=timezone.now() - datetime.timedelta(hours=3))
    for session in (cancelled, past):
        with pytest.raises(TrainingError) as refused:
            registration_create(session=session, volunteer=VolunteerFactory())
        assert refused.value.code == "session_closed"
    assert Registration.objects.count() == 0


def test_cancelling_frees_the_seat_for_the_first_waitlisted():
    session = SessionFactory(capacity=1)
    seated = registration_create(session=session, volunteer=VolunteerFactory())
    first_waiting = registration_create(session=session, volunteer=VolunteerFactory())
    registration_create(session=session, volunteer=VolunteerFactory())
    promoted = registration_cancel(registration=seated)
    assert promoted.pk == first_waiting.pk
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses[seated.pk] == Registration.Status.CANCELLED
    assert statuses[first_waiting.pk] == Registration.Status.REGISTERED
    assert list(statuses.values()).count(Registration.Status.WAITLISTED) == 1


@pytest.mark.django_db(transaction=True)
def test_a_promoted_person_is_emailed_in_their_language(django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=1)
    seated = registration_create(session=session, volunteer=VolunteerFactory())
    ana = VolunteerFactory(email="ana@example.org", contact_methods=["email"], language="es")
    registration_create(session=session, volunteer=ana, language="es")
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=seated)
    # Not from the request: the worker sends it.
    assert mail.outbox == []
    worker_run_queued()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@example.org"]
    assert "Se liberó un lugar: te inscribimos" in mail.outbox[0].subject


def test_cancelling_twice_promotes_once():
    session = SessionFactory(capacity=1)
    seated = registration_create(session=session, volunteer=VolunteerFactory())
    registration_create(session=session, volunteer=VolunteerFactory())
    registration_create(session=session, volunteer=VolunteerFactory())
    registration_cancel(registration=seated)
    assert registration_cancel(registration=seated) is None
    assert Registration.objects.filter(status=Registration.Status.REGISTERED).count() == 1


def test_cancelling_a_waitlisted_registration_promotes_nobody():
    session = SessionFactory(capacity=1)
    registration_create(session=session, volunteer=VolunteerFactory())
    waiting = registration_create(session=session, volunteer=VolunteerFactory())
    assert registration_cancel(registration=waiting) is None


def test_registering_again_after_cancelling_rejoins_at_the_end():
    session = SessionFactory(capacity=1)
    volunteer = VolunteerFactory()
    first = registration_create(session=session, volunteer=volunteer)
    registration_cancel(registration=first)
    registration_create(session=session, volunteer=VolunteerFactory())
    again = registration_create(session=session, volunteer=volunteer)
    assert again.pk == first.pk
    assert again.status == Registration.Status.WAITLISTED


@pytest.mark.django_db(transaction=True)
def test_two_registrations_racing_for_the_last_seat_get_one_seat():
    require_postgresql()
    session = SessionFactory(capacity=1)
    volunteers = [VolunteerFactory(), VolunteerFactory()]

    def register(volunteer):
        return registration_create(session=session, volunteer=volunteer).status

    results, errors = run_at_once(*(partial(register, v) for v in volunteers))
    assert errors == []
    assert sorted(results) == [Registration.Status.REGISTERED, Registration.Status.WAITLISTED]
    assert Registration.objects.filter(status=Registration.Status.REGISTERED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_reminders_go_once_to_registered_people(django_capture_on_commit_callbacks):
    soon = SessionFactory(starts_at=timezone.now() + datetime.timedelta(hours=20))
    later = SessionFactory(starts_at=timezone.now() + datetime.timedelta(days=3))
    registered_days_ago = timezone.now() - datetime.timedelta(days=2)
    due = RegistrationFactory(
        session=soon, language="es", volunteer=VolunteerFactory(contact_methods=["email"]),
        created_at=registered_days_ago,
    )
    for status in (Registration.Status.CANCELLED, Registration.Status.WAITLISTED):
        RegistrationFactory(session=soon, status=status, created_at=registered_days_ago)
    RegistrationFactory(session=later, created_at=registered_days_ago)
    with django_capture_on_commit_callbacks(execute=True):
        assert registration_send_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert registration_send_reminders() == 0
    worker_run_queued()
    assert [m.to for m in mail.outbox] == [[due.volunteer.email]]
    assert "Recordatorio" in mail.outbox[0].subject
    assert soon.address in mail.outbox[0].body


def test_the_calendar_file_speaks_the_persons_language_and_has_the_address():
    session = SessionFactory()
    registration = RegistrationFactory(session=session, language="es")
    ics = registration_calendar(registration=registration).decode()
    assert "BEGIN:VEVENT" in ics
    assert session.topic.name_es in ics
    assert "1409 S 9th St" in ics
