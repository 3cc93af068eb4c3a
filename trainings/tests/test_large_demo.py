"""`manage.py load_large_demo`: a large, realistic data set on the City's real
blocks. Run here with small numbers; the defaults (50,000 volunteers, 1,000
sessions) are timed by hand and in the benchmarks, never in tests."""

import datetime
import re
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from signups.models import ContactMethod, Volunteer
from signups.services import phone_normalize
from signups.tests.factories import VolunteerFactory
from trainings.large_demo import CENTERLINE, DEFAULT_DATA_DIR, large_demo_load
from trainings.models import Attendance, Registration, Session
from trainings.services import volunteer_training_status_refresh
from zones.importing import blocks_import, load_features
from zones.models import Block, Zone

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (DEFAULT_DATA_DIR / CENTERLINE).exists(),
        reason=f"the shared Philadelphia data is not at {DEFAULT_DATA_DIR} (a copy of shared/ beside the checkout)",
    ),
]

SMALL = ["--volunteers", "200", "--sessions", "20"]


def _load(*args):
    out = StringIO()
    call_command("load_large_demo", *(args or SMALL), stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker):
    """One small demo for the tests that only read it (loading takes a second
    or two, mostly importing the real blocks), rolled back after them: the
    command's output."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _load()
        transaction.set_rollback(True)


class TestASmallDemo:
    def test_it_creates_the_numbers_asked_for(self, loaded):
        assert Volunteer.objects.count() == 200
        assert Session.objects.count() == 20
        assert Registration.objects.exists() and Attendance.objects.exists()

    def test_its_blocks_are_the_real_centerline_import(self, loaded):
        # Importing the file again finds every block and changes none: the demo's
        # blocks are exactly the import's (2,554 for South Philadelphia).
        report = blocks_import(features=load_features(DEFAULT_DATA_DIR / CENTERLINE), dry_run=True)
        assert (report.created, report.updated) == (0, 0)
        assert report.unchanged == Block.objects.count() == 2554

    def test_blocks_belong_to_the_pilot_and_the_neighborhood_zones(self, loaded):
        pilot = Zone.objects.get(slug="south-philly-pilot")
        assert pilot.status == Zone.Status.PILOT
        assert Zone.objects.count() == 1 + 21
        assert Block.objects.filter(street="S 5TH ST", hundred=2000, zone=pilot).exists()
        assert Block.objects.get(street="S 9TH ST", hundred=700).zone.slug == "bella-vista"
        assert Block.objects.filter(zone__isnull=False).count() > 2000

    def test_every_volunteer_consented_and_can_be_reached_with_fake_contacts(self, loaded):
        volunteers = list(Volunteer.objects.all())
        for volunteer in volunteers:
            assert volunteer.consent_at is not None
            assert volunteer.consent_version == settings.CONSENT_VERSION
            assert volunteer.phone or volunteer.email
            if volunteer.phone:
                assert phone_normalize(volunteer.phone) == volunteer.phone
                assert volunteer.phone[5:8] == "555"
            if volunteer.email:
                assert volunteer.email == volunteer.email.lower()
                assert volunteer.email.rsplit("@", 1)[1] in ("example.org", "example.com", "example.net")
            assert volunteer.contact_methods
            if set(volunteer.contact_methods) & {ContactMethod.CALL, ContactMethod.TEXT, ContactMethod.WHATSAPP}:
                assert volunteer.phone
            if ContactMethod.EMAIL in volunteer.contact_methods:
                assert volunteer.email
            if volunteer.block_id is None:
                # "I'd rather not say" still gives a ZIP code.
                assert volunteer.address_withheld and re.fullmatch(r"\d{5}", volunteer.zip_code)

    def test_volunteers_are_a_realistic_mix(self, loaded):
        volunteers = Volunteer.objects.all()
        assert set(volunteers.values_list("language", flat=True)) == {"en", "es", "both"}
        assert volunteers.filter(email="").exists()  # phone only
        assert volunteers.filter(phone="").exists()  # email only
        assert volunteers.filter(block__isnull=True, address_withheld=True).exists()
        assert volunteers.filter(block__zone__isnull=False).count() > 100
        assert volunteers.filter(campaigns__slug="launch-weekend").exists()

    def test_registrations_stay_within_capacity_and_only_full_sessions_have_a_waitlist(self, loaded):
        sessions = Session.objects.with_counts()
        assert sessions.filter(registered_count__gt=0).count() >= 15
        for session in sessions:
            assert session.registered_count <= session.capacity
            if session.waitlist_count:
                assert session.registered_count == session.capacity

    def test_check_ins_are_only_on_done_sessions(self, loaded):
        assert Session.objects.filter(status=Session.Status.DONE).exists()
        assert not Attendance.objects.exclude(session__status=Session.Status.DONE).exists()
        assert not Attendance.objects.filter(volunteer__created_at__gt=timezone.now()).exists()

    def test_trained_status_is_what_the_apps_rule_gives(self, loaded):
        as_loaded = list(Volunteer.objects.order_by("pk").values_list("pk", "trained_at", "trained_until"))

        volunteer_training_status_refresh(volunteers=Volunteer.objects.all())

        assert list(Volunteer.objects.order_by("pk").values_list("pk", "trained_at", "trained_until")) == as_loaded
        assert any(trained_at for _pk, trained_at, _until in as_loaded)
        # Nobody is trained without a check-in at a done session.
        assert not Volunteer.objects.filter(trained_at__isnull=False).exclude(
            attendances__session__status=Session.Status.DONE
        ).exists()

    def test_the_first_session_starts_this_hour_with_a_full_roster_for_the_organizer(self, loaded):
        session = Session.objects.with_counts().order_by("pk").first()
        assert session.starts_at <= timezone.now() < session.ends_at
        assert session.registered_count == session.capacity  # 100 with the default 50,000 people
        assert session.waitlist_count > 0
        organizer = get_user_model().objects.get(username="organizer")
        assert organizer in session.trainers.all()
        assert f"Session {session.pk} starts this hour with {session.registered_count} registered" in loaded

    def test_it_creates_trainers_without_passwords_and_an_organizer_shown_once(self, loaded):
        trainers = get_user_model().objects.filter(username__startswith="demo-trainer-")
        assert trainers.exists()
        for trainer in trainers:
            assert trainer.is_staff and not trainer.is_superuser
            assert not trainer.has_usable_password()
            assert trainer.groups.filter(name="Trainer").exists()
        assert "Demo organizer login: organizer / " in loaded

    def test_its_output_names_no_one(self, loaded):
        for name, phone, email in Volunteer.objects.values_list("name", "phone", "email"):
            assert name not in loaded
            assert not phone or phone not in loaded
            assert not email or email not in loaded


def test_it_refuses_a_database_that_already_has_volunteers():
    VolunteerFactory()
    blocks = Block.objects.count()

    with pytest.raises(CommandError, match="already holds volunteers.*--append"):
        _load()

    assert Volunteer.objects.count() == 1
    assert Block.objects.count() == blocks
    assert not Session.objects.exists()


def test_append_adds_people_with_phones_and_emails_nobody_has():
    VolunteerFactory(phone="+12155550000", email="maria.garcia1@example.org")

    _load("--volunteers", "50", "--sessions", "3", "--append")

    assert Volunteer.objects.count() == 51
    phones = [p for p in Volunteer.objects.values_list("phone", flat=True) if p]
    assert len(phones) == len(set(phones))


def test_it_refuses_a_folder_without_the_data_files(tmp_path):
    with pytest.raises(CommandError, match="Missing data file"):
        _load(*SMALL, "--data-dir", str(tmp_path))

    assert not Block.objects.exists()


def _fingerprint():
    return (
        list(Volunteer.objects.order_by("pk").values_list(
            "name", "phone", "email", "language", "block__street", "block__hundred", "zip_code", "created_at",
        )),
        list(Session.objects.order_by("pk").values_list("topic__name_en", "starts_at", "zone__slug", "capacity")),
        list(Registration.objects.order_by("pk").values_list("volunteer__phone", "volunteer__email", "status")),
        list(Attendance.objects.order_by("pk").values_list("volunteer__phone", "volunteer__email", "nonce")),
    )


class _Undo(Exception):
    pass


def test_the_same_seed_gives_the_same_data():
    now = timezone.now() - datetime.timedelta(days=3)
    prints = []
    for _run in range(2):
        try:
            with transaction.atomic():
                large_demo_load(volunteers=60, sessions=8, seed=7, now=now)
                prints.append(_fingerprint())
                raise _Undo
        except _Undo:
            pass

    assert prints[0] == prints[1]
    assert prints[0][0] and prints[0][2]


def test_its_queries_do_not_grow_with_the_number_of_people():
    counts = []
    for volunteers in ("100", "1000"):
        with CaptureQueriesContext(connection) as captured:
            try:
                with transaction.atomic():
                    _load("--volunteers", volunteers, "--sessions", "20")
                    raise _Undo
            except _Undo:
                pass
        counts.append(len(captured))

    # Bulk inserts of 2,000 rows: ten times the people, the same queries
    # (about a hundred: the imports, the accounts, one INSERT per table).
    assert counts[0] == counts[1] < 150

