import datetime
import uuid
from functools import partial

import pytest
from django.utils import timezone

from signups.models import Volunteer
from signups.tests.factories import VolunteerFactory
from tests.races import require_postgresql, run_at_once
from trainings.models import Attendance, Session
from trainings.services import (
    TrainingError,
    attendance_export_csv,
    attendance_record,
    attendance_record_walk_in,
    attendance_undo,
    session_mark_done,
)
from trainings.tests.factories import SessionFactory, TopicFactory
from zones.models import Block, CoverageLevel
from zones.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db


def test_attendance_record_checks_someone_in():
    session = SessionFactory()
    volunteer = VolunteerFactory()
    attendance = attendance_record(session=session, volunteer=volunteer, nonce=uuid.uuid4())
    assert attendance.session == session and attendance.volunteer == volunteer
    assert not attendance.walk_in


def test_the_same_nonce_twice_is_applied_once():
    session = SessionFactory()
    volunteer = VolunteerFactory()
    nonce = uuid.uuid4()
    first = attendance_record(session=session, volunteer=volunteer, nonce=nonce)
    second = attendance_record(session=session, volunteer=volunteer, nonce=str(nonce))
    assert first.pk == second.pk
    assert Attendance.objects.count() == 1


def test_checking_in_twice_with_two_nonces_keeps_one_check_in():
    session = SessionFactory()
    volunteer = VolunteerFactory()
    first = attendance_record(session=session, volunteer=volunteer, nonce=uuid.uuid4())
    second = attendance_record(session=session, volunteer=volunteer, nonce=uuid.uuid4())
    assert first.pk == second.pk
    assert Attendance.objects.count() == 1


def test_a_nonce_used_for_someone_else_is_refused():
    session = SessionFactory()
    nonce = uuid.uuid4()
    attendance_record(session=session, volunteer=VolunteerFactory(), nonce=nonce)
    with pytest.raises(TrainingError) as refused:
        attendance_record(session=session, volunteer=VolunteerFactory(), nonce=nonce)
    assert refused.value.code == "nonce_reused"


def test_a_cancelled_session_refuses_check_in():
    session = SessionFactory(status=Session.Status.CANCELLED)
    with pytest.raises(TrainingError) as refused:
        attendance_record(session=session, volunteer=VolunteerFactory(), nonce=uuid.uuid4())
    assert refused.value.code == "session_cancelled"
    assert Attendance.objects.count() == 0


def test_a_malformed_nonce_is_refused():
    with pytest.raises(TrainingError) as refused:
        attendance_record(session=SessionFactory(), volunteer=VolunteerFactory(), nonce="not-a-uuid")
    assert refused.value.code == "bad_nonce"


def test_undo_then_replaying_the_check_in_does_not_bring_it_back():
    session = SessionFactory()
    volunteer = VolunteerFactory()
    nonce = uuid.uuid4()
    attendance_record(session=session, volunteer=volunteer, nonce=nonce)
    assert attendance_undo(session=session, nonce=nonce) is not None
    attendance_record(session=session, volunteer=volunteer, nonce=nonce)
    assert Attendance.objects.active().count() == 0
    assert attendance_undo(session=session, nonce=nonce) is None


def test_checking_in_again_after_an_undo_counts():
    session = SessionFactory()
    volunteer = VolunteerFactory()
    first = uuid.uuid4()
    attendance_record(session=session, volunteer=volunteer, nonce=first)
    attendance_undo(session=session, nonce=first)
    attendance_record(session=session, volunteer=volunteer, nonce=uuid.uuid4())
    assert Attendance.objects.active().count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_trainers_checking_in_at_once_lose_no_check_in():
    require_postgresql()
    session = SessionFactory()
    same_person = VolunteerFactory()
    others = [VolunteerFactory() for _ in range(6)]
    # Each trainer checks in three different people plus the same person.
    batches = [[same_person, *others[:3]], [same_person, *others[3:]]]

    def check_in(batch):
        for volunteer in batch:
            attendance_record(session=session, volunteer=volunteer, nonce=uuid.uuid4())

    _results, errors = run_at_once(*(partial(check_in, batch) for batch in batches))
    assert errors == []
    assert Attendance.objects.active().filter(session=session).count() == 7


@pytest.mark.django_db(transaction=True)
def test_the_same_check_in_sent_twice_at_once_is_applied_once():
    require_postgresql()
    session = SessionFactory()
    volunteer = VolunteerFactory()
    nonce = uuid.uuid4()

    def send():
        return attendance_record(session=session, volunteer=volunteer, nonce=nonce).pk

    results, errors = run_at_once(send, send)
    assert errors == []
    assert len(set(results)) == 1
    assert Attendance.objects.count() == 1


def _coverage(block):
    return Block.objects.with_coverage().get(pk=block.pk)


def test_marking_a_session_done_trains_its_attendees_and_the_block_coverage_follows():
    block = BlockFactory()
    session = SessionFactory(ends_at=timezone.now() - datetime.timedelta(hours=1),
                             starts_at=timezone.now() - datetime.timedelta(hours=3))
    people = [VolunteerFactory(block=block), VolunteerFactory(block=block)]
    for person in people:
        attendance_record(session=session, volunteer=person, nonce=uuid.uuid4())
    assert _coverage(block).coverage_level == CoverageLevel.NONE
    session_mark_done(session=session)
    block = _coverage(block)
    assert block.trained_count == 2
    assert block.coverage_level == CoverageLevel.AT_TARGET
    assert Volunteer.objects.trained().count() == 2


def test_a_topic_that_does_not_count_trains_nobody():
    session = SessionFactory(topic=TopicFactory(counts_as_training=False))
    attendance_record(session=session, volunteer=VolunteerFactory(), nonce=uuid.uuid4())
    session_mark_done(session=session)
    assert Volunteer.objects.filter(trained_at__isnull=False).count() == 0


