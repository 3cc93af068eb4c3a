"""An organizer brings a list in through the admin: upload, columns
guessed, preview (nothing written), import through volunteer_upsert,
audited; re-importing the same file changes nothing."""

import pytest
from django.urls import reverse

from signups.audit import AuditEntry
from signups.importing.models import ImportJob
from signups.models import Volunteer
from signups.tests.importing.conftest import choose_columns as _choose_columns
from signups.tests.importing.conftest import import_file as _import
from signups.tests.importing.conftest import job_url as _job_url
from signups.tests.importing.conftest import upload
from signups.tests.importing.files import HEADER, ROWS, csv_bytes

pytestmark = pytest.mark.django_db


def test_the_column_page_shows_the_guess_and_the_first_values(admin_client):
    upload(admin_client, csv_bytes(ROWS))
    job = ImportJob.objects.get()
    page = admin_client.get(_job_url(job), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="1" selected>B: Teléfono — 215-555-0101, (215) 555-0102</option>' in page
    assert "3 rows found" in page


def test_the_preview_writes_nothing_and_counts_every_outcome(admin_client, zone):
    upload(admin_client, csv_bytes(ROWS + [["Sin Contacto", "", "", "", "", "", "Sí"]]))
    job = ImportJob.objects.get()
    _choose_columns(admin_client, job)
    job.refresh_from_db()
    assert Volunteer.objects.count() == 0
    assert job.counts == {"created": 3, "updated": 0, "unchanged": 0, "refused": 1,
                          "not_contactable": 1, "total": 4}
    page = admin_client.get(_job_url(job), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No phone and no email" in page
    assert "3 new volunteers" in page


def test_the_import_creates_volunteers_as_the_join_form_would(admin_client, zone, organizer):
    job = _import(admin_client, csv_bytes(ROWS), name="hoja de noviembre.csv")
    assert job.status == ImportJob.Status.IMPORTED
    maria = Volunteer.objects.get(phone="+12155550101")
    assert maria.name == "María Peña"
    assert maria.email == "maria@example.org"
    assert maria.language == "es"
    assert (maria.block.street, maria.block.hundred) == ("S 9TH ST", 1100)
    assert maria.street_address == ""  # house number dropped
    assert maria.source == Volunteer.Source.IMPORT
    assert maria.message_kinds == ["reminder", "news"]
    jose = Volunteer.objects.get(phone="+12155550102")
    assert jose.language == "both"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT)
    assert entry.actor == organizer
    assert entry.detail.startswith("hoja de noviembre.csv")
    # Ana gave no address: she belongs to no zone, which organizers follow up too.
    assert entry.row_count == 3
    assert AuditEntry.objects.filter(action="create", model="signups.volunteer", actor=organizer).count() == 3


def test_the_file_is_deleted_after_the_import(admin_client, zone):
    job = _import(admin_client, csv_bytes(ROWS))
    assert b"maria@example.org" not in bytes(job.content)


def test_the_street_address_is_kept_only_when_the_organization_asks(admin_client, zone, settings):
    settings.KEEP_STREET_ADDRESSES = True
    _import(admin_client, csv_bytes(ROWS))
    assert Volunteer.objects.get(phone="+12155550101").street_address == "1123 S 9TH ST"


def test_reimporting_the_same_file_changes_nothing(admin_client, zone):
    _import(admin_client, csv_bytes(ROWS))
    before = list(Volunteer.objects.order_by("pk").values())
    entries = AuditEntry.objects.exclude(action=AuditEntry.Action.IMPORT).count()
    job = _import(admin_client, csv_bytes(ROWS))
    assert job.counts["created"] == 0 and job.counts["updated"] == 0
    assert job.counts["unchanged"] == 3
    assert list(Volunteer.objects.order_by("pk").values()) == before
    assert AuditEntry.objects.exclude(action=AuditEntry.Action.IMPORT).count() == entries


def test_a_row_without_consent_is_imported_but_not_contactable(admin_client, zone):
    rows = [["Rosa Sin Permiso", "215-555-0150", "", "1200 S 9th St", "19147", "es", ""]]
    job = _import(admin_client, csv_bytes(rows))
    assert job.counts["not_contactable"] == 1
    rosa = Volunteer.objects.get(phone="+12155550150")
    assert rosa.message_kinds == []
    assert not Volunteer.objects.accepting("reminder").filter(pk=rosa.pk).exists()


def test_rows_without_consent_can_be_refused_instead(admin_client, zone):
    rows = [["Rosa Sin Permiso", "215-555-0150", "", "1200 S 9th St", "19147", "es", "No"]]
    job = _import(admin_client, csv_bytes(rows), refuse_without_consent="on")
    assert job.results[0]["reason"] == "no_consent"
    assert not Volunteer.objects.exists()


def test_a_consent_date_in_the_file_is_kept(admin_client, zone):
    header = [*HEADER[:6], "Fecha de consentimiento"]
    rows = [["Rosa", "215-555-0150", "", "1200 S 9th St", "19147", "es", "2026-10-05 14:30"]]
    _import(admin_client, csv_bytes(rows, header=header))
    rosa = Volunteer.objects.get()
    assert rosa.consent_at.date().isoformat() == "2026-10-05"
    assert rosa.message_kinds == ["reminder", "news"]


def test_a_second_click_on_import_imports_once(admin_client, zone):
    upload(admin_client, csv_bytes(ROWS))
    job = ImportJob.objects.get()
    _choose_columns(admin_client, job)
    url = reverse("admin:signups_volunteer_import_confirm", args=[job.pk])
    admin_client.post(url)
    admin_client.post(url)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).count() == 1
    assert Volunteer.objects.count() == 3
