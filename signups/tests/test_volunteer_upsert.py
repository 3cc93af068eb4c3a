"""signups.services.volunteer_upsert / volunteer_find: one record per person."""

from functools import partial

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from signups.models import Volunteer
from signups.services import SignupError, volunteer_find, volunteer_upsert
from signups.tests.factories import CampaignFactory, VolunteerFactory
from tests.races import require_postgresql, run_at_once
from zones.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db


def _upsert(**overrides):
    fields = {
        "name": "María Pérez Gómez",
        "phone": "215-555-0123",
        "email": "",
        "language": "es",
        "contact_methods": ["text"],
        "ways_to_help": ["get_trained"],
        "consent_version": settings.CONSENT_VERSION,
    }
    fields.update(overrides)
    return volunteer_upsert(**fields)


def test_a_new_phone_creates_a_volunteer_with_the_number_in_e164():
    volunteer, created = _upsert(phone="(215) 555-0123")
    assert created
    volunteer.refresh_from_db()
    assert volunteer.phone == "+12155550123"
    assert volunteer.consent_version == settings.CONSENT_VERSION
    assert volunteer.consent_at is not None
    assert volunteer.source == Volunteer.Source.FORM


def test_the_email_is_stored_lower_cased():
    volunteer, _ = _upsert(phone="", email="  Maria.Perez@Example.ORG ")
    assert volunteer.email == "maria.perez@example.org"


def test_a_repeat_signup_with_the_same_phone_finds_the_volunteer_and_keeps_the_name_pending():
    first, _ = _upsert(name="Maria", phone="2155550123")
    second, created = _upsert(name="María Pérez", phone="+1 215 555 0123")
    assert not created
    assert second.pk == first.pk
    assert Volunteer.objects.count() == 1
    first.refresh_from_db()
    # A phone number is not a password: the new name waits for confirmation.
    assert first.name == "Maria"
    assert first.pending_change.changes == {"name": "María Pérez"}


def test_a_repeat_signup_with_the_same_email_in_another_case_updates_the_volunteer():
    first, _ = _upsert(phone="", email="ana@example.org")
    second, created = _upsert(phone="", email="ANA@Example.org")
    assert not created
    assert second.pk == first.pk
    assert Volunteer.objects.count() == 1


def test_a_repeat_signup_merges_the_lists_keeping_the_old_order_first():
    _upsert(
        contact_methods=["text"],
        ways_to_help=["knock_doors", "get_trained"],
        weekend_availability=["sat_am"],
    )
    volunteer, _ = _upsert(
        contact_methods=["whatsapp", "text"],
        ways_to_help=["interpret", "knock_doors"],
        weekend_availability=["sun_pm"],
    )
    volunteer.refresh_from_db()
    assert volunteer.contact_methods == ["text", "whatsapp"]
    assert volunteer.ways_to_help == ["knock_doors", "get_trained", "interpret"]
    assert volunteer.weekend_availability == ["sat_am", "sun_pm"]


def test_a_repeat_signup_by_email_adds_a_new_phone():
    first, _ = _upsert(phone="", email="ana@example.org")
    _upsert(phone="267-555-0199", email="ana@example.org")
    first.refresh_from_db()
    assert first.phone == "+12675550199"


def test_phone_of_one_volunteer_and_email_of_another_updates_the_phones_owner():
    by_phone = VolunteerFactory(phone="+12155550123", email="", ways_to_help=["get_trained"])
    by_email = VolunteerFactory(phone="+12675550100", email="shared@example.org")
    volunteer, created = _upsert(
        phone="215-555-0123", email="shared@example.org", ways_to_help=["interpret"]
    )
    assert not created
    assert volunteer.pk == by_phone.pk
    by_phone.refresh_from_db()
    by_email.refresh_from_db()
    # The email stays with the person who had it.
    assert by_phone.email == ""
    assert by_email.email == "shared@example.org"
    assert by_phone.ways_to_help == ["get_trained", "interpret"]
    assert Volunteer.objects.count() == 2


def test_a_new_block_waits_for_confirmation_and_withholding_keeps_the_old_one():
    old_block, new_block = BlockFactory(), BlockFactory()
    _upsert(block=old_block)
    volunteer, _ = _upsert(block=new_block)
    volunteer.refresh_from_db()
    assert volunteer.block == old_block
    assert volunteer.pending_change.changes["block"] == new_block.pk
    volunteer, _ = _upsert(block=None, address_withheld=True, zip_code="19148")
    volunteer.refresh_from_db()
    assert volunteer.block == old_block
    assert not volunteer.address_withheld
    # No ZIP was stored: adding one adds, it replaces nothing.
    assert volunteer.zip_code == "19148"


def test_the_first_source_is_kept():
    _upsert(source=Volunteer.Source.WALK_IN)
    volunteer, _ = _upsert(source=Volunteer.Source.FORM)
    assert volunteer.source == Volunteer.Source.WALK_IN


def test_the_campaign_is_attached_once():
    campaign = CampaignFactory()
    _upsert(campaign=campaign)
    volunteer, _ = _upsert(campaign=campaign)
    assert list(volunteer.campaigns.all()) == [campaign]


def test_no_phone_and_no_email_is_refused_and_writes_nothing():
    with pytest.raises(SignupError) as refused:
        _upsert(phone="", email="")
    assert refused.value.code == "no_contact"
    assert Volunteer.objects.count() == 0


def test_an_invalid_phone_is_refused_and_writes_nothing():
    with pytest.raises(SignupError) as refused:
        _upsert(phone="555-01")
    assert refused.value.code == "invalid_phone"
    assert Volunteer.objects.count() == 0


def test_a_name_the_model_refuses_writes_nothing():
    with pytest.raises(ValidationError):
        _upsert(name="x" * 201)
    assert Volunteer.objects.count() == 0


def test_volunteer_find_finds_by_phone_typed_any_way_or_by_email_in_any_case():
    volunteer = VolunteerFactory(phone="+12155550123", email="ana@example.org")
    assert volunteer_find(phone="215.555.0123") == volunteer
    assert volunteer_find(email="ANA@example.org") == volunteer
    assert volunteer_find(phone="267-555-0100", email="nobody@example.org") is None
    assert volunteer_find() is None


@pytest.mark.django_db(transaction=True)
def test_two_racing_signups_with_the_same_phone_make_one_volunteer():
    # Two requests at the same moment (a double click): both look, neither
    # finds anyone, both insert; the unique constraint lets one win and the
    # other must update the winner's row instead of failing.
    require_postgresql()
    results, errors = run_at_once(
        partial(_upsert, ways_to_help=["interpret"]), partial(_upsert, ways_to_help=["knock_doors"])
    )
    assert errors == []
    assert Volunteer.objects.count() == 1
    assert sorted(created for _volunteer, created in results) == [False, True]
    volunteer = Volunteer.objects.get()
    assert set(volunteer.ways_to_help) == {"interpret", "knock_doors"}



def test_finding_a_person_by_email_in_any_case_uses_an_index(db):
    # At 50,000 volunteers a scan for UPPER(email) took 17 ms of PostgreSQL's
    # time on every sign-up. With sequential scans off, the planner must
    # still find an index for the sign-up's own lookup.
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("An expression index on PostgreSQL (CI always runs PostgreSQL).")
    VolunteerFactory(email="ana@example.org")
    with CaptureQueriesContext(connection) as lookup:
        volunteer_find(phone="215-555-0111", email="ANA@example.org")

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + lookup.captured_queries[-1]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "volunteer_email_upper_idx" in plan
    assert "Seq Scan" not in plan