def test_registered_but_absent_people_are_not_trained():
    from trainings.tests.factories import RegistrationFactory

    session = SessionFactory()
    absent = RegistrationFactory(session=session).volunteer
    session_mark_done(session=session)
    absent.refresh_from_db()
    assert absent.trained_at is None


def test_a_training_past_its_months_needs_a_refresher_and_counts_apart():
    block = BlockFactory()
    long_ago = timezone.now() - datetime.timedelta(days=400)
    session = SessionFactory(
        topic=TopicFactory(valid_for_months=12), starts_at=long_ago, ends_at=long_ago + datetime.timedelta(hours=2)
    )
    person = VolunteerFactory(block=block)
    attendance_record(session=session, volunteer=person, nonce=uuid.uuid4())
    session_mark_done(session=session)
    person.refresh_from_db()
    assert person.needs_refresher and not person.is_trained
    covered = _coverage(block)
    assert (covered.trained_count, covered.refresher_count) == (0, 1)


def test_a_training_that_never_expires_wins_over_one_that_does():
    person = VolunteerFactory()
    long_ago = timezone.now() - datetime.timedelta(days=400)
    for months in (12, None):
        session = SessionFactory(
            topic=TopicFactory(valid_for_months=months), starts_at=long_ago,
            ends_at=long_ago + datetime.timedelta(hours=2),
        )
        attendance_record(session=session, volunteer=person, nonce=uuid.uuid4())
        session_mark_done(session=session)
    person.refresh_from_db()
    assert person.is_trained and person.trained_until is None


def test_undoing_a_check_in_of_a_done_session_untrains_the_person():
    session = SessionFactory()
    person = VolunteerFactory()
    nonce = uuid.uuid4()
    attendance_record(session=session, volunteer=person, nonce=nonce)
    session_mark_done(session=session)
    attendance_undo(session=session, nonce=nonce)
    person.refresh_from_db()
    assert person.trained_at is None


def test_a_late_offline_check_in_for_a_done_session_still_trains():
    session = SessionFactory()
    session_mark_done(session=session)
    person = VolunteerFactory()
    attendance_record(session=session, volunteer=person, nonce=uuid.uuid4())
    person.refresh_from_db()
    assert person.is_trained


def test_marking_a_cancelled_session_done_is_refused():
    with pytest.raises(TrainingError) as refused:
        session_mark_done(session=SessionFactory(status=Session.Status.CANCELLED))
    assert refused.value.code == "session_cancelled"


def test_a_walk_in_becomes_a_volunteer_on_their_block_and_is_checked_in():
    session = SessionFactory()
    nonce = uuid.uuid4()
    attendance = attendance_record_walk_in(
        session=session, nonce=nonce, name="Rosa Peña", phone="215-555-0199", language="es",
        address="1123 S 9th St", consent=True,
    )
    volunteer = attendance.volunteer
    assert attendance.walk_in
    assert volunteer.phone == "+12155550199"
    assert volunteer.source == Volunteer.Source.WALK_IN
    assert (volunteer.block.street, volunteer.block.hundred) == ("S 9TH ST", 1100)
    again = attendance_record_walk_in(
        session=session, nonce=nonce, name="Rosa Peña", phone="215-555-0199", language="es", consent=True,
    )
    assert again.pk == attendance.pk
    assert Volunteer.objects.count() == 1


def test_a_known_walk_in_is_found_by_phone_not_duplicated():
    known = VolunteerFactory(phone="+12155550142")
    attendance = attendance_record_walk_in(
        session=SessionFactory(), nonce=uuid.uuid4(), name="Known", phone="(215) 555-0142", consent=True,
    )
    assert attendance.volunteer.pk == known.pk


def test_a_walk_in_without_consent_is_refused():
    with pytest.raises(TrainingError) as refused:
        attendance_record_walk_in(
            session=SessionFactory(), nonce=uuid.uuid4(), name="No", phone="215-555-0198", consent=False,
        )
    assert refused.value.code == "consent_required"
    assert Volunteer.objects.count() == 0


def test_the_attendance_csv_has_a_bom_the_names_and_is_formula_safe():
    session = SessionFactory()
    attendance_record(session=session, volunteer=VolunteerFactory(name="José Peña"), nonce=uuid.uuid4())
    attendance_record(session=session, volunteer=VolunteerFactory(name="=HYPERLINK(1)"), nonce=uuid.uuid4())
    undone = uuid.uuid4()
    attendance_record(session=session, volunteer=VolunteerFactory(name="Undone Person"), nonce=undone)
    attendance_undo(session=session, nonce=undone)
    content = attendance_export_csv(session=session)
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8")
    assert "José Peña" in text
    assert "'=HYPERLINK(1)" in text
    assert "Undone Person" not in text


def test_a_registered_person_entered_as_a_walk_in_is_not_counted_as_a_walk_in():
    from trainings.tests.factories import RegistrationFactory

    registration = RegistrationFactory(volunteer__phone="+12155550143")
    attendance = attendance_record_walk_in(
        session=registration.session, nonce=uuid.uuid4(), name="Known", phone="215-555-0143", consent=True,
    )
    assert attendance.volunteer == registration.volunteer
    assert not attendance.walk_in


def test_the_attendance_csv_writes_phones_as_the_volunteers_csv_does():
    session = SessionFactory()
    attendance_record(session=session, volunteer=VolunteerFactory(phone="+12155550101"), nonce=uuid.uuid4())
    text = attendance_export_csv(session=session).decode("utf-8")
    assert "(215) 555-0101" in text
    assert "+12155550101" not in text
