"""Training pages cost the same queries at 10 rows and at 1,000: the public
list of trainings, the trainer's sessions and roster, and the organizers'
session and topic lists, a session's and a volunteer's page, the sign-in
sheet and the attendance export (see tests/query_budget.py)."""

import datetime

import factory
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from signups.tests.factories import VolunteerFactory
from tests.query_budget import ROWS, blocks, bulk, cold_caches, organizer_of
from trainings.models import Registration, Session
from trainings.tests.factories import (
    AttendanceFactory,
    RegistrationFactory,
    SessionFactory,
    TopicFactory,
)
from trainings.views.public import SESSIONS_PER_PAGE
from zones.tests.factories import ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot():
    return ZoneFactory(slug="pilot")


@pytest.fixture
def trainer(django_user_model):
    # No password to hash: the test client logs in without one.
    user = django_user_model.objects.create_user("trainer", is_staff=True)
    user.groups.add(Group.objects.get(name="Trainer"))
    return user


@pytest.fixture
def organizer_client(client, pilot, otp_login):
    otp_login(client, organizer_of(pilot))
    return client


def neighbors(count, zone):
    return bulk(VolunteerFactory, count, block=blocks(1, zone=zone)[0])


def sessions(count, *, zone, trainers=(), starts=None, **fields):
    """`count` sessions of three topics in `zone`, each with one person
    registered and one on the waitlist."""
    starts = starts or [timezone.now() + datetime.timedelta(days=3)]
    created = bulk(
        SessionFactory,
        count,
        topic=factory.Iterator(bulk(TopicFactory, 3)),
        zone=zone,
        starts_at=factory.Iterator(starts),
        ends_at=factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=2)),
        capacity=1,
        **fields,
    )
    Session.trainers.through.objects.bulk_create(
        Session.trainers.through(session=session, user=user) for session in created for user in trainers
    )
    people = iter(neighbors(2 * count, zone))
    bulk(
        RegistrationFactory,
        2 * count,
        session=factory.Iterator(s for s in created for _ in range(2)),
        volunteer=factory.Iterator(people),
        status=factory.Iterator([Registration.Status.REGISTERED, Registration.Status.WAITLISTED]),
    )
    return created


def session_with_people(count, *, zone, trainers=()):
    """A session happening now with `count` people registered, every other
    one checked in, and two walk-ins."""
    now = timezone.now()
    (session,) = sessions(1, zone=zone, trainers=trainers, starts=[now - datetime.timedelta(minutes=30)])
    session.registrations.all().delete()
    registered, walk_ins = neighbors(count, zone), neighbors(2, zone)
    bulk(RegistrationFactory, count, session=session, volunteer=factory.Iterator(registered))
    checked_in = registered[::2] + walk_ins
    bulk(
        AttendanceFactory,
        len(checked_in),
        session=session,
        volunteer=factory.Iterator(checked_in),
        walk_in=factory.Iterator(person in walk_ins for person in checked_in),
    )
    return session


# --- Public -----------------------------------------------------------------------


@pytest.mark.parametrize("rows", ROWS)
def test_the_list_of_trainings_costs_the_same_queries_for_10_or_1000_sessions(
    client, pilot, django_assert_num_queries, rows
):
    sessions(rows, zone=pilot)
    cold_caches()
    # 1 zones with an upcoming session (the filter's choices), 2 how many
    # sessions (the pages), 3 one page of sessions with their topic, zone
    # and counts.
    with django_assert_num_queries(3):
        response = client.get(reverse("trainings:list"))
    page = response.context["page"]
    assert (page.paginator.count, len(page)) == (rows, min(rows, SESSIONS_PER_PAGE))
    assert {(s.seats_left, s.waitlist_count) for s in page} == {(0, 1)}


# --- Trainers -----------------------------------------------------------------------


@pytest.mark.parametrize("rows", ROWS)
def test_the_trainers_sessions_cost_the_same_queries_for_10_or_1000_sessions(
    client, otp_login, trainer, pilot, django_assert_num_queries, rows
):
    now = timezone.now()
    sessions(rows, zone=pilot, trainers=[trainer], starts=[
        now - datetime.timedelta(days=2), now - datetime.timedelta(minutes=30), now + datetime.timedelta(days=2),
    ])
    sessions(10, zone=pilot)  # other trainers'
    otp_login(client, trainer)
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4 the trainer's sessions with their
    # topic and counts.
    with django_assert_num_queries(4):
        response = client.get(reverse("trainings:trainer"))
    context = response.context
    assert len(context["recent"]) + len(context["today"]) + len(context["upcoming"]) == rows
    assert {s.registered_count for s in context["today"]} == {1}


