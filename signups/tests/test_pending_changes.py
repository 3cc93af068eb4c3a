"""A phone number is not a password: a form post adds to a record at once,
while answers that would replace stored ones wait as a pending change for
the person (a one-time emailed link) or an organizer (the admin)."""

import datetime
import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from signups.models import PendingChange, Volunteer
from messaging.tests.worker import worker_run_queued
from signups.pending import link_token_hash, pending_change_accept
from signups.services import volunteer_upsert
from signups.tests.factories import VolunteerFactory
from tests.query_budget import cold_caches, organizer_of
from zones.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for(client, otp_login):
    def login(*, zone):
        otp_login(client, organizer_of(zone))
        return client

    return login


def _sign_up(**overrides):
    fields = {
        "name": "Someone Else",
        "phone": "215-555-0123",
        "language": "en",
        "contact_methods": ["text"],
        "consent_version": settings.CONSENT_VERSION,
    }
    fields.update(overrides)
    return volunteer_upsert(**fields)


@pytest.fixture
def neighbor():
    return VolunteerFactory(
        name="Rosa Muñoz", phone="+12155550123", email="rosa@example.org", language="es",
        zip_code="19147", contact_methods=["text", "whatsapp"], ways_to_help=["get_trained"],
    )


def _sign_up_and_deliver(**overrides):
    """A post, then the worker sends what it queued (nothing is sent during
    the request)."""
    result = _sign_up(**overrides)
    worker_run_queued()
    return result


@pytest.fixture
def texts(sms_outbox):
    return sms_outbox


def _link(message):
    body = message["body"] if isinstance(message, dict) else message.body
    return re.search(r"http://\S+/join/confirm/\S+/", body).group(0)


def _path(url):
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_a_post_with_a_known_phone_replaces_nothing_and_keeps_the_answers_pending(neighbor, django_capture_on_commit_callbacks):
    other_block = BlockFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(name="Someone Else", language="en", block=other_block, zip_code="19148")
    neighbor.refresh_from_db()
    assert (neighbor.name, neighbor.language, neighbor.zip_code) == ("Rosa Muñoz", "es", "19147")
    assert neighbor.block != other_block
    changes = neighbor.pending_change.changes
    assert changes["name"] == "Someone Else"
    assert changes["language"] == "en"
    assert changes["zip_code"] == "19148"
    assert changes["block"] == other_block.pk


def test_answers_that_only_add_are_merged_at_once(neighbor):
    _sign_up(name="Rosa Muñoz", language="es", contact_methods=["text", "whatsapp", "call"],
             ways_to_help=["interpret"], email="")
    neighbor.refresh_from_db()
    assert neighbor.contact_methods == ["text", "whatsapp", "call"]
    assert neighbor.ways_to_help == ["get_trained", "interpret"]
    assert not PendingChange.objects.exists()


def test_a_block_and_zip_where_none_was_stored_are_added_at_once():
    volunteer = VolunteerFactory(phone="+12155550123", block=None, zip_code="")
    block = BlockFactory()
    _sign_up(name=volunteer.name, language=volunteer.language, block=block, zip_code="19147")
    volunteer.refresh_from_db()
    assert volunteer.block == block
    assert volunteer.zip_code == "19147"


def test_fewer_ways_to_contact_wait_since_they_remove_one(neighbor):
    _sign_up(name="Rosa Muñoz", language="es", contact_methods=["text"])
    neighbor.refresh_from_db()
    assert neighbor.contact_methods == ["text", "whatsapp"]
    assert neighbor.pending_change.changes == {"contact_methods": ["text"]}


@pytest.mark.django_db(transaction=True)
def test_the_link_goes_to_the_email_on_file_never_to_the_one_typed(neighbor):
    _sign_up_and_deliver(name="Intruder", email="intruder@example.org")
    assert [message.to for message in mail.outbox] == [["rosa@example.org"]]
    # In the person's language, and the new answers are not in the email.
    assert "Intruder" not in mail.outbox[0].body
    assert mail.outbox[0].subject == "¿Actualizaste tu información?"


