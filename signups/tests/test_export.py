"""The volunteers export in the admin: a fresh second factor, phone and
email columns only when ticked, and both choices in the audit log."""

import csv
import io
import re
import time

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from signups.audit import AuditEntry
from signups.export_admin import PENDING_EXPORT_SESSION_KEY
from signups.staff_auth import VERIFIED_AT_SESSION_KEY
from signups.tests.factories import VolunteerFactory
from tests.query_budget import organizer_of
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/signups/volunteer/"
BACKUP_CODE = "abcd1234"


@pytest.fixture
def zone():
    return ZoneFactory(slug="pilot")


@pytest.fixture
def neighbor(zone):
    return VolunteerFactory(
        name="Rosa Ortíz", phone="+12155550123", email="rosa@example.org", block=BlockFactory(zone=zone)
    )


@pytest.fixture
def organizer(client, zone, otp_login):
    user = organizer_of(zone)
    otp_login(client, user)
    device = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    StaticToken.objects.create(device=device, token=BACKUP_CODE)
    return user


def _export(client, volunteer, **choices):
    return client.post(
        CHANGELIST,
        {"action": "export_csv", "_selected_action": [volunteer.pk], "confirm": "yes", **choices},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def _csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _verified_minutes_ago(client, minutes):
    session = client.session
    session[VERIFIED_AT_SESSION_KEY] = time.time() - minutes * 60
    session.save()


def test_the_export_action_first_asks_which_columns_to_include(client, organizer, neighbor):
    response = client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [neighbor.pk]}, HTTP_ACCEPT_LANGUAGE="en"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "text/html" in response["Content-Type"]
    assert "Include phone numbers" in body and "Include email addresses" in body
    assert "1 volunteer will be exported." in body
    assert f'name="_selected_action" value="{neighbor.pk}"' in body
    assert "+12155550123" not in body and "rosa@example.org" not in body
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_export_leaves_out_phone_and_email_unless_ticked(client, organizer, neighbor):
    header, row = _csv(_export(client, neighbor))
    assert "Phone" not in header and "Email" not in header
    assert row[0] == "Rosa Ortíz"
    assert "(215) 555-0123" not in row and "rosa@example.org" not in row


def test_the_export_has_phone_and_email_when_ticked(client, organizer, neighbor):
    header, row = _csv(_export(client, neighbor, include_phone="on", include_email="on"))
    assert header[:3] == ["Name", "Phone", "Email"]
    assert row[1:3] == ["(215) 555-0123", "rosa@example.org"]


def test_the_export_can_have_phone_without_email(client, organizer, neighbor):
    header, _row = _csv(_export(client, neighbor, include_phone="on"))
    assert "Phone" in header and "Email" not in header


def test_the_audit_entry_names_the_columns_chosen_and_no_values(client, organizer, neighbor):
    _export(client, neighbor, include_email="on")
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == organizer and entry.row_count == 1
    assert entry.detail == "volunteers CSV; phone numbers left out, email addresses included"
    assert "rosa@example.org" not in entry.detail


def test_an_export_16_minutes_after_the_code_asks_for_the_code_again(client, organizer, neighbor):
    _verified_minutes_ago(client, 16)
    response = _export(client, neighbor, include_phone="on")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp-verify") + "?fresh=1&next=")
    assert not AuditEntry.objects.filter(action="export").exists()


def test_after_the_fresh_code_the_export_page_comes_back_with_the_selection(client, organizer, neighbor):
    _verified_minutes_ago(client, 16)
    verify_url = _export(client, neighbor, include_phone="on")["Location"]
    assert "Enter your code" in client.get(verify_url).content.decode()
    response = client.post(verify_url, {"token": BACKUP_CODE})
    assert response["Location"] == reverse("admin:signups_volunteer_export")
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'name="_selected_action" value="{neighbor.pk}"' in page
    assert re.search(r'<input[^>]*name="include_phone"[^>]*checked', page)
    assert not re.search(r'<input[^>]*name="include_email"[^>]*checked', page)
    # Posting that page (as the browser does) downloads, now without a detour.
    header, _row = _csv(_export(client, neighbor, include_phone="on"))
    assert "Phone" in header
    assert AuditEntry.objects.filter(action="export").count() == 1


