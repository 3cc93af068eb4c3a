import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from signups.tests.factories import VolunteerFactory
from trainings.models import Registration, Session
from trainings.services import attendance_record, session_mark_done
from trainings.tests.factories import AttendanceFactory, RegistrationFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, log_in):
    return log_in(client, UserFactory(username="boss", is_superuser=True))


def test_the_session_page_shows_registrations_and_attendance(admin_client):
    session = SessionFactory()
    registration = RegistrationFactory(session=session, volunteer__name="Ana Registered")
    AttendanceFactory(session=session, volunteer=registration.volunteer)
    body = admin_client.get(reverse("admin:trainings_session_change", args=[session.pk])).content.decode()
    assert body.count("Ana Registered") >= 2


def test_the_sign_in_sheet_has_the_registered_names_and_empty_rows(admin_client):
    session = SessionFactory()
    RegistrationFactory(session=session, volunteer__name="Ana Registered")
    RegistrationFactory(session=session, volunteer__name="Gone", status=Registration.Status.CANCELLED)
    response = admin_client.get(reverse("admin:trainings_session_sheet", args=[session.pk]))
    body = response.content.decode()
    assert "Ana Registered" in body and "Gone" not in body
    assert body.count('<tr class="empty">') == 15
    assert "<script" not in body


def test_the_attendance_csv_downloads_with_a_bom(admin_client):
    session = SessionFactory()
    AttendanceFactory(session=session, volunteer__name="José Peña")
    response = admin_client.get(reverse("admin:trainings_session_csv", args=[session.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    assert "José Peña" in response.content.decode("utf-8")


def test_staff_without_permission_cannot_export(client, log_in):
    log_in(client, UserFactory(is_staff=True))
    session = SessionFactory()
    response = client.get(reverse("admin:trainings_session_csv", args=[session.pk]))
    # No admin permission at all: no admin (sent to log in); with some
    # permission but not this one: 403.
    assert response.status_code in (302, 403)
    assert not response.get("Content-Type", "").startswith("text/csv")


def test_setting_status_done_in_the_admin_trains_the_attendees(admin_client):
    session = SessionFactory()
    attendance = AttendanceFactory(session=session)
    data = {
        "topic": session.topic.pk, "status": "done",
        "starts_at_0": timezone.localtime(session.starts_at).strftime("%Y-%m-%d"),
        "starts_at_1": timezone.localtime(session.starts_at).strftime("%H:%M:%S"),
        "ends_at_0": timezone.localtime(session.ends_at).strftime("%Y-%m-%d"),
        "ends_at_1": timezone.localtime(session.ends_at).strftime("%H:%M:%S"),
        "language": session.language, "capacity": session.capacity, "zone": session.zone.pk,
        "location_name_en": session.location_name_en, "neighborhood": session.neighborhood,
        "address": session.address, "private_roster": "unknown",
        "registrations-TOTAL_FORMS": 0, "registrations-INITIAL_FORMS": 0,
        "attendances-TOTAL_FORMS": 1, "attendances-INITIAL_FORMS": 1,
        "attendances-0-id": attendance.pk, "attendances-0-session": session.pk,
    }
    response = admin_client.post(reverse("admin:trainings_session_change", args=[session.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    attendance.volunteer.refresh_from_db()
    assert attendance.volunteer.is_trained


def test_the_volunteer_admin_shows_trainings_and_filters_by_trained(admin_client):
    long_ago = timezone.now() - datetime.timedelta(days=500)
    trained = VolunteerFactory(name="Trained Person")
    stale = VolunteerFactory(name="Stale Person")
    VolunteerFactory(name="Untrained Person")
    session = SessionFactory()
    attendance_record(session=session, volunteer=trained, nonce=uuid.uuid4())
    session_mark_done(session=session)
    old = SessionFactory(
        topic__valid_for_months=6, starts_at=long_ago, ends_at=long_ago + datetime.timedelta(hours=2)
    )
    attendance_record(session=old, volunteer=stale, nonce=uuid.uuid4())
    session_mark_done(session=old)
    url = reverse("admin:signups_volunteer_changelist")
    names = lambda response: {v.name for v in response.context["cl"].result_list}  # noqa: E731
    assert names(admin_client.get(url, {"trained": "yes"})) == {"Trained Person"}
    assert names(admin_client.get(url, {"trained": "refresher"})) == {"Stale Person"}
    assert names(admin_client.get(url, {"trained": "no"})) == {"Untrained Person"}
    body = admin_client.get(url).content.decode()
    assert "Needs a refresher" in body
    change = admin_client.get(reverse("admin:signups_volunteer_change", args=[trained.pk])).content.decode()
    assert str(session.topic) in change