@pytest.mark.django_db(transaction=True)
def test_without_an_email_on_file_the_link_goes_by_text_to_the_phone_on_file(texts):
    volunteer = VolunteerFactory(phone="+12155550123", email="", language="es")
    _sign_up_and_deliver(name="Intruder")
    assert mail.outbox == []
    assert [text["to"] for text in texts] == ["+12155550123"]
    body = texts[0]["body"]
    assert "Intruder" not in body
    assert body.startswith("Alguien se inscribió con tu número de teléfono")
    token = _link(texts[0]).rstrip("/").rsplit("/", 1)[1]
    assert PendingChange.objects.get(volunteer=volunteer).token_hash == link_token_hash(token)
    # An organizer can still review it in the admin.
    assert PendingChange.objects.filter(volunteer=volunteer).exists()


@pytest.mark.django_db(transaction=True)
def test_an_email_the_post_adds_gets_no_link_the_phone_on_file_does(texts):
    """An anonymous post may add an email to a phone-only record, but the
    link to confirm its other answers must not go to that email: whoever
    typed it would confirm their own changes."""
    volunteer = VolunteerFactory(phone="+12155550123", email="", contact_methods=["email"])
    _sign_up_and_deliver(name="Intruder", email="intruder@example.org", contact_methods=["email"])
    volunteer.refresh_from_db()
    assert volunteer.email == "intruder@example.org"
    assert mail.outbox == []
    assert [text["to"] for text in texts] == ["+12155550123"]


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_during_the_post_itself(neighbor):
    _sign_up(name="Intruder")
    assert mail.outbox == []
    worker_run_queued()
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_link_shows_the_answers_and_changes_nothing_until_the_person_confirms(client, neighbor):
    _sign_up_and_deliver(name="Rosa María Muñoz")
    url = _path(_link(mail.outbox[0]))
    page = client.get(url)
    assert page.status_code == 200
    assert "Rosa María Muñoz" in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"
    neighbor.refresh_from_db()
    assert neighbor.name == "Rosa Muñoz"
    response = client.post(url, {"answer": "accept"})
    assert response.status_code == 200
    neighbor.refresh_from_db()
    assert neighbor.name == "Rosa María Muñoz"
    # One time only.
    assert client.get(url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_person_can_turn_the_change_down(client, neighbor):
    _sign_up_and_deliver(name="Intruder")
    url = _path(_link(mail.outbox[0]))
    client.post(url, {"answer": "reject"})
    neighbor.refresh_from_db()
    assert neighbor.name == "Rosa Muñoz"
    assert not PendingChange.objects.exists()
    assert client.get(url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_newer_post_replaces_the_pending_change_and_its_link(client, neighbor):
    _sign_up_and_deliver(name="First Try")
    _sign_up_and_deliver(name="Second Try")
    first, second = (_path(_link(message)) for message in mail.outbox)
    assert client.get(first).status_code == 404
    assert "Second Try" in client.get(second).content.decode()
    assert PendingChange.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_old_link_opens_nothing(client, neighbor):
    _sign_up_and_deliver(name="Intruder")
    PendingChange.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    assert client.get(_path(_link(mail.outbox[0]))).status_code == 404


def test_an_unknown_link_is_a_404_in_the_pages_language(client):
    response = client.get("/es/join/confirm/not-a-real-token/")
    assert response.status_code == 404
    assert "Este enlace ya no funciona" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_database_keeps_only_a_hash_of_the_link(neighbor):
    _sign_up_and_deliver(name="Intruder")
    token = _link(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    assert token not in PendingChange.objects.get().token_hash


def test_accepting_leaves_out_a_phone_that_someone_else_has_now():
    volunteer = VolunteerFactory(phone="+12155550123", email="ana@example.org", name="Ana")
    _sign_up(phone="267-555-0100", email="ana@example.org", name="Ana")
    pending = PendingChange.objects.get()
    assert pending.changes["phone"] == "+12675550100"
    VolunteerFactory(phone="+12675550100")
    pending_change_accept(pending=pending)
    volunteer.refresh_from_db()
    assert volunteer.phone == "+12155550123"
    assert not PendingChange.objects.exists()


def test_erasing_the_person_takes_their_pending_change_with_them(neighbor):
    _sign_up(name="Intruder")
    Volunteer.objects.filter(pk=neighbor.pk).delete()
    assert not PendingChange.objects.exists()


# --- The admin ---------------------------------------------------------------------


def test_an_organizer_accepts_a_pending_change_of_their_zone(admin_client_for, neighbor):
    _sign_up(name="Rosa María Muñoz")
    client = admin_client_for(zone=neighbor.block.zone)
    pending = PendingChange.objects.get()
    response = client.post(
        reverse("admin:signups_pendingchange_changelist"),
        {"action": "accept_selected", "_selected_action": [pending.pk]},
    )
    assert response.status_code == 302
    neighbor.refresh_from_db()
    assert neighbor.name == "Rosa María Muñoz"


def test_an_organizer_rejects_a_pending_change(admin_client_for, neighbor):
    _sign_up(name="Intruder")
    client = admin_client_for(zone=neighbor.block.zone)
    pending = PendingChange.objects.get()
    client.post(
        reverse("admin:signups_pendingchange_changelist"),
        {"action": "reject_selected", "_selected_action": [pending.pk]},
    )
    neighbor.refresh_from_db()
    assert neighbor.name == "Rosa Muñoz"
    assert not PendingChange.objects.exists()


def test_an_organizer_of_another_zone_does_not_see_the_pending_change(admin_client_for, neighbor):
    _sign_up(name="Intruder")
    client = admin_client_for(zone=BlockFactory().zone)
    page = client.get(reverse("admin:signups_pendingchange_changelist")).content.decode()
    assert "Intruder" not in page
    pending = PendingChange.objects.get()
    client.post(
        reverse("admin:signups_pendingchange_changelist"),
        {"action": "accept_selected", "_selected_action": [pending.pk]},
    )
    neighbor.refresh_from_db()
    assert neighbor.name == "Rosa Muñoz"


def test_the_volunteers_list_filters_people_with_pending_changes(admin_client_for, neighbor):
    untouched = VolunteerFactory(block=neighbor.block, name="Untouched Person")
    _sign_up(name="Intruder")
    client = admin_client_for(zone=neighbor.block.zone)
    page = client.get(reverse("admin:signups_volunteer_changelist") + "?pending=yes").content.decode()
    assert "Rosa Muñoz" in page
    assert untouched.name not in page


@pytest.mark.parametrize("rows", [1, 20])
def test_the_pending_changes_list_costs_the_same_for_1_or_20_rows(admin_client_for, django_assert_num_queries, rows):
    block = BlockFactory()
    for n in range(rows):
        volunteer = VolunteerFactory(block=block, phone=f"+1215555{n:04d}", name=f"Person {n}")
        _sign_up(phone=volunteer.phone, name=f"New name {n}", block=BlockFactory())
    client = admin_client_for(zone=block.zone)
    url = reverse("admin:signups_pendingchange_changelist")
    cold_caches()
    # 1 session, 2 user, 3 OTP device, 4-5 the organizer's permissions (own,
    # group's), 6 count, 7 the page of changes with their volunteer.
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("New name") == rows



def test_the_pending_changes_list_finds_a_name_without_its_accents(admin_client_for, neighbor):
    _sign_up(name="Intruder")
    client = admin_client_for(zone=neighbor.block.zone)
    page = client.get(reverse("admin:signups_pendingchange_changelist") + "?q=munoz").content.decode()
    assert "Rosa Muñoz" in page


@pytest.mark.django_db(transaction=True)
def test_the_link_is_about_their_own_record_and_needs_no_consent_to_a_kind(texts):
    VolunteerFactory(phone="+12155550123", email="", message_kinds=[])
    _sign_up_and_deliver(name="Intruder")
    assert [text["to"] for text in texts] == ["+12155550123"]