def test_a_filtered_select_all_survives_the_fresh_code(client, organizer, neighbor, zone):
    VolunteerFactory(name="Other Language", language="en", block=BlockFactory(zone=zone))
    neighbor.language = "es"
    neighbor.save(update_fields=["language"])
    _verified_minutes_ago(client, 20)
    verify_url = client.post(
        f"{CHANGELIST}?language__exact=es",
        {"action": "export_csv", "select_across": "1", "_selected_action": ["0"]},
    )["Location"]
    client.post(verify_url, {"token": BACKUP_CODE})
    page = client.get(reverse("admin:signups_volunteer_export")).content.decode()
    assert f'action="{CHANGELIST}?language__exact=es"' in page
    assert 'name="select_across" value="1"' in page


def test_a_session_verified_before_the_time_was_recorded_asks_again(client, organizer, neighbor):
    session = client.session
    del session[VERIFIED_AT_SESSION_KEY]
    session.save()
    assert _export(client, neighbor)["Location"].startswith(reverse("otp-verify"))


def test_the_code_page_without_fresh_sends_a_verified_person_on(client, organizer):
    response = client.get(reverse("otp-verify"), {"next": CHANGELIST})
    assert response.status_code == 302 and response["Location"] == CHANGELIST


def test_the_resume_page_without_a_waiting_export_goes_back_to_the_list(client, organizer):
    response = client.get(reverse("admin:signups_volunteer_export"))
    assert response.status_code == 302 and response["Location"] == reverse("admin:signups_volunteer_changelist")


def test_another_zones_organizer_cannot_export_them_after_a_fresh_code(client, neighbor, otp_login):
    other = organizer_of(ZoneFactory(slug="other"), username="other-organizer")
    otp_login(client, other)
    session = client.session
    session[PENDING_EXPORT_SESSION_KEY] = {
        "query": "", "select_across": False, "ids": [str(neighbor.pk)],
        "include_phone": True, "include_email": True,
    }
    session.save()
    page = client.get(reverse("admin:signups_volunteer_export"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "0 volunteers will be exported." in page
    rows = _csv(_export(client, neighbor, include_phone="on", include_email="on"))
    assert rows == [rows[0]]  # the header only
    assert "Rosa" not in page


def test_the_export_page_offers_the_columns_and_an_xlsx_file(client, organizer, neighbor):
    body = client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [neighbor.pk]}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'name="columns" value="zip_code"' in body
    assert 'value="xlsx"' in body


def test_the_export_has_only_the_columns_chosen_and_the_audit_says_which_were_left_out(client, organizer, neighbor):
    header, row = _csv(_export(client, neighbor, columns_chosen="1", columns=["name", "zip_code"]))
    assert header == ["Name", "ZIP code"]
    assert row == ["Rosa Ortíz", "19147"]
    entry = AuditEntry.objects.get(action="export")
    assert entry.detail.startswith("volunteers CSV; phone numbers left out, email addresses left out; other columns left out: ")
    assert "block" in entry.detail and "zip_code" not in entry.detail


def test_the_export_as_xlsx_keeps_a_formula_as_text(client, organizer, neighbor):
    from openpyxl import load_workbook

    neighbor.name = '=HYPERLINK("http://evil.example","clic")'
    neighbor.save(update_fields=["name"])
    response = _export(client, neighbor, columns_chosen="1", columns=["name"], file_format="xlsx",
                       include_phone="on")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["Name", "Phone"]
    cell = sheet["A2"]
    assert cell.data_type == "s"
    assert cell.value == "'" + neighbor.name
    assert sheet["B2"].value == "(215) 555-0123"
    assert AuditEntry.objects.get(action="export").detail.startswith("volunteers XLSX; phone numbers included")
