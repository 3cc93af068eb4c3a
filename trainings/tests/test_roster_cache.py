"""The roster's list is rendered once per change of its people and kept in
the shared cache (trainings.views.roster.roster_rows): the trainers of a session
get the same list until a check-in, a registration or a person changes it,
and then see the change at once."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from tests.auth import login_with_otp
from trainings.services import attendance_record, attendance_undo
from trainings.tests.factories import RegistrationFactory, UserFactory


@pytest.fixture
def roster_url(session_today):
    return reverse("trainings:roster", args=[session_today.pk])


@pytest.fixture
def other_trainer_client(session_today):
    other = UserFactory()
    session_today.trainers.add(other)
    client = Client()
    login_with_otp(client, other)
    return client


def row_of(page, name):
    return re.search(rf'<li class="roster-row[^"]*" data-name="{name}".*?</li>', page, re.S).group(0)


def test_the_list_is_read_from_the_database_once(trainer_client, session_today, roster_url, django_assert_max_num_queries):
    for name in ("Ana", "Beto", "Caro"):
        RegistrationFactory(session=session_today, volunteer__name=name)
    trainer_client.get(roster_url)

    # The whole page is kept: not the people, nor the user, the session or
    # today's sessions.
    with django_assert_max_num_queries(0):
        page = trainer_client.get(roster_url).content.decode()

    assert all(name in page for name in ("Ana", "Beto", "Caro"))


def test_a_trainer_taken_off_the_session_gets_no_kept_roster_at_the_next_request(trainer, trainer_client, session_today, roster_url):
    RegistrationFactory(session=session_today, volunteer__name="Ana")
    assert trainer_client.get(roster_url).status_code == 200
    assert trainer_client.get(roster_url).status_code == 200

    session_today.trainers.remove(trainer)

    assert trainer_client.get(roster_url).status_code == 404


def test_a_message_or_a_search_is_rendered_for_this_response_only(trainer_client, session_today, roster_url):
    volunteer = RegistrationFactory(session=session_today, volunteer__name="Ana").volunteer
    trainer_client.get(roster_url)
    checkin_url = reverse("trainings:checkin", args=[session_today.pk])
    # A check-in without JavaScript comes back to the roster with a message.
    response = trainer_client.post(checkin_url, {"volunteer": volunteer.pk, "nonce": str(uuid.uuid4())}, follow=True)
    assert "Ana is checked in." in response.content.decode()
    assert "Ana is checked in." not in trainer_client.get(roster_url).content.decode()
    assert 'value="Ana"' in trainer_client.get(roster_url, {"q": "Ana"}).content.decode()


def test_every_response_gets_its_own_csrf_token_and_row_nonces(trainer_client, session_today, roster_url):
    for name in ("Ana", "Beto"):
        RegistrationFactory(session=session_today, volunteer__name=name)
    first = trainer_client.get(roster_url).content.decode()
    second = trainer_client.get(roster_url).content.decode()

    for page in (first, second):
        assert "rz-per-" not in page
        nonces = re.findall(r'name="nonce" value="([0-9a-f-]{36})"', page)
        assert len(nonces) >= 2 and len(set(nonces)) == len(nonces)
        assert {uuid.UUID(nonce).version for nonce in nonces} == {4}  # what the check-in's UUIDField takes
    assert set(re.findall(r'name="nonce" value="([0-9a-f-]{36})"', first)).isdisjoint(
        re.findall(r'name="nonce" value="([0-9a-f-]{36})"', second)
    )


def test_a_check_in_shows_on_every_trainers_roster_at_once(
    trainer_client, other_trainer_client, session_today, roster_url
):
    ana = RegistrationFactory(session=session_today, volunteer__name="Ana").volunteer
    assert "is-checked-in" not in row_of(other_trainer_client.get(roster_url).content.decode(), "Ana")

    trainer_client.post(
        reverse("trainings:checkin", args=[session_today.pk]),
        {"volunteer": ana.pk, "nonce": str(uuid.uuid4())}, HTTP_ACCEPT="application/json",
    )

    assert "is-checked-in" in row_of(other_trainer_client.get(roster_url).content.decode(), "Ana")


def test_an_undo_shows_at_once(trainer_client, session_today, roster_url):
    ana = RegistrationFactory(session=session_today, volunteer__name="Ana").volunteer
    nonce = uuid.uuid4()
    attendance_record(session=session_today, volunteer=ana, nonce=nonce)
    assert "is-checked-in" in row_of(trainer_client.get(roster_url).content.decode(), "Ana")

    attendance_undo(session=session_today, nonce=nonce)

    assert "is-checked-in" not in row_of(trainer_client.get(roster_url).content.decode(), "Ana")


def test_a_new_registration_and_a_renamed_person_show_at_once(trainer_client, session_today, roster_url):
    ana = RegistrationFactory(session=session_today, volunteer__name="Ana").volunteer
    trainer_client.get(roster_url)

    RegistrationFactory(session=session_today, volunteer__name="Beto")
    ana.name = "Ana María"
    ana.save()

    page = trainer_client.get(roster_url).content.decode()
    assert 'data-name="Beto"' in page
    assert 'data-name="Ana María"' in page


def test_another_sessions_check_in_leaves_this_roster_cached(
    trainer_client, session_today, roster_url, django_assert_max_num_queries
):
    from trainings.tests.factories import SessionFactory

    RegistrationFactory(session=session_today, volunteer__name="Ana")
    elsewhere = RegistrationFactory(session=SessionFactory())
    trainer_client.get(roster_url)

    attendance_record(session=elsewhere.session, volunteer=elsewhere.volunteer, nonce=uuid.uuid4())

    with django_assert_max_num_queries(4):
        trainer_client.get(roster_url)


def test_a_search_is_rendered_for_itself(trainer_client, session_today, roster_url):
    for name in ("Ana", "Beto"):
        RegistrationFactory(session=session_today, volunteer__name=name)
    trainer_client.get(roster_url)  # cached without a search

    page = trainer_client.get(roster_url, {"q": "beto"}).content.decode()

    assert " hidden" in row_of(page, "Ana")
    assert " hidden" not in row_of(page, "Beto")
