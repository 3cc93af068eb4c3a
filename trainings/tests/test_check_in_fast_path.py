"""A trainer's tap on a name (trainings.views.trainer.checkin): the common
case is one hand-written statement (trainings.services.attendance,
check_in_tap), and must leave exactly what the ORM path leaves: the
same check-in row, the same audit entry, the same caches forgotten."""

import uuid

import pytest
from django.db.models.signals import post_save, pre_save
from django.urls import reverse

from signups.audit import AuditEntry, acting_as
from tests.races import require_postgresql
from trainings.models import Attendance, Session
from trainings.services import attendance_record
from trainings.tests.factories import RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db

AUDIT_FIELDS = ("actor_id", "actor_name", "action", "model", "subject", "changed_fields", "row_count", "detail")
ROW_FIELDS = ("session_id", "volunteer_id", "checked_in_by_id", "walk_in", "undone_at", "details_shredded_at", "phone_at")


def tap(client, session, volunteer, nonce=None):
    return client.post(
        reverse("trainings:checkin", args=[session.pk]),
        {"volunteer": volunteer.pk, "nonce": str(nonce or uuid.uuid4())},
        HTTP_ACCEPT="application/json",
    )


def test_a_tap_leaves_the_row_and_audit_entry_the_orm_path_leaves(trainer, trainer_client, session_today):
    tapped, through_orm = (RegistrationFactory(session=session_today).volunteer for _ in range(2))

    response = tap(trainer_client, session_today, tapped)
    assert response.json()["ok"] is True
    with acting_as(trainer):  # as the audit middleware does in a request
        attendance_record(session=session_today, volunteer=through_orm, nonce=uuid.uuid4(), by=trainer)

    fast, orm = (Attendance.objects.get(volunteer=v) for v in (tapped, through_orm))
    for field in ROW_FIELDS:
        expected = getattr(orm, field)
        if field == "volunteer_id":
            expected = tapped.pk
        assert getattr(fast, field) == expected, field
    assert fast.checked_in_at is not None
    fast_entry = AuditEntry.objects.get(model="trainings.attendance", object_id=str(fast.pk))
    orm_entry = AuditEntry.objects.get(model="trainings.attendance", object_id=str(orm.pk))
    for field in AUDIT_FIELDS:
        expected = getattr(orm_entry, field)
        if field == "subject":
            expected = f"volunteer:{tapped.pk}"
        assert getattr(fast_entry, field) == expected, field


def test_the_answer_counts_this_check_in(trainer_client, session_today):
    people = [RegistrationFactory(session=session_today).volunteer for _ in range(2)]
    assert tap(trainer_client, session_today, people[0]).json()["counts"] == {"checked_in": 1, "walk_ins": 0}
    assert tap(trainer_client, session_today, people[1]).json()["counts"] == {"checked_in": 2, "walk_ins": 0}


def test_a_replay_and_a_second_trainer_keep_one_check_in(trainer_client, session_today, client, log_in):
    volunteer = RegistrationFactory(session=session_today).volunteer
    nonce = uuid.uuid4()
    first = tap(trainer_client, session_today, volunteer, nonce)
    replay = tap(trainer_client, session_today, volunteer, nonce)
    other = UserFactory()
    session_today.trainers.add(other)
    second_trainer = tap(log_in(client, other), session_today, volunteer)

    assert [r.status_code for r in (first, replay, second_trainer)] == [200, 200, 200]
    assert {r.json()["nonce"] for r in (first, replay, second_trainer)} == {str(nonce)}
    assert Attendance.objects.filter(volunteer=volunteer).count() == 1
    assert AuditEntry.objects.filter(model="trainings.attendance").count() == 1


def test_a_replayed_or_repeated_tap_is_answered_by_the_same_statement_and_writes_nothing(
    trainer_client, session_today, django_assert_max_num_queries
):
    require_postgresql()
    ana, beto = (RegistrationFactory(session=session_today).volunteer for _ in range(2))
    nonce = uuid.uuid4()
    tap(trainer_client, session_today, ana, nonce)
    tap(trainer_client, session_today, beto)
    tap(trainer_client, session_today, ana, nonce)  # the session and identity are kept by now

    # An offline queue sends a tap again when its answer was lost: the
    # check-in statement, as for the first tap.
    with django_assert_max_num_queries(2):  # + the connection's health check
        replay = tap(trainer_client, session_today, ana, nonce)

    # A second tap on her name under a new nonce (another trainer's phone,
    # an old queue) is answered with her check-in, in as few statements.
    with django_assert_max_num_queries(2):
        again = tap(trainer_client, session_today, ana)

    for response in (replay, again):
        assert response.json() == {
            "ok": True, "code": "ok", "message": f"{ana.name} is checked in.", "nonce": str(nonce),
            "counts": {"checked_in": 2, "walk_ins": 0},
        }
    assert Attendance.objects.filter(volunteer=ana).count() == 1
    assert AuditEntry.objects.filter(model="trainings.attendance").count() == 2


