"""Shredding old check-in details: the service, the command, and the pages
and exports that must cope with the emptied fields."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from signups.audit import AuditEntry
from signups.models import Volunteer
from trainings.models import Attendance, Session
from trainings.retention import attendance_details_shred
from trainings.services import attendance_export_csv, volunteer_training_status_refresh
from trainings.tests.factories import AttendanceFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _done_session(*, days_ago):
    ended = timezone.now() - datetime.timedelta(days=days_ago)
    return SessionFactory(
        starts_at=ended - datetime.timedelta(hours=2), ends_at=ended, status=Session.Status.DONE
    )


def _check_in(session, **kwargs):
    trainer = UserFactory()
    return AttendanceFactory(
        session=session,
        checked_in_at=session.starts_at,
        phone_at=session.starts_at,
        checked_in_by=trainer,
        walk_in=True,
        **kwargs,
    )


@pytest.fixture
def old_check_in():
    attendance = _check_in(_done_session(days_ago=400))
    volunteer_training_status_refresh(volunteers=[attendance.volunteer])
    return attendance


def test_shredding_empties_the_details_of_check_ins_older_than_the_setting(old_check_in, settings):
    settings.ATTENDANCE_DETAIL_DAYS = 365
    counts = attendance_details_shred(commit=True)
    assert counts == {"shredded": 1, "undone_deleted": 0}
    row = Attendance.objects.get(pk=old_check_in.pk)
    assert (row.checked_in_at, row.phone_at, row.checked_in_by, row.walk_in) == (None, None, None, None)
    assert row.details_shredded_at is not None


def test_shredding_keeps_who_attended_which_session(old_check_in):
    attendance_details_shred(commit=True)
    row = Attendance.objects.get(pk=old_check_in.pk)
    assert (row.volunteer_id, row.session_id, row.undone_at) == (
        old_check_in.volunteer_id, old_check_in.session_id, None,
    )


def test_shredding_leaves_trained_status_as_it_was(old_check_in):
    before = Volunteer.objects.values_list("trained_at", "trained_until").get(pk=old_check_in.volunteer_id)
    assert before[0] is not None
    attendance_details_shred(commit=True)
    volunteer_training_status_refresh(volunteers=[old_check_in.volunteer])
    after = Volunteer.objects.values_list("trained_at", "trained_until").get(pk=old_check_in.volunteer_id)
    assert after == before


def test_check_ins_at_recent_sessions_keep_their_details(settings):
    settings.ATTENDANCE_DETAIL_DAYS = 365
    recent = _check_in(_done_session(days_ago=300))
    assert attendance_details_shred(commit=True) == {"shredded": 0, "undone_deleted": 0}
    row = Attendance.objects.get(pk=recent.pk)
    assert row.checked_in_at is not None and row.walk_in is True and row.details_shredded_at is None


def test_an_undone_check_in_at_an_old_session_is_deleted():
    undone = _check_in(_done_session(days_ago=400), undone_at=timezone.now() - datetime.timedelta(days=400))
    assert attendance_details_shred(commit=True) == {"shredded": 0, "undone_deleted": 1}
    assert not Attendance.objects.filter(pk=undone.pk).exists()


def test_a_dry_run_changes_nothing(old_check_in):
    assert attendance_details_shred() == {"shredded": 1, "undone_deleted": 0}
    row = Attendance.objects.get(pk=old_check_in.pk)
    assert row.checked_in_at is not None and row.details_shredded_at is None
    assert not AuditEntry.objects.filter(model="trainings.attendance", action="change").exists()


def test_shredding_twice_changes_nothing_more(old_check_in):
    attendance_details_shred(commit=True)
    first = Attendance.objects.get(pk=old_check_in.pk).details_shredded_at
    assert attendance_details_shred(commit=True) == {"shredded": 0, "undone_deleted": 0}
    assert Attendance.objects.get(pk=old_check_in.pk).details_shredded_at == first
    assert AuditEntry.objects.filter(model="trainings.attendance", action="change").count() == 1


def test_shredding_is_logged_once_with_the_fields_and_the_row_count(old_check_in):
    _check_in(old_check_in.session)
    attendance_details_shred(commit=True)
    entry = AuditEntry.objects.get(model="trainings.attendance", action="change")
    assert entry.row_count == 2
    assert entry.changed_fields == sorted(["checked_in_at", "phone_at", "checked_in_by", "walk_in"])
    assert entry.subject == ""


def test_the_command_is_a_dry_run_without_commit(old_check_in):
    out = io.StringIO()
    call_command("shred_attendance", stdout=out)
    assert "Would shred (dry run; add --commit): details of 1 check-ins" in out.getvalue()
    assert Attendance.objects.get(pk=old_check_in.pk).details_shredded_at is None


def test_the_command_shreds_with_commit(old_check_in):
    out = io.StringIO()
    call_command("shred_attendance", "--commit", stdout=out)
    assert "Shredded: details of 1 check-ins and 0 undone check-ins" in out.getvalue()
    assert Attendance.objects.get(pk=old_check_in.pk).details_shredded_at is not None


def test_the_command_takes_another_number_of_days(settings):
    settings.ATTENDANCE_DETAIL_DAYS = 365
    recent = _check_in(_done_session(days_ago=40))
    call_command("shred_attendance", "--older-than", "30", "--commit", stdout=io.StringIO())
    assert Attendance.objects.get(pk=recent.pk).details_shredded_at is not None


def test_the_attendance_export_of_a_shredded_session_leaves_time_and_walk_in_empty(old_check_in):
    attendance_details_shred(commit=True)
    content = attendance_export_csv(session=old_check_in.session)
    header, row = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert row[0] == old_check_in.volunteer.name
    assert row[header.index("Checked in at")] == ""
    assert row[header.index("Walk-in")] == ""


def test_the_session_admin_page_shows_a_shredded_check_in(client, log_in, old_check_in):
    attendance_details_shred(commit=True)
    log_in(client, UserFactory(username="boss", is_superuser=True))
    response = client.get(reverse("admin:trainings_session_change", args=[old_check_in.session_id]))
    assert response.status_code == 200
    assert old_check_in.volunteer.name in response.content.decode()


def test_the_volunteer_admin_page_shows_a_shredded_check_in(client, log_in, old_check_in):
    attendance_details_shred(commit=True)
    log_in(client, UserFactory(username="boss", is_superuser=True))
    response = client.get(reverse("admin:signups_volunteer_change", args=[old_check_in.volunteer_id]))
    assert response.status_code == 200
    assert str(old_check_in.session.topic) in response.content.decode()
