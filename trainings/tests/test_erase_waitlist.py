"""Forget-me and the trainings: erasing a registered person gives their seat
to the first person on the waitlist, as "I can't come" does, and their name
leaves the trainer's roster at once (issue #11, item 6)."""

import pytest
from django.core import mail
from django.urls import reverse

from messaging.tests.worker import worker_run_queued
from signups.retention import volunteer_erase
from signups.tests.factories import VolunteerFactory
from trainings.models import Registration
from trainings.services import registration_create
from trainings.tests.factories import RegistrationFactory, SessionFactory


@pytest.fixture
def full_session(db):
    """One seat, taken by Rosa; Ana and then Beto wait for it."""
    session = SessionFactory(capacity=1)
    rosa = registration_create(session=session, volunteer=VolunteerFactory(name="Rosa Méndez"))
    ana = registration_create(
        session=session, volunteer=VolunteerFactory(name="Ana", email="ana@example.org", contact_methods=["email"]),
        language="es",
    )
    beto = registration_create(session=session, volunteer=VolunteerFactory(name="Beto"))
    assert [r.status for r in (rosa, ana, beto)] == ["registered", "waitlisted", "waitlisted"]
    return session, rosa, ana, beto


def test_erasing_a_registered_person_gives_the_seat_to_the_first_waitlisted(full_session):
    session, rosa, ana, beto = full_session

    volunteer_erase(volunteer=rosa.volunteer, user=None)

    statuses = dict(Registration.objects.filter(session=session).values_list("pk", "status"))
    assert statuses == {ana.pk: "registered", beto.pk: "waitlisted"}


@pytest.mark.django_db(transaction=True)
def test_the_promoted_person_gets_the_seat_opened_up_email(full_session):
    session, rosa, ana, beto = full_session

    volunteer_erase(volunteer=rosa.volunteer, user=None)
    worker_run_queued()

    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    assert "Se liberó un lugar: te inscribimos" in mail.outbox[0].subject


def test_a_newcomer_after_the_erase_is_waitlisted(full_session):
    session, rosa, ana, beto = full_session
    volunteer_erase(volunteer=rosa.volunteer, user=None)

    newcomer = registration_create(session=session, volunteer=VolunteerFactory())

    assert newcomer.status == Registration.Status.WAITLISTED


@pytest.mark.django_db(transaction=True)
def test_erasing_a_waitlisted_person_promotes_nobody(full_session):
    session, rosa, ana, beto = full_session

    volunteer_erase(volunteer=ana.volunteer, user=None)
    worker_run_queued()

    assert Registration.objects.get(pk=beto.pk).status == Registration.Status.WAITLISTED
    assert mail.outbox == []


def test_erasing_from_the_admin_moves_the_waitlist_up(full_session, client, otp_login):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    session, rosa, ana, beto = full_session
    organizer = get_user_model().objects.create_user("org", password="x" * 20, is_staff=True)
    organizer.groups.add(Group.objects.get(name="Organizer"))
    rosa.volunteer.block.zone.organizers.add(organizer)
    otp_login(client, organizer)

    client.post(
        "/admin/signups/volunteer/",
        {"action": "erase_volunteers", "_selected_action": [rosa.volunteer.pk], "confirm": "yes"},
    )

    assert Registration.objects.get(pk=ana.pk).status == Registration.Status.REGISTERED


def test_the_roster_forgets_an_erased_person_at_once(trainer_client, session_today):
    rosa = RegistrationFactory(session=session_today, volunteer__name="Rosa Méndez").volunteer
    roster_url = reverse("trainings:roster", args=[session_today.pk])
    assert "Rosa Méndez" in trainer_client.get(roster_url).content.decode()  # now cached

    volunteer_erase(volunteer=rosa, user=None)

    assert "Rosa Méndez" not in trainer_client.get(roster_url).content.decode()
