"""The messages sent, in the admin: read-only, scoped to the organizer's
zones, numbers masked; old texts are blanked."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from messaging.models import Kind, Message
from messaging.outbox import message_queue
from messaging.retention import message_bodies_erase
from signups.tests.factories import VolunteerFactory
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/messaging/message/"


@pytest.fixture
def organizer(client, otp_login):
    user = get_user_model().objects.create_user("org", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_message"))
    otp_login(client, user)
    return user


def _message(person, key):
    return message_queue(person, kind=Kind.NEWS, key=key, texts={"en": "Hello", "es": "Hola"})


def test_an_organizer_sees_the_messages_of_their_zones_with_numbers_masked(client, organizer):
    mine, other = ZoneFactory(), ZoneFactory()
    mine.organizers.add(organizer)
    ours = VolunteerFactory(block=BlockFactory(zone=mine), phone="+12155550123")
    theirs = VolunteerFactory(block=BlockFactory(zone=other))
    _message(ours, "a")
    _message(theirs, "b")
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert [m.volunteer_id for m in response.context["cl"].result_list] == [ours.pk]
    page = response.content.decode()
    assert "•••0123" in page and "2155550123" not in page


def test_the_list_takes_a_fixed_number_of_queries(client, organizer):
    zone = ZoneFactory()
    zone.organizers.add(organizer)
    for index in range(3):
        _message(VolunteerFactory(block=BlockFactory(zone=zone)), f"q{index}")
    client.get(CHANGELIST)
    with CaptureQueriesContext(connection) as few:
        client.get(CHANGELIST)
    for index in range(3, 10):
        _message(VolunteerFactory(block=BlockFactory(zone=zone)), f"q{index}")
    with CaptureQueriesContext(connection) as many:
        client.get(CHANGELIST)
    assert len(many) == len(few)


def test_a_message_page_masks_the_settings_link_and_offers_no_change(client, organizer):
    zone = ZoneFactory()
    zone.organizers.add(organizer)
    message = _message(VolunteerFactory(block=BlockFactory(zone=zone)), "c")
    response = client.get(f"{CHANGELIST}{message.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/es/me/•••/" in page
    token = message.body.split("/me/")[1].split("/")[0]
    assert token not in page
    assert client.post(f"{CHANGELIST}{message.pk}/delete/").status_code == 403
    assert client.get(f"{CHANGELIST}add/").status_code == 403


def test_texts_are_blanked_after_message_body_days(settings):
    settings.MESSAGE_BODY_DAYS = 30
    old = _message(VolunteerFactory(), "old")
    new = _message(VolunteerFactory(), "new")
    Message.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31),
                                             status=Message.Status.SENT)
    assert message_bodies_erase() == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.body, old.subject, old.status) == ("", "", Message.Status.SENT)
    assert old.body_erased_at is not None
    assert new.body.startswith("Hola")


def test_forgetting_a_person_blanks_their_messages_and_stops_the_unsent(sms_outbox):
    from signups.retention import volunteer_erase

    person = VolunteerFactory()
    message = _message(person, "forget")
    volunteer_erase(volunteer=person, user=None)
    message.refresh_from_db()
    assert (message.volunteer_id, message.body, message.status) == (None, "", Message.Status.DROPPED)
    assert message.body_erased_at is not None
