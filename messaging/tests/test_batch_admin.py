"""The admin pages of an organizer's message to a segment: compose and
preview, send after a confirmation step (once, however often it is
clicked), the list of sends and the delivery report — phones masked, query
counts fixed."""

import re
import uuid

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from messaging.models import Batch, Message
from messaging.segment_send import SegmentSend, segment_send
from signups.tests.factories import VolunteerFactory
from tests.auth import login_with_otp
from trainings.tests.factories import UserFactory
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = pytest.mark.django_db

COMPOSE = "admin:messaging_batch_add"
TEXTS = {"en": "Training Saturday at St. Thomas Aquinas", "es": "Taller el sábado en St. Thomas Aquinas"}


@pytest.fixture(autouse=True)
def _no_quiet_hours(settings):
    settings.QUIET_HOURS = "00:00-00:00"


@pytest.fixture
def zone_a():
    return ZoneFactory(name_en="Zone A", name_es="Zona A")


def _organizer(zone, name):
    user = UserFactory(username=name, is_staff=True)
    user.groups.add(Group.objects.get(name="Organizer"))
    zone.organizers.add(user)
    return user


@pytest.fixture
def organizer(zone_a):
    return _organizer(zone_a, "organizer-a")


@pytest.fixture
def logged_in(client, organizer):
    login_with_otp(client, organizer)
    return client


def _form(zone, **overrides):
    return {
        "zones": [zone.pk], "kind": "news", "training": "",
        "subject_en": "Training Saturday", "subject_es": "Taller el sábado",
        "text_en": TEXTS["en"], "text_es": TEXTS["es"], "nonce": str(uuid.uuid4()),
        **overrides,
    }


def _preview(client, data):
    response = client.post(reverse(COMPOSE), {**data, "_preview": "1"})
    assert response.status_code == 200
    return response


def _digest(response):
    return re.search(r'name="digest" value="([0-9a-f]+)"', response.content.decode()).group(1)


def test_the_compose_page_offers_only_the_organizers_zones(logged_in, zone_a):
    ZoneFactory(name_en="Zone B")
    page = logged_in.get(reverse(COMPOSE)).content.decode()
    assert "Zone A" in page and "Zone B" not in page
    assert 'src="/static/js/sms-segments.js"' in page
    assert "<script>" not in page.split("<body", 1)[1]  # no inline script (CSP)


def test_the_preview_shows_each_language_its_segments_and_who_it_reaches(logged_in, zone_a):
    block = BlockFactory(zone=zone_a)
    VolunteerFactory(block=block, contact_methods=["text"])
    VolunteerFactory(block=block, contact_methods=["whatsapp"])
    VolunteerFactory(block=block, message_kinds=["reminder"])
    page = _preview(logged_in, _form(zone_a)).content.decode()
    assert TEXTS["en"] in page and TEXTS["es"] in page
    # Spanish has an á: UCS-2, said and explained.
    assert "(UCS-2)" in page and "(GSM-7)" in page
    assert re.search(r"make it a Unicode \(UCS-2\) text: á\.", page)
    assert re.search(r"<th scope=\"row\">Text message</th><td>1</td>", page)
    assert re.search(r"<th scope=\"row\">WhatsApp</th><td>1</td>", page)
    assert re.search(r"Did not agree to this kind of message</th><td>1</td>", page)
    assert "Send to 2 people" in page
    assert not Batch.objects.exists()


def test_sending_takes_the_confirmation_of_exactly_what_was_previewed(logged_in, zone_a):
    VolunteerFactory(block=BlockFactory(zone=zone_a))
    data = _form(zone_a)
    # No preview yet: the preview comes back, nothing is sent.
    response = logged_in.post(reverse(COMPOSE), {**data, "_send": "1"})
    assert response.status_code == 200 and not Batch.objects.exists()
    digest = _digest(_preview(logged_in, data))
    # The text changed after the preview: shown again, not sent.
    changed = logged_in.post(reverse(COMPOSE), {**data, "text_en": "Something else", "_send": "1", "digest": digest})
    assert "changed since the preview" in changed.content.decode() and not Batch.objects.exists()
    sent = logged_in.post(reverse(COMPOSE), {**data, "_send": "1", "digest": digest})
    batch = Batch.objects.get()
    assert sent.status_code == 302 and sent["Location"] == reverse("admin:messaging_batch_change", args=[batch.pk])
    assert batch.recipients == 1 and Message.objects.filter(batch=batch).count() == 1


def test_a_double_submit_makes_one_batch(logged_in, zone_a):
    VolunteerFactory(block=BlockFactory(zone=zone_a))
    data = _form(zone_a)
    data["digest"] = _digest(_preview(logged_in, data))
    first = logged_in.post(reverse(COMPOSE), {**data, "_send": "1"})
    second = logged_in.post(reverse(COMPOSE), {**data, "_send": "1"})
    assert first["Location"] == second["Location"]
    assert Batch.objects.count() == 1 and Message.objects.count() == 1


def test_a_forged_zone_reaches_nobody_outside_the_organizers_zones(logged_in, zone_a):
    zone_b = ZoneFactory()
    VolunteerFactory(block=BlockFactory(zone=zone_b))
    response = logged_in.post(reverse(COMPOSE), {**_form(zone_b), "_preview": "1"})
    assert "Select a valid choice" in response.content.decode() or "Escoja una opción válida" in response.content.decode()
    assert not Batch.objects.exists()