def test_a_nonce_used_for_someone_else_is_refused(trainer_client, session_today):
    require_postgresql()
    ana, beto = (RegistrationFactory(session=session_today).volunteer for _ in range(2))
    nonce = uuid.uuid4()
    tap(trainer_client, session_today, ana, nonce)
    response = tap(trainer_client, session_today, beto, nonce)
    assert response.status_code == 409
    assert response.json()["code"] == "nonce_reused"
    assert not Attendance.objects.filter(volunteer=beto).exists()


def test_another_trainers_session_and_someone_not_registered_are_not_found(trainer_client, session_today):
    from trainings.tests.factories import SessionFactory

    stranger = RegistrationFactory(session=SessionFactory()).volunteer  # another session's
    other_session = SessionFactory()
    mine = RegistrationFactory(session=session_today).volunteer
    assert tap(trainer_client, session_today, stranger).status_code == 404
    assert tap(trainer_client, other_session, mine).status_code == 404
    assert not Attendance.objects.exists()


def test_the_kept_roster_shows_a_tap_at_once(trainer_client, session_today):
    volunteer = RegistrationFactory(session=session_today, volunteer__name="Ana").volunteer
    roster_url = reverse("trainings:roster", args=[session_today.pk])
    before = trainer_client.get(roster_url).content.decode()
    assert 'data-count="checked_in">0<' in before
    tap(trainer_client, session_today, volunteer)
    assert 'data-count="checked_in">1<' in trainer_client.get(roster_url).content.decode()


def test_a_done_session_goes_through_the_orm_path(trainer_client, session_today):
    Session.objects.filter(pk=session_today.pk).update(status=Session.Status.DONE)
    volunteer = RegistrationFactory(session=session_today).volunteer
    assert tap(trainer_client, session_today, volunteer).json()["ok"] is True
    volunteer.refresh_from_db()
    assert Attendance.objects.filter(volunteer=volunteer).exists()


def test_the_fast_path_knows_every_receiver_of_a_saved_check_in():
    # A new receiver of Attendance saves (a message, a count) would be
    # skipped by check_in_tap: teach it, then add the receiver here.
    known = {"_remember_old", "_on_save", "receiver", "session_roster_changed"}
    names = set()
    for signal in (pre_save, post_save):
        for receiver in signal._live_receivers(Attendance)[0]:
            names.add(getattr(receiver, "__name__", repr(receiver)))
    assert names <= known, names - known


def test_a_first_tap_is_one_statement(trainer_client, session_today, django_assert_max_num_queries):
    require_postgresql()
    ana, beto = (RegistrationFactory(session=session_today).volunteer for _ in range(2))
    tap(trainer_client, session_today, beto)  # the session and identity are kept by now

    with django_assert_max_num_queries(2):  # + the connection's health check
        response = tap(trainer_client, session_today, ana)

    assert response.json()["counts"] == {"checked_in": 2, "walk_ins": 0}
    assert Attendance.objects.filter(volunteer=ana).count() == 1


def test_without_postgresql_a_tap_goes_through_the_orm(trainer_client, session_today, monkeypatch):
    # SQLite (the demo) has no data-changing WITH: the same answers from
    # attendance_record.
    monkeypatch.setattr("trainings.services.attendance.check_in_in_one_statement", lambda: False)
    ana = RegistrationFactory(session=session_today).volunteer
    nonce = uuid.uuid4()

    first, replay = tap(trainer_client, session_today, ana, nonce), tap(trainer_client, session_today, ana, nonce)

    assert first.json()["ok"] is replay.json()["ok"] is True
    assert first.json()["nonce"] == replay.json()["nonce"] == str(nonce)
    assert Attendance.objects.filter(volunteer=ana).count() == 1
