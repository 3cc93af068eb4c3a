"""The follow-up list: who signed up in a zone and is not trained yet, blocks
with no trained neighbor first, each with the next training in their
language nearest them; an organizer invites the chosen ones in one action
and sees a phone or email one person at a time, each time audited."""

import datetime
import uuid

import factory
import pytest
from django.urls import reverse
from django.utils import timezone

from messaging.models import Batch, Message
from messaging.tests.worker import worker_run_queued
from signups.audit import AuditEntry
from signups.tests.factories import VolunteerFactory
from tests.query_budget import blocks, bulk, cold_caches, organizer_of
from trainings.follow_up import follow_up_rows
from trainings.models import Session
from trainings.tests.factories import SessionFactory
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone():
    return ZoneFactory(slug="pilot", name_en="Pilot", name_es="Piloto")


@pytest.fixture
def organizer(zone):
    return organizer_of(zone)


@pytest.fixture
def organizer_client(client, organizer, otp_login):
    otp_login(client, organizer)
    return client


def trained(**fields):
    return VolunteerFactory(trained_at=timezone.now() - datetime.timedelta(days=2), **fields)


def in_days(days):
    return timezone.now() + datetime.timedelta(days=days)


def test_blocks_with_no_trained_neighbor_come_first_and_the_trained_are_not_listed(zone):
    covered = BlockFactory(zone=zone, street="S 4TH ST", hundred=100)
    bare = BlockFactory(zone=zone, street="S 8TH ST", hundred=900)
    trained(block=covered, name="Trained Already")
    VolunteerFactory(block=covered, name="Beto Covered")
    VolunteerFactory(block=bare, name="Ana María Bare")
    lapsed = VolunteerFactory(block=bare, name="Carla Lapsed", trained_at=in_days(-400), trained_until=in_days(-1))
    VolunteerFactory(block=BlockFactory(zone=ZoneFactory(slug="other")), name="Elsewhere")
    rows = follow_up_rows(zone)
    assert [row.volunteer.name for row in rows] == ["Ana María Bare", "Carla Lapsed", "Beto Covered"]
    assert [row.first_name for row in rows] == ["Ana", "Carla", "Beto"]
    assert lapsed.pk in {row.volunteer.pk for row in rows}


def test_each_person_gets_the_next_session_in_their_language_in_their_zone_first(zone):
    block = BlockFactory(zone=zone)
    spanish = VolunteerFactory(block=block, language="es")
    english = VolunteerFactory(block=block, language="en")
    SessionFactory(zone=zone, language=Session.Language.ENGLISH, starts_at=in_days(1))
    other_zone_sooner = SessionFactory(zone=ZoneFactory(slug="far"), language=Session.Language.SPANISH, starts_at=in_days(2))
    full = SessionFactory(zone=zone, language=Session.Language.SPANISH, starts_at=in_days(3), capacity=1)
    from trainings.tests.factories import RegistrationFactory

    RegistrationFactory(session=full)
    spanish_here = SessionFactory(zone=zone, language=Session.Language.SPANISH, starts_at=in_days(5))
    SessionFactory(zone=zone, language=Session.Language.BILINGUAL, starts_at=in_days(9))
    rows = {row.volunteer.pk: row.next_session for row in follow_up_rows(zone)}
    assert rows[spanish.pk] == spanish_here  # in the zone, with seats, before a sooner one farther away
    assert rows[english.pk].language == Session.Language.ENGLISH
    assert other_zone_sooner not in rows.values()


def test_a_person_with_no_session_in_their_language_has_none(zone):
    VolunteerFactory(block=BlockFactory(zone=zone), language="es")
    SessionFactory(zone=zone, language=Session.Language.ENGLISH)
    assert follow_up_rows(zone)[0].next_session is None


def test_the_page_shows_first_names_and_blocks_never_a_phone_or_email(organizer_client, zone):
    person = VolunteerFactory(block=BlockFactory(zone=zone, street="S 9TH ST", hundred=1100), name="Rosa Delgado Ruiz")
    SessionFactory(zone=zone)
    body = organizer_client.get(reverse("admin:trainings_follow_up", args=[zone.pk])).content.decode()
    assert "Rosa" in body and "1100 block of S 9th St" in body
    assert "Delgado" not in body
    assert person.phone not in body and person.email not in body


def test_a_reveal_shows_one_persons_contact_and_is_audited(organizer_client, organizer, zone):
    person = VolunteerFactory(block=BlockFactory(zone=zone), name="Rosa Delgado")
    other = VolunteerFactory(block=BlockFactory(zone=zone))
    url = reverse("admin:trainings_follow_up", args=[zone.pk])
    body = organizer_client.post(url, {"reveal": person.pk}).content.decode()
    assert person.phone in body and person.email in body
    assert other.phone not in body
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REVEAL)
    assert (entry.actor, entry.subject, entry.row_count) == (organizer, f"volunteer:{person.pk}", 1)
    assert person.phone not in entry.detail


