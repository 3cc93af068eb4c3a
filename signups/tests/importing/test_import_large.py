"""A 10,000-row file is previewed and imported by the worker, with the
progress on the page; a 50 MB file and files that are not spreadsheets are
refused with a clear message, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from messaging.tests.worker import worker_run_queued
from signups.importing.models import ImportJob
from signups.models import Volunteer
from signups.tests.importing.conftest import choose_columns, job_url, upload
from signups.tests.importing.files import csv_bytes, many_rows, xlsx_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_thousand_rows_are_previewed_and_imported_by_the_worker(admin_client, zone):
    content = csv_bytes(many_rows(10_000))
    upload(admin_client, content, "big.csv")
    job = ImportJob.objects.get()
    assert job.progress_total == 10_000
    choose_columns(admin_client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWING
    page = admin_client.get(job_url(job), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<progress" in page and 'http-equiv="refresh"' in page
    assert Volunteer.objects.count() == 0

    worker_run_queued()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    assert job.counts["created"] == 10_000
    assert job.counts["not_contactable"] == 2_000
    assert Volunteer.objects.count() == 0

    admin_client.post(reverse("admin:signups_volunteer_import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTING
    worker_run_queued()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTED
    assert job.progress_done == 10_000
    assert Volunteer.objects.filter(source="import").count() == 10_000
    assert Volunteer.objects.filter(message_kinds=[]).count() == 2_000


def test_a_50_megabyte_file_is_refused_with_a_clear_message(admin_client, zone):
    content = b"Nombre,Tel\xc3\xa9fono\r\n" + b"Vecina,215-555-0101\r\n" * 2_400_000
    assert len(content) > 50_000_000
    response = admin_client.post(
        "/admin/signups/volunteer/import/", {"file": SimpleUploadedFile("huge.csv", content)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "This file is larger than 10 MB. Split it into smaller files." in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("photo.jpg", b"\xff\xd8\xff\xe0 JFIF"),
        ("list.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 100),
        ("list.csv", "Nombre\r\nsolo\r\n".encode("utf-16-le")),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_gets_a_message_not_a_500(admin_client, zone, name, content):
    response = upload(admin_client, content, name)
    assert response.status_code == 200
    page = response.content.decode()
    assert "errorlist" in page
    assert not ImportJob.objects.exists()


def test_a_refused_file_is_said_in_spanish(admin_client, zone):
    response = admin_client.post(
        "/admin/signups/volunteer/import/", {"file": SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff")},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert "Esto no es una hoja de cálculo que podamos leer" in response.content.decode()


def test_an_xlsx_upload_imports_like_a_csv(admin_client, zone):
    upload(admin_client, xlsx_bytes(many_rows(3), title="Lista"), "lista.xlsx")
    job = ImportJob.objects.get()
    choose_columns(admin_client, job)
    job.refresh_from_db()
    assert job.counts["created"] == 3