@pytest.mark.parametrize("rows", ROWS)
def test_the_roster_costs_the_same_queries_for_10_or_1000_people(
    client, otp_login, trainer, pilot, django_assert_num_queries, rows
):
    session = session_with_people(rows, zone=pilot, trainers=[trainer])
    otp_login(client, trainer)
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4 the session (404 unless this
    # trainer's), 5 registrations with their person, 6 check-ins with
    # their person, 7 today's sessions the phone may keep offline.
    with django_assert_num_queries(7):
        response = client.get(reverse("trainings:roster", args=[session.pk]))
    assert len(response.context["rows"]) == rows + 2
    assert response.context["counts"] == {"checked_in": rows // 2 + 2, "registered": rows, "walk_ins": 2}


# --- Organizers ----------------------------------------------------------------------


@pytest.mark.parametrize("rows", ROWS)
def test_the_sign_in_sheet_costs_the_same_queries_for_10_or_1000_people(
    organizer_client, pilot, django_assert_num_queries, rows
):
    session = session_with_people(rows, zone=pilot)
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4-5 the organizer's permissions (own,
    # group's), 6 the session, 7 whether it is in the organizer's zones,
    # 8 registrations with their person.
    with django_assert_num_queries(8):
        response = organizer_client.get(reverse("admin:trainings_session_sheet", args=[session.pk]))
    assert len(response.context["registrations"]) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_the_attendance_export_costs_the_same_queries_for_10_or_1000_people(
    organizer_client, pilot, django_assert_num_queries, rows
):
    session = session_with_people(rows, zone=pilot)
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4-5 the organizer's permissions (own,
    # group's), 6 the session, 7 whether it is in the organizer's zones,
    # 8 check-ins with their person, 9 the audit entry of the export.
    with django_assert_num_queries(9):
        response = organizer_client.get(reverse("admin:trainings_session_csv", args=[session.pk]))
    assert response.content.decode("utf-8-sig").count("\n") == 1 + rows // 2 + 2


@pytest.mark.parametrize("rows", ROWS)
def test_a_sessions_page_lists_registrations_and_check_ins_in_the_same_queries_for_10_or_1000_people(
    organizer_client, pilot, django_assert_num_queries, rows
):
    session = session_with_people(rows, zone=pilot)
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4-5 the organizer's permissions (own,
    # group's), 6 the session, 9 its trainers, 13 registrations and 14
    # check-ins with their person and session, 16 the topic for the title,
    # 19 the content type for the history link, 20-22 the topic, zone and
    # trainer choices; 7-8, 10-12, 15 and 17-18: whether the session is in
    # the organizer's zones, asked by each permission check of the page and
    # its two inlines.
    with django_assert_num_queries(22):
        response = organizer_client.get(reverse("admin:trainings_session_change", args=[session.pk]))
    registrations, check_ins = (f.formset for f in response.context["inline_admin_formsets"])
    assert (len(registrations.forms), len(check_ins.forms)) == (rows, rows // 2 + 2)


@pytest.mark.parametrize("rows", ROWS)
def test_a_volunteers_page_lists_their_trainings_in_the_same_queries_for_10_or_1000_sessions(
    organizer_client, pilot, django_assert_num_queries, rows
):
    person = neighbors(1, pilot)[0]
    attended = sessions(rows, zone=pilot)
    bulk(RegistrationFactory, rows, session=factory.Iterator(attended), volunteer=person)
    bulk(AttendanceFactory, rows, session=factory.Iterator(attended), volunteer=person)
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4-5 the organizer's permissions (own,
    # group's), 6 the person, 9 their campaigns, 13 registrations and 14
    # check-ins with their session and topic, 18 the content type for the
    # history link, 19 their block, 20 the campaign choices; 7-8, 10-12 and
    # 15-17: whether the person is in the organizer's zones, asked by each
    # permission check of the page and its two inlines.
    with django_assert_num_queries(20):
        response = organizer_client.get(reverse("admin:signups_volunteer_change", args=[person.pk]))
    registrations, check_ins = (f.formset for f in response.context["inline_admin_formsets"])
    assert (len(registrations.forms), len(check_ins.forms)) == (rows, rows)


@pytest.mark.parametrize("rows", ROWS)
def test_the_session_list_costs_the_same_queries_for_10_or_1000_sessions(
    organizer_client, pilot, django_assert_num_queries, rows
):
    sessions(rows, zone=pilot)
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4-5 the organizer's permissions (own,
    # group's), 6-7 the zone and topic filters' choices, 8-9 counts
    # (filtered, total), 10 the page of sessions with topic, zone and
    # counts, 11-12 the date hierarchy.
    with django_assert_num_queries(12):
        response = organizer_client.get(reverse("admin:trainings_session_changelist"))
    assert response.context["cl"].result_count == rows
    assert {(s.seats_left, s.waitlist_count) for s in response.context["cl"].result_list} == {(0, 1)}


@pytest.mark.parametrize("rows", ROWS)
def test_the_topic_list_costs_the_same_queries_for_10_or_1000_topics(
    organizer_client, django_assert_num_queries, rows
):
    bulk(TopicFactory, rows)
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4-5 the organizer's permissions (own,
    # group's), 6-7 counts (filtered, total), 8 the page of topics.
    with django_assert_num_queries(8):
        response = organizer_client.get(reverse("admin:trainings_topic_changelist"))
    assert response.context["cl"].result_count == rows
