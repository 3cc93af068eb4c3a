"""The import pages: the upload page's list costs the same at 1 upload or
20; anonymous visitors go to the login; erasure keeps only keyed hashes."""

import pytest
from django.urls import reverse

from signups.contact_hash import contact_hash
from signups.forgotten import ForgottenContact
from signups.importing.models import ImportJob, import_jobs_purge_expired
from signups.retention import volunteer_erase
from signups.tests.factories import VolunteerFactory
from signups.tests.importing.files import ROWS, csv_bytes

pytestmark = pytest.mark.django_db


def test_the_upload_page_lists_one_upload_or_twenty_in_the_same_queries(admin_client, organizer):
    # The list is one query (files deferred), whatever its length; the rest
    # is the session, the user, the purge of expired uploads and the
    # admin's own page.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as captured:
            admin_client.get(reverse("admin:signups_volunteer_import"))
        return len(captured)

    ImportJob.objects.create(user=organizer, file_name="one.csv", content=b"x")
    admin_client.get(reverse("admin:signups_volunteer_import"))
    one = count()
    ImportJob.objects.bulk_create(
        ImportJob(user=organizer, file_name=f"more-{n}.csv", content=b"x") for n in range(19)
    )
    assert count() == one
    page = admin_client.get(reverse("admin:signups_volunteer_import")).content.decode()
    assert page.count("more-") == 19


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse("admin:signups_volunteer_import"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_upload_older_than_a_day_is_deleted(organizer):
    import datetime

    from django.utils import timezone

    old = ImportJob.objects.create(user=organizer, file_name="old.csv", content=csv_bytes(ROWS),
                                   created_at=timezone.now() - datetime.timedelta(hours=25))
    fresh = ImportJob.objects.create(user=organizer, file_name="new.csv", content=csv_bytes(ROWS))
    assert import_jobs_purge_expired() == 1
    assert not ImportJob.objects.filter(pk=old.pk).exists()
    assert ImportJob.objects.filter(pk=fresh.pk).exists()


def test_erasure_keeps_only_the_keyed_hashes_of_phone_and_email(organizer):
    person = VolunteerFactory(phone="+12155550188", email="Borrar@Example.org", block=None)
    volunteer_erase(volunteer=person, user=organizer)
    kept = set(ForgottenContact.objects.values_list("contact_hash", flat=True))
    assert kept == {contact_hash("+12155550188"), contact_hash("borrar@example.org")}
    assert all("5550188" not in h and "borrar" not in h for h in kept)


def test_someone_forgotten_twice_erases_cleanly(organizer):
    first = VolunteerFactory(phone="+12155550189", email="", block=None)
    volunteer_erase(volunteer=first, user=organizer)
    again = VolunteerFactory(phone="+12155550189", email="", block=None)
    volunteer_erase(volunteer=again, user=organizer)
    assert ForgottenContact.objects.count() == 1


def test_the_preview_page_costs_the_same_for_3_rows_or_60(admin_client, zone):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from signups.tests.importing.conftest import job_url, preview_file
    from signups.tests.importing.files import many_rows

    def queries(job):
        admin_client.get(job_url(job))
        with CaptureQueriesContext(connection) as captured:
            page = admin_client.get(job_url(job), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        return len(captured), page

    small, _page = queries(preview_file(admin_client, csv_bytes(many_rows(3))))
    large, page = queries(preview_file(admin_client, csv_bytes(many_rows(60, start=100))))
    assert "Vecina 159" in page
    # The job (one query; its rows come from the kept file), the session and
    # user, and the admin's page: never a query per row.
    assert large == small
