"""The organizers' lists of volunteers, campaigns and the audit log cost the same queries at 10 rows and at 1,000 (see
tests/query_budget.py). Organizers use the volunteer list at 50,000 rows.
The canvass team list: canvass/tests/test_team_list_queries.py."""

import factory
import pytest
from django.urls import reverse

from signups.audit import AuditEntry
from signups.models import Volunteer
from signups.tests.factories import CampaignFactory, VolunteerFactory
from tests.query_budget import ROWS, blocks, bulk, cold_caches, organizer_of
from zones.tests.factories import ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot():
    return ZoneFactory(slug="pilot")


@pytest.fixture
def organizer_client(client, pilot, otp_login):
    otp_login(client, organizer_of(pilot))
    return client


def join_campaigns(volunteers, campaigns):
    Volunteer.campaigns.through.objects.bulk_create(
        Volunteer.campaigns.through(volunteer=volunteer, campaign=campaign)
        for volunteer in volunteers
        for campaign in campaigns
    )


@pytest.mark.parametrize("rows", ROWS)
def test_the_volunteer_list_costs_the_same_queries_for_10_or_1000_people(
    organizer_client, pilot, django_assert_num_queries, rows
):
    # The organizer's people on their zone's blocks, and people who gave no
    # address (organizers see them too, to follow up).
    people = bulk(VolunteerFactory, rows - 2, block=factory.Iterator(blocks(10, zone=pilot)))
    people += bulk(VolunteerFactory, 2, block=None)
    join_campaigns(people, bulk(CampaignFactory, 2))
    bulk(VolunteerFactory, 10, block=blocks(1, zone=ZoneFactory())[0])  # another zone's
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4-5 the organizer's permissions (own,
    # group's), 6 the zones and 7 the campaigns offered as filters, 8 count
    # (no second, full count: show_full_result_count is off), 9 the page of
    # people with their block and zone.
    with django_assert_num_queries(9):
        response = organizer_client.get(reverse("admin:signups_volunteer_changelist"))
    assert response.context["cl"].result_count == rows
    assert "Not trained" in response.content.decode()


@pytest.mark.parametrize("rows", ROWS)
def test_exporting_every_volunteer_costs_the_same_queries_for_10_or_1000_people(
    organizer_client, pilot, django_assert_num_queries, rows
):
    bulk(VolunteerFactory, rows, block=factory.Iterator(blocks(10, zone=pilot)))
    cold_caches()
    # "Select all" across the list, then the export action, columns chosen
    # (the page choosing them comes first, see signups/tests/test_export.py): 1 session, 2
    # user, 3 OTP device, 4-5 the organizer's permissions (own, group's),
    # 6 the zones and 7 the campaigns offered as filters, 8 count, 9-10 the
    # filters again (Django builds the list a second time to run the
    # action), 11 the people with their block and zone, read in chunks from
    # one cursor, 12 the audit entry of the export.
    with django_assert_num_queries(12):
        response = organizer_client.post(
            reverse("admin:signups_volunteer_changelist"),
            {"action": "export_csv", "select_across": "1", "index": "0", "_selected_action": ["0"],
             "confirm": "yes", "include_phone": "on", "include_email": "on"},
        )
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").count("\n") == 1 + rows


@pytest.mark.parametrize("rows", ROWS)
def test_the_campaign_list_costs_the_same_queries_for_10_or_1000_campaigns(
    organizer_client, pilot, django_assert_num_queries, rows
):
    join_campaigns(bulk(VolunteerFactory, 3, block=blocks(1, zone=pilot)[0]), bulk(CampaignFactory, rows))
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4-5 the organizer's permissions (own,
    # group's), 6-7 counts (filtered, total), 8 the page of campaigns with
    # their volunteer counts.
    with django_assert_num_queries(8):
        response = organizer_client.get(reverse("admin:signups_campaign_changelist"))
    assert response.context["cl"].result_count == rows
    assert {c.volunteer_count for c in response.context["cl"].result_list} == {3}


@pytest.mark.parametrize("rows", ROWS)
def test_the_audit_log_costs_the_same_queries_for_10_or_1000_entries(
    organizer_client, django_assert_num_queries, rows
):
    AuditEntry.objects.all().delete()
    AuditEntry.objects.bulk_create(
        AuditEntry(action=AuditEntry.Action.EXPORT, model="signups.volunteer", row_count=n, actor_name="boss")
        for n in range(rows)
    )
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4-5 the organizer's permissions (own,
    # group's), 6-7 counts (filtered, total), 8 the page of entries, 9 the
    # record types offered as a filter, 10-11 the date hierarchy.
    with django_assert_num_queries(11):
        response = organizer_client.get(reverse("admin:signups_auditentry_changelist"))
    assert response.context["cl"].result_count == rows
