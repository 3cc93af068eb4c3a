import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from signups.importing.models import ImportJob

from tests.query_budget import organizer_of
from zones.tests.factories import BlockFactory, ZoneFactory


@pytest.fixture
def zone(db):
    zone = ZoneFactory(slug="pilot", name_en="Pilot")
    for hundred in (1100, 1200, 1300):
        BlockFactory(zone=zone, street="S 9TH ST", hundred=hundred)
    return zone


@pytest.fixture
def other_zone(db):
    zone = ZoneFactory(slug="other", name_en="Other")
    BlockFactory(zone=zone, street="S 7TH ST", hundred=700)
    return zone


@pytest.fixture
def organizer(zone, other_zone):
    return organizer_of(zone)


@pytest.fixture
def admin_client(client, organizer, otp_login):
    otp_login(client, organizer)
    return client


def upload(client, content, name="list.csv"):
    return client.post(
        "/admin/signups/volunteer/import/",
        {"file": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def job_url(job):
    return reverse("admin:signups_volunteer_import_job", args=[job.pk])


def choose_columns(client, job, **extra):
    data = {name: str(index) for name, index in job.mapping.items()}
    data.update({"default_language": "en", **extra})
    return client.post(reverse("admin:signups_volunteer_import_columns", args=[job.pk]), data,
                       HTTP_ACCEPT_LANGUAGE="en")


def import_file(client, content, name="list.csv", **extra):
    response = upload(client, content, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("pk")
    choose_columns(client, job, **extra)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    client.post(reverse("admin:signups_volunteer_import_confirm", args=[job.pk]))
    job.refresh_from_db()
    return job


def preview_file(client, content, name="list.csv", **extra):
    response = upload(client, content, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("pk")
    choose_columns(client, job, **extra)
    job.refresh_from_db()
    return job


def outcomes(job):
    return [(r["row"], r["outcome"], r.get("reason", "")) for r in job.results]
