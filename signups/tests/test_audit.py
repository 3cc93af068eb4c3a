"""The audit log: every change to a person's records, every export, no
personal values, and nobody can edit it."""

import pytest
from django.contrib.auth import get_user_model

from signups.audit import AuditEntry, acting_as, audit_erase, audit_export
from signups.models import Volunteer
from signups.tests.factories import VolunteerFactory
from tests.auth import login_with_otp

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", password="x" * 16)


def test_creating_a_volunteer_is_logged_without_personal_values():
    volunteer = VolunteerFactory(name="Ana Peña", phone="+12155550199", email="ana@example.org")
    entry = AuditEntry.objects.get(model="signups.volunteer", action="create")
    assert entry.object_id == str(volunteer.pk)
    assert entry.subject == f"volunteer:{volunteer.pk}"
    assert entry.actor is None  # the public form: nobody logged in
    stored = str(list(AuditEntry.objects.values()))
    for value in ("Ana", "Peña", "5550199", "ana@example.org"):
        assert value not in stored


def test_a_change_records_the_field_names_and_who(superuser):
    volunteer = VolunteerFactory()
    with acting_as(superuser):
        volunteer.name = "Someone Else"
        volunteer.notes = "call after 6"
        volunteer.save()
    entry = AuditEntry.objects.get(action="change")
    assert entry.changed_fields == ["name", "notes"]
    assert entry.actor == superuser and entry.actor_name == "root"
    assert "Someone Else" not in str(AuditEntry.objects.values_list())


def test_saving_without_a_change_logs_nothing():
    volunteer = VolunteerFactory()
    volunteer.save()
    assert not AuditEntry.objects.filter(action="change").exists()


def test_deleting_is_logged():
    volunteer = VolunteerFactory()
    pk = volunteer.pk
    Volunteer.objects.filter(pk=pk).delete()
    assert AuditEntry.objects.filter(action="delete", object_id=str(pk)).exists()


def test_an_admin_edit_is_logged_with_the_organizer(client, superuser):
    volunteer = VolunteerFactory()
    login_with_otp(client, superuser)
    client.post(f"/admin/signups/volunteer/{volunteer.pk}/delete/", {"post": "yes"})
    entry = AuditEntry.objects.get(action="delete")
    assert entry.actor == superuser


def test_an_export_is_logged_with_its_row_count(superuser):
    audit_export(user=superuser, model="signups.volunteer", row_count=12, detail="csv")
    entry = AuditEntry.objects.get(action="export")
    assert (entry.actor, entry.row_count) == (superuser, 12)


def test_erasing_reduces_a_persons_entries_to_one_anonymous_id(superuser):
    volunteer = VolunteerFactory()
    other = VolunteerFactory()
    volunteer.notes = "x"
    volunteer.save()
    anonymous = audit_erase(user=superuser, volunteer_id=volunteer.pk)
    assert not AuditEntry.objects.filter(subject=f"volunteer:{volunteer.pk}").exists()
    assert AuditEntry.objects.filter(subject=anonymous).count() == 3  # create, change, erase
    assert AuditEntry.objects.filter(subject=anonymous, object_id=str(volunteer.pk)).count() == 0
    assert AuditEntry.objects.filter(subject=f"volunteer:{other.pk}").exists()


def test_nobody_can_add_change_or_delete_entries_in_the_admin(client, superuser):
    VolunteerFactory()
    entry = AuditEntry.objects.get()
    login_with_otp(client, superuser)
    assert client.get("/admin/signups/auditentry/").status_code == 200
    assert client.get("/admin/signups/auditentry/add/").status_code == 403
    assert client.post(f"/admin/signups/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(f"/admin/signups/auditentry/{entry.pk}/change/", {"model": "x"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.model == "signups.volunteer"


def test_the_log_has_no_change_or_delete_permission_to_grant():
    from django.contrib.auth.models import Permission

    codenames = set(Permission.objects.filter(content_type__model="auditentry").values_list("codename", flat=True))
    assert codenames == {"view_auditentry"}
