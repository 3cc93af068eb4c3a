"""Retention (purge_inactive) and forget-me (volunteer_erase)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from signups.audit import AuditEntry
from signups.models import Volunteer
from signups.retention import volunteer_erase, volunteers_purge_inactive
from signups.tests.factories import VolunteerFactory
from trainings.models import Attendance, Registration
from trainings.tests.factories import AttendanceFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def _age(volunteer, days, **extra):
    then = NOW - datetime.timedelta(days=days)
    Volunteer.objects.filter(pk=volunteer.pk).update(created_at=then, updated_at=then, **extra)


def test_an_old_volunteer_with_no_activity_is_purged_only_with_commit():
    old = VolunteerFactory()
    _age(old, 400)
    recent = VolunteerFactory()
    assert volunteers_purge_inactive(older_than_days=365)["volunteers"] == 1
    assert Volunteer.objects.filter(pk=old.pk).exists()  # dry run
    volunteers_purge_inactive(older_than_days=365, commit=True)
    assert list(Volunteer.objects.values_list("pk", flat=True)) == [recent.pk]


def test_a_recent_contact_keeps_a_volunteer():
    volunteer = VolunteerFactory()
    _age(volunteer, 400, last_contacted_at=NOW - datetime.timedelta(days=10))
    assert volunteers_purge_inactive(older_than_days=365, commit=True)["volunteers"] == 0


def test_a_recent_registration_or_attendance_keeps_a_volunteer():
    registered = VolunteerFactory()
    attended = VolunteerFactory()
    RegistrationFactory(volunteer=registered)
    AttendanceFactory(volunteer=attended)
    _age(registered, 400)
    _age(attended, 400)
    assert volunteers_purge_inactive(older_than_days=365, commit=True)["volunteers"] == 0


def test_old_activity_does_not_keep_a_volunteer():
    volunteer = VolunteerFactory()
    registration = RegistrationFactory(volunteer=volunteer)
    then = NOW - datetime.timedelta(days=500)
    Registration.objects.filter(pk=registration.pk).update(created_at=then, updated_at=then)
    _age(volunteer, 400)
    assert volunteers_purge_inactive(older_than_days=365, commit=True)["volunteers"] == 1
    assert not Registration.objects.exists()


def test_purged_peoples_audit_entries_lose_their_ids_and_the_purge_is_logged():
    volunteer = VolunteerFactory()
    _age(volunteer, 400)
    volunteers_purge_inactive(older_than_days=365, commit=True)
    assert not AuditEntry.objects.filter(subject=f"volunteer:{volunteer.pk}").exists()
    summary = AuditEntry.objects.get(detail__startswith="purge_inactive")
    assert summary.row_count == 1


def test_cancelled_registrations_of_long_past_sessions_are_purged():
    past = SessionFactory(
        starts_at=NOW - datetime.timedelta(days=400), ends_at=NOW - datetime.timedelta(days=400, hours=-2)
    )
    cancelled = RegistrationFactory(session=past, status=Registration.Status.CANCELLED)
    Registration.objects.filter(pk=cancelled.pk).update(updated_at=NOW - datetime.timedelta(days=399))
    kept = RegistrationFactory(session=past, status=Registration.Status.REGISTERED)
    counts = volunteers_purge_inactive(older_than_days=365, commit=True)
    assert counts["registrations"] == 1
    assert list(Registration.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_command_is_a_dry_run_by_default(capsys):
    volunteer = VolunteerFactory()
    _age(volunteer, 40)
    call_command("purge_inactive", "--older-than", "30")
    assert "Would delete" in capsys.readouterr().out
    assert Volunteer.objects.exists()
    call_command("purge_inactive", "--older-than", "30", "--commit")
    assert "Deleted: 1 volunteers" in capsys.readouterr().out
    assert not Volunteer.objects.exists()


def test_erasing_a_person_removes_them_their_trainings_and_their_trail():
    volunteer = VolunteerFactory()
    RegistrationFactory(volunteer=volunteer)
    AttendanceFactory(volunteer=volunteer)
    other = RegistrationFactory()
    anonymous = volunteer_erase(volunteer=volunteer, user=None)
    assert not Volunteer.objects.filter(pk=volunteer.pk).exists()
    assert list(Registration.objects.all()) == [other]
    assert not Attendance.objects.exists()
    assert not AuditEntry.objects.filter(subject=f"volunteer:{volunteer.pk}").exists()
    trail = AuditEntry.objects.filter(subject=anonymous)
    assert set(trail.values_list("action", flat=True)) >= {"create", "delete", "erase"}
    assert set(trail.values_list("object_id", flat=True)) == {""}


# --- Forget-me in the admin ------------------------------------------------------


@pytest.fixture
def organizer(db):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("org", password="x" * 20, is_staff=True)
    user.groups.add(Group.objects.get(name="Organizer"))
    return user


def _erase(client, volunteer, **extra):
    return client.post(
        "/admin/signups/volunteer/",
        {"action": "erase_volunteers", "_selected_action": [volunteer.pk], **extra},
    )


def test_the_erase_action_asks_for_confirmation_first(client, organizer, otp_login):
    volunteer = VolunteerFactory(name="Rosa Méndez")
    volunteer.block.zone.organizers.add(organizer)
    RegistrationFactory(volunteer=volunteer)
    otp_login(client, organizer)
    response = _erase(client, volunteer)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rosa Méndez (registrations: 1, check-ins: 0)" in html
    assert Volunteer.objects.filter(pk=volunteer.pk).exists()


def test_confirming_erases_the_person_and_their_trainings(client, organizer, otp_login):
    volunteer = VolunteerFactory()
    volunteer.block.zone.organizers.add(organizer)
    RegistrationFactory(volunteer=volunteer)
    otp_login(client, organizer)
    response = _erase(client, volunteer, confirm="yes")
    assert response.status_code == 302
    assert not Volunteer.objects.filter(pk=volunteer.pk).exists()
    assert not Registration.objects.exists()
    erased = AuditEntry.objects.get(action="erase")
    assert erased.actor == organizer and erased.subject.startswith("erased:")


def test_an_organizer_cannot_erase_someone_of_another_zone(client, organizer, otp_login):
    volunteer = VolunteerFactory()  # a zone `organizer` does not organize
    otp_login(client, organizer)
    _erase(client, volunteer, confirm="yes")
    assert Volunteer.objects.filter(pk=volunteer.pk).exists()


def test_erasing_also_forgets_the_admins_own_history_of_the_record(client, organizer, otp_login):
    from django.contrib.admin.models import CHANGE, LogEntry

    volunteer = VolunteerFactory(name="Rosa Méndez")
    LogEntry.objects.log_actions(user_id=organizer.pk, queryset=[volunteer], action_flag=CHANGE,
                                 change_message="Changed notes.", single_object=True)
    assert LogEntry.objects.filter(object_repr="Rosa Méndez").exists()
    volunteer_erase(volunteer=volunteer, user=organizer)
    assert not LogEntry.objects.filter(object_repr="Rosa Méndez").exists()