def test_bad_input_is_a_form_with_errors_never_a_500(logged_in, zone_a):
    response = logged_in.post(reverse(COMPOSE), {"zones": ["x"], "nonce": "nope", "kind": "urgent",
                                                 "text_en": "a" * 5000, "_preview": "1"})
    assert response.status_code == 200
    assert "errornote" in response.content.decode()


def _send(organizer, zone, text="Hello"):
    batch, _created = segment_send(user=organizer, segment={"zones": [zone.pk]}, kind="news",
                                   texts={"en": text, "es": text}, subjects={"en": "S", "es": "S"},
                                   nonce=uuid.uuid4())
    return batch


def _queries(client, url):
    client.get(url)  # the first request of a session also reads who is logged in into the cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_of_sends_takes_the_same_queries_for_one_or_many(logged_in, organizer, zone_a):
    VolunteerFactory(block=BlockFactory(zone=zone_a))
    url = reverse("admin:messaging_batch_changelist")
    _send(organizer, zone_a, "First")
    one = _queries(logged_in, url)
    for n in range(3):
        _send(organizer, zone_a, f"More {n}")
    # The user's own and group permissions; the count of sends; the page
    # of sends with their delivery counts and senders; the password hash
    # the session is checked against. The kind filter needs none.
    assert one == 5
    assert _queries(logged_in, url) == one


def test_an_organizer_sees_only_the_sends_to_their_zones(client, organizer, zone_a):
    zone_b = ZoneFactory()
    VolunteerFactory(block=BlockFactory(zone=zone_b))
    theirs = _send(_organizer(zone_b, "organizer-b"), zone_b, "Only for zone B")
    login_with_otp(client, organizer)
    assert "Only for zone B" not in client.get(reverse("admin:messaging_batch_changelist")).content.decode()
    assert client.get(reverse("admin:messaging_batch_change", args=[theirs.pk])).status_code == 404


def test_the_report_masks_every_phone_and_email(logged_in, organizer, zone_a):
    block = BlockFactory(zone=zone_a)
    texted = VolunteerFactory(block=block, phone="+12155550142", contact_methods=["text"])
    emailed = VolunteerFactory(block=block, phone="", email="ana.lopez@example.org", contact_methods=["email"])
    batch = _send(organizer, zone_a)
    page = logged_in.get(reverse("admin:messaging_batch_change", args=[batch.pk])).content.decode()
    assert texted.name in page and emailed.name in page
    assert "•••0142" in page and "a•••@e•••.org" in page
    assert "2155550142" not in page and "555-0142" not in page and "ana.lopez" not in page


def test_the_report_shows_progress_and_reasons_and_reloads_until_done(logged_in, organizer, zone_a):
    block = BlockFactory(zone=zone_a)
    for _ in range(4):
        VolunteerFactory(block=block)
    batch = _send(organizer, zone_a)
    url = reverse("admin:messaging_batch_change", args=[batch.pk])
    page = logged_in.get(url).content.decode()
    assert '<progress max="100" value="0">' in page and 'http-equiv="refresh"' in page
    ids = list(Message.objects.filter(batch=batch).values_list("pk", flat=True))
    Message.objects.filter(pk__in=ids[:3]).update(status=Message.Status.DELIVERED)
    Message.objects.filter(pk=ids[3]).update(status=Message.Status.UNDELIVERABLE, error_code="21211")
    page = logged_in.get(url).content.decode()
    assert '<progress max="100" value="100">' in page and 'http-equiv="refresh"' not in page
    assert "Not a valid phone number" in page


def test_the_report_takes_the_same_queries_for_few_or_many_messages(logged_in, organizer, zone_a):
    block = BlockFactory(zone=zone_a)
    VolunteerFactory(block=block)
    few = _send(organizer, zone_a, "Few")
    for _ in range(30):
        VolunteerFactory(block=block)
    many = _send(organizer, zone_a, "Many")
    # The user's own and group permissions; the batch, and whether it is
    # in the user's zones; counts by status, by error code, and the first
    # held message (while some are queued); the count and the page of
    # messages with their people; the password hash the session is
    # checked against.
    one = _queries(logged_in, reverse("admin:messaging_batch_change", args=[few.pk]))
    assert one == 10
    assert _queries(logged_in, reverse("admin:messaging_batch_change", args=[many.pk])) == one


def test_nobody_changes_or_deletes_a_send(logged_in, organizer, zone_a):
    batch = _send(organizer, zone_a)
    assert logged_in.post(reverse("admin:messaging_batch_delete", args=[batch.pk])).status_code in (403, 302)
    assert Batch.objects.filter(pk=batch.pk).exists()
    assert SegmentSend.objects.filter(batch=batch).exists()


def test_the_compose_page_speaks_spanish_to_a_spanish_speaking_organizer(logged_in, zone_a):
    VolunteerFactory(block=BlockFactory(zone=zone_a))
    response = logged_in.post(reverse(COMPOSE), {**_form(zone_a), "_preview": "1"}, HTTP_ACCEPT_LANGUAGE="es")
    page = response.content.decode()
    assert "Quién lo recibe" in page and "A quién llega" in page and "Enviar a 1 persona" in page
