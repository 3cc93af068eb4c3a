"""What each row becomes: refusals with their reasons, the forgotten kept
out, zones respected, duplicates and formulas handled."""

import csv
import io

import pytest
from django.urls import reverse

from signups.importing.models import ImportJob
from signups.models import PendingChange, Volunteer
from signups.retention import volunteer_erase
from signups.tests.factories import VolunteerFactory
from signups.tests.importing.conftest import import_file, job_url, outcomes, preview_file
from signups.tests.importing.files import ROWS, csv_bytes
from zones.models import Block

pytestmark = pytest.mark.django_db


def _row(name="Rosa", phone="215-555-0150", email="", address="1200 S 9th St", zip_code="19147",
         language="es", consent="Sí"):
    return [name, phone, email, address, zip_code, language, consent]


def test_each_refusal_has_its_reason(admin_client, zone):
    rows = [
        _row(phone="12345"),
        _row(phone="", email=""),
        _row(phone="215-555-0151", address="asdf qwerty"),
        _row(phone="215-555-0152", address="700 S 7th St"),
        _row(name="", phone="215-555-0153"),
        _row(phone="215-555-0154", email="not-an-email"),
    ]
    job = preview_file(admin_client, csv_bytes(rows))
    assert outcomes(job) == [
        (2, "refused", "invalid_phone"),
        (3, "refused", "no_contact"),
        (4, "refused", "address_not_found"),
        (5, "refused", "outside_zones"),
        (6, "refused", "no_name"),
        (7, "refused", "invalid_email"),
    ]


def test_the_reasons_are_in_the_organizers_language(admin_client, zone):
    job = preview_file(admin_client, csv_bytes([_row(phone="12345"), _row(phone="", email="")]))
    page = admin_client.get(job_url(job), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Número de teléfono no válido" in page
    assert "Sin teléfono ni correo electrónico" in page


def test_a_person_who_asked_to_be_forgotten_is_refused_and_nothing_more_is_said(admin_client, zone, organizer):
    gone = VolunteerFactory(phone="+12155550160", email="gone@example.org", block=Block.objects.first())
    volunteer_erase(volunteer=gone, user=organizer)
    rows = [_row(name="Otro Nombre", phone="215-555-0160"), _row(phone="", email="GONE@example.org")]
    job = import_file(admin_client, csv_bytes(rows))
    assert outcomes(job) == [(2, "refused", "forgotten"), (3, "refused", "forgotten")]
    assert not Volunteer.objects.exists()
    page = admin_client.get(job_url(job), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Asked to be forgotten" not in page or "gone@example.org" not in page


def test_an_organizer_imports_only_into_their_zones_and_never_moves_anyone(admin_client, zone, other_zone):
    elsewhere = VolunteerFactory(phone="+12155550170", block=other_zone.blocks.first())
    rows = [_row(phone="215-555-0170", address="1200 S 9th St")]
    job = import_file(admin_client, csv_bytes(rows))
    assert outcomes(job) == [(2, "refused", "outside_zones")]
    elsewhere.refresh_from_db()
    assert elsewhere.block.zone == other_zone


def test_an_existing_volunteer_is_updated_and_the_page_says_which_fields(admin_client, zone):
    rosa = VolunteerFactory(phone="+12155550150", email="", name="Rosa", zip_code="", block=None)
    job = import_file(admin_client, csv_bytes([_row(email="rosa@example.org")]))
    assert job.results[0]["outcome"] == "updated"
    assert set(job.results[0]["fields"]) == {"email", "block", "zip_code"}
    rosa.refresh_from_db()
    assert rosa.email == "rosa@example.org"
    assert rosa.block.hundred == 1200


def test_an_answer_that_would_replace_a_stored_one_waits_for_the_persons_confirmation(admin_client, zone):
    rosa = VolunteerFactory(phone="+12155550150", name="Rosa", block=Block.objects.get(hundred=1200))
    job = import_file(admin_client, csv_bytes([_row(name="Rosa María Peña")]))
    assert job.results[0]["outcome"] == "updated"
    assert job.results[0]["pending"] == ["name"]
    rosa.refresh_from_db()
    assert rosa.name == "Rosa"
    assert PendingChange.objects.get(volunteer=rosa).changes["name"] == "Rosa María Peña"


def test_duplicate_rows_make_one_volunteer(admin_client, zone):
    rows = [_row(), _row(), _row(phone="(215) 555-0150")]
    job = import_file(admin_client, csv_bytes(rows))
    assert [r["outcome"] for r in job.results] == ["created", "unchanged", "unchanged"]
    assert Volunteer.objects.count() == 1


def test_an_unclear_address_offers_its_blocks_and_the_pick_places_the_row(admin_client, zone):
    Block.objects.create(street="S 25TH ST", hundred=1200, zone=zone)
    Block.objects.create(street="N 25TH ST", hundred=1200, zone=zone)
    job = preview_file(admin_client, csv_bytes([_row(address="1233 25th St", zip_code="")]))
    assert job.results[0]["reason"] == "address_unclear"
    page = admin_client.get(job_url(job), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Addresses that could mean more than one block" in page
    south = Block.objects.get(street="S 25TH ST")
    admin_client.post(reverse("admin:signups_volunteer_import_addresses", args=[job.pk]),
                      {"address": "1233 25th St", "pick-0": str(south.pk)})
    job.refresh_from_db()
    assert job.results[0]["outcome"] == "created"
    admin_client.post(reverse("admin:signups_volunteer_import_confirm", args=[job.pk]))
    assert Volunteer.objects.get().block == south


def test_the_refused_rows_download_with_their_reason_and_formulas_stay_text(admin_client, zone):
    rows = [_row(name='=HYPERLINK("http://evil.example","clic")', phone="12345"), _row()]
    job = import_file(admin_client, csv_bytes(rows))
    response = admin_client.get(reverse("admin:signups_volunteer_import_refused", args=[job.pk]),
                                HTTP_ACCEPT_LANGUAGE="en")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][-1] == "Why it was refused"
    assert table[1][0] == "'=HYPERLINK(\"http://evil.example\",\"clic\")"
    assert table[1][-1] == "Invalid phone number"
    assert len(table) == 2


def test_a_formula_in_a_name_is_stored_as_text_and_exported_escaped(admin_client, zone):
    formula = '=HYPERLINK("http://evil.example","clic")'
    import_file(admin_client, csv_bytes([_row(name=formula)]))
    volunteer = Volunteer.objects.get()
    assert volunteer.name == formula
    response = admin_client.post(
        "/admin/signups/volunteer/",
        {"action": "export_csv", "_selected_action": [volunteer.pk], "confirm": "yes"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[1][0] == "'" + formula


def test_another_organizers_upload_does_not_exist_for_them(client, admin_client, zone, other_zone, otp_login):
    from tests.query_budget import organizer_of

    job = preview_file(admin_client, csv_bytes(ROWS))
    other = organizer_of(other_zone, username="organizer-b")
    client.logout()
    otp_login(client, other)
    assert client.get(job_url(job)).status_code == 404
    assert client.get(reverse("admin:signups_volunteer_import_refused", args=[job.pk])).status_code == 404


def test_the_confirm_page_answers_405_to_a_get(admin_client, zone):
    job = preview_file(admin_client, csv_bytes(ROWS))
    assert admin_client.get(reverse("admin:signups_volunteer_import_confirm", args=[job.pk])).status_code == 405
    assert ImportJob.objects.get().status == ImportJob.Status.PREVIEWED