def test_nobody_outside_the_list_is_revealed(organizer_client, zone):
    elsewhere = VolunteerFactory(block=BlockFactory(zone=ZoneFactory(slug="b")))
    done = trained(block=BlockFactory(zone=zone))
    url = reverse("admin:trainings_follow_up", args=[zone.pk])
    for person in (elsewhere, done):
        body = organizer_client.post(url, {"reveal": person.pk}).content.decode()
        assert person.phone not in body
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL).exists()
    assert organizer_client.post(url, {"reveal": "x'; drop"}).status_code == 200


def test_another_zones_organizer_gets_a_404(client, otp_login, zone):
    VolunteerFactory(block=BlockFactory(zone=zone))
    other = ZoneFactory(slug="b")
    otp_login(client, organizer_of(other, username="organizer-b"))
    url = reverse("admin:trainings_follow_up", args=[zone.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reveal": 1}).status_code == 404


# The worker runs after the commit, as in production.
@pytest.mark.django_db(transaction=True)
def test_inviting_the_chosen_people_queues_one_message_each_in_their_language_once(
    organizer_client, organizer, zone, sms_outbox
):
    block = BlockFactory(zone=zone)
    ana = VolunteerFactory(block=block, language="es", name="Ana")
    bob = VolunteerFactory(block=block, language="en", name="Bob")
    not_chosen = VolunteerFactory(block=block)
    no_news = VolunteerFactory(block=block, message_kinds=["reminder"])
    session = SessionFactory(zone=zone, neighborhood="Bella Vista")
    url = reverse("admin:trainings_follow_up", args=[zone.pk])
    page = organizer_client.get(url)
    texts = page.context["texts"]
    assert "Bella Vista" in texts["en"] and "Bella Vista" in texts["es"]
    assert texts["en"] != texts["es"]
    assert session.address not in texts["en"]
    post = {
        "session": session.pk, "nonce": str(uuid.uuid4()), "person": [ana.pk, bob.pk, no_news.pk],
        "text_en": "Training Saturday, see you", "text_es": "Taller el sábado, te esperamos",
    }
    response = organizer_client.post(url, post)
    batch = Batch.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{batch.pk}/change/")
    organizer_client.post(url, post)  # the same form twice: one send
    assert Batch.objects.count() == 1
    assert batch.kind == "news" and batch.created_by == organizer and batch.recipients == 2
    assert list(batch.segment_send.zones.all()) == [zone]
    messages = {m.volunteer_id: m for m in Message.objects.filter(batch=batch)}
    assert set(messages) == {ana.pk, bob.pk}
    assert not_chosen.pk not in messages
    worker_run_queued()
    bodies = {m["to"]: m["body"] for m in sms_outbox}
    assert "Taller el sábado" in bodies[ana.phone] and "Training Saturday" in bodies[bob.phone]


def test_posted_ids_reach_only_the_zones_untrained(organizer_client, zone):
    elsewhere = VolunteerFactory(block=BlockFactory(zone=ZoneFactory(slug="b")))
    done = trained(block=BlockFactory(zone=zone))
    session = SessionFactory(zone=zone)
    organizer_client.post(reverse("admin:trainings_follow_up", args=[zone.pk]), {
        "session": session.pk, "nonce": str(uuid.uuid4()), "person": [elsewhere.pk, done.pk],
        "text_en": "Hi", "text_es": "Hola",
    })
    assert not Message.objects.exists()


def test_an_invitation_without_both_texts_or_people_is_refused_with_a_message(organizer_client, zone):
    person = VolunteerFactory(block=BlockFactory(zone=zone))
    session = SessionFactory(zone=zone)
    url = reverse("admin:trainings_follow_up", args=[zone.pk])
    for post in (
        {"session": session.pk, "person": [person.pk], "text_en": "Hi", "text_es": " "},
        {"session": session.pk, "text_en": "Hi", "text_es": "Hola"},
        {"session": "nope", "person": [person.pk], "text_en": "Hi", "text_es": "Hola"},
    ):
        response = organizer_client.post(url, {**post, "nonce": "not-a-uuid"}, follow=True)
        assert response.status_code == 200
        assert list(response.context["messages"])
    assert not Batch.objects.exists()


@pytest.mark.parametrize("count", (10, 2000))
def test_the_list_costs_the_same_queries_for_10_or_2000_blocks(
    organizer_client, zone, django_assert_num_queries, count
):
    on_blocks = blocks(count, zone=zone)
    bulk(VolunteerFactory, count, block=factory.Iterator(on_blocks),
         trained_at=factory.Iterator([timezone.now() - datetime.timedelta(days=1), None]))
    SessionFactory(zone=zone)
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4-5 the organizer's permissions (own,
    # group's), 6 the zone, 7 the upcoming sessions, 8 the people with their
    # blocks, trained neighbors and registrations.
    with django_assert_num_queries(8):
        response = organizer_client.get(reverse("admin:trainings_follow_up", args=[zone.pk]))
    assert len(response.context["rows"]) == min(count // 2, 500)
