"""An organizer's message to a segment: the people it names (only ever in
the organizer's zones), who it reaches and who not, sending it once, and
the delivery report."""

import datetime
import uuid

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from messaging.models import Batch, Channel, Kind, Message, OptOut
from messaging.segment_send import (
    SegmentSend,
    Training,
    batch_report,
    segment_preview,
    segment_reach,
    segment_send,
    segment_volunteers,
)
from signups.audit import AuditEntry
from signups.contact_hash import contact_hash
from signups.tests.factories import VolunteerFactory
from trainings.tests.factories import RegistrationFactory, SessionFactory, UserFactory
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = pytest.mark.django_db

TEXTS = {"en": "Training Saturday at St. Thomas Aquinas", "es": "Taller el sábado en St. Thomas Aquinas"}
SUBJECTS = {"en": "Training Saturday", "es": "Taller el sábado"}


@pytest.fixture(autouse=True)
def _no_quiet_hours(settings):
    # Whatever the hour the tests run at; quiet hours have their own test.
    settings.QUIET_HOURS = "00:00-00:00"


@pytest.fixture
def zone_a():
    return ZoneFactory(name_en="Zone A")


@pytest.fixture
def organizer(zone_a):
    user = UserFactory(username="organizer-a", is_staff=True)
    user.groups.add(Group.objects.get(name="Organizer"))
    zone_a.organizers.add(user)
    return user


def _people(segment, organizer):
    return set(segment_volunteers(segment, user=organizer))


def test_a_segment_is_the_people_of_the_zones_chosen(zone_a, organizer):
    here = VolunteerFactory(block=BlockFactory(zone=zone_a))
    VolunteerFactory(block=BlockFactory(zone=ZoneFactory()))
    VolunteerFactory(block=None)
    assert _people({"zones": [zone_a.pk]}, organizer) == {here}


def test_another_zones_id_in_the_segment_reaches_nobody_there(zone_a, organizer):
    elsewhere = ZoneFactory()
    VolunteerFactory(block=BlockFactory(zone=elsewhere))
    assert _people({"zones": [elsewhere.pk]}, organizer) == set()
    assert _people({"zones": []}, organizer) == set()


def test_blocks_languages_and_ways_to_help_narrow_it(zone_a, organizer):
    block, other_block = BlockFactory(zone=zone_a), BlockFactory(zone=zone_a)
    spanish_host = VolunteerFactory(block=block, language="es", ways_to_help=["host_training"])
    VolunteerFactory(block=block, language="en", ways_to_help=["host_training"])
    VolunteerFactory(block=other_block, language="es", ways_to_help=["host_training"])
    VolunteerFactory(block=block, language="es", ways_to_help=["interpret"])
    segment = {"zones": [zone_a.pk], "blocks": [block.pk], "languages": ["es"],
               "ways_to_help": ["host_training", "knock_doors"]}
    assert _people(segment, organizer) == {spanish_host}


def test_trained_untrained_and_needing_a_refresher(zone_a, organizer):
    block = BlockFactory(zone=zone_a)
    now = timezone.now()
    trained = VolunteerFactory(block=block, trained_at=now - datetime.timedelta(days=30), trained_until=None)
    lapsed = VolunteerFactory(block=block, trained_at=now - datetime.timedelta(days=400),
                              trained_until=now - datetime.timedelta(days=35))
    never = VolunteerFactory(block=block, trained_at=None)
    segment = {"zones": [zone_a.pk]}
    assert _people({**segment, "training": Training.TRAINED}, organizer) == {trained}
    assert _people({**segment, "training": Training.UNTRAINED}, organizer) == {never}
    assert _people({**segment, "training": Training.REFRESHER}, organizer) == {lapsed}
    assert _people({**segment, "training": Training.ANY}, organizer) == {trained, lapsed, never}


def test_a_sessions_registrations_without_its_waitlist(zone_a, organizer):
    block = BlockFactory(zone=zone_a)
    session = SessionFactory(zone=zone_a)
    coming = VolunteerFactory(block=block)
    RegistrationFactory(session=session, volunteer=coming)
    RegistrationFactory(session=session, volunteer=VolunteerFactory(block=block), status="waitlisted")
    VolunteerFactory(block=block)
    assert _people({"zones": [zone_a.pk], "session": session.pk}, organizer) == {coming}


def test_another_zones_session_names_nobody(zone_a, organizer):
    block = BlockFactory(zone=zone_a)
    their_session = SessionFactory(zone=ZoneFactory())
    RegistrationFactory(session=their_session, volunteer=VolunteerFactory(block=block))
    assert _people({"zones": [zone_a.pk], "session": their_session.pk}, organizer) == set()


def test_the_reach_counts_each_channel_and_each_reason_to_leave_someone_out(zone_a, organizer):
    block = BlockFactory(zone=zone_a)
    VolunteerFactory(block=block, contact_methods=["text"], language="es")
    VolunteerFactory(block=block, contact_methods=["whatsapp"], language="both")
    VolunteerFactory(block=block, contact_methods=["email"], phone="", language="en")
    VolunteerFactory(block=block, message_kinds=["reminder"])  # no news
    stopped = VolunteerFactory(block=block)
    OptOut.objects.create(contact_hash=contact_hash(stopped.phone), source=OptOut.Source.REPLY)
    reach = segment_reach(segment_volunteers({"zones": [zone_a.pk]}, user=organizer), kind=Kind.NEWS)
    assert reach.channels == {Channel.SMS: 1, Channel.WHATSAPP: 1, Channel.EMAIL: 1}
    assert reach.languages == {"en": 1, "es": 2}
    assert (reach.recipients, reach.no_consent, reach.opted_out, reach.no_contact, reach.excluded) == (3, 1, 1, 0, 2)
    assert reach.held_until is None


def test_quiet_hours_hold_news_until_morning(zone_a, organizer, settings):
    settings.QUIET_HOURS = "00:00-23:59"
    VolunteerFactory(block=BlockFactory(zone=zone_a))
    reach = segment_reach(segment_volunteers({"zones": [zone_a.pk]}, user=organizer), kind=Kind.NEWS)
    assert reach.held_until is not None and reach.held_until > timezone.now()


def test_the_preview_counts_each_language_as_a_text_carries_it():
    english, spanish = segment_preview(texts=TEXTS, subjects=SUBJECTS)
    assert english.language == "en" and spanish.language == "es"
    assert english.text_count.encoding == "GSM-7"
    assert spanish.text_count.encoding == "UCS-2" and spanish.text_count.non_gsm_characters == ("á",)
    # The footer (who it is from, how to stop, the settings link) counts too.
    assert english.sms.startswith(TEXTS["en"]) and len(english.sms) > len(TEXTS["en"]) + 22
    assert english.sms_count.characters == len(english.sms)


def _send(organizer, zone, *, nonce=None, kind=Kind.NEWS):
    return segment_send(user=organizer, segment={"zones": [zone.pk]}, kind=kind, texts=TEXTS, subjects=SUBJECTS,
                        nonce=nonce or uuid.uuid4())


def test_a_send_queues_one_message_per_person_reached_in_their_language(zone_a, organizer):
    block = BlockFactory(zone=zone_a)
    ana = VolunteerFactory(block=block, language="es")
    bob = VolunteerFactory(block=block, language="en", phone="", contact_methods=["email"])
    VolunteerFactory(block=block, message_kinds=[])
    batch, created = _send(organizer, zone_a)
    assert created and batch.recipients == 2
    assert batch.created_by == organizer and batch.segment == {"zones": [zone_a.pk]}
    assert list(batch.segment_send.zones.all()) == [zone_a]
    messages = {m.volunteer_id: m for m in Message.objects.filter(batch=batch)}
    assert set(messages) == {ana.pk, bob.pk}
    assert messages[ana.pk].body.startswith(TEXTS["es"]) and messages[ana.pk].channel == Channel.SMS
    assert messages[bob.pk].body.startswith(TEXTS["en"]) and messages[bob.pk].subject == SUBJECTS["en"]


def test_the_same_form_sent_twice_makes_one_batch(zone_a, organizer):
    VolunteerFactory(block=BlockFactory(zone=zone_a))
    nonce = uuid.uuid4()
    first, created = _send(organizer, zone_a, nonce=nonce)
    again, created_again = _send(organizer, zone_a, nonce=nonce)
    assert created and not created_again and first.pk == again.pk
    assert Batch.objects.count() == SegmentSend.objects.count() == 1
    assert Message.objects.count() == 1


def test_every_send_is_an_audit_entry_without_names_or_text(zone_a, organizer):
    person = VolunteerFactory(block=BlockFactory(zone=zone_a), name="Alma Secreta")
    batch, _created = _send(organizer, zone_a)
    entry = AuditEntry.objects.get(model="messaging.batch")
    assert (entry.actor, entry.action, entry.object_id, entry.row_count) == (organizer, "create", str(batch.pk), 1)
    assert person.name not in entry.detail and "sábado" not in entry.detail and person.phone not in entry.detail


def test_urgent_alerts_are_not_a_segments_to_send(zone_a, organizer):
    with pytest.raises(ValueError):
        _send(organizer, zone_a, kind=Kind.URGENT)
    assert not Batch.objects.exists()


def test_the_report_counts_by_status_and_failures_by_reason(zone_a, organizer, django_assert_num_queries):
    block = BlockFactory(zone=zone_a)
    for _ in range(5):
        VolunteerFactory(block=block)
    batch, _created = _send(organizer, zone_a)
    ids = list(Message.objects.filter(batch=batch).order_by("pk").values_list("pk", flat=True))
    Message.objects.filter(pk=ids[0]).update(status=Message.Status.DELIVERED)
    Message.objects.filter(pk=ids[1]).update(status=Message.Status.SENT)
    Message.objects.filter(pk__in=ids[2:4]).update(status=Message.Status.UNDELIVERABLE, error_code="30003")
    with django_assert_num_queries(3):  # by status, failures by code, the first held message
        report = batch_report(batch)
    assert report.total == 5 and report.done == 4 and report.percent_done == 80 and not report.finished
    assert report.by_status[Message.Status.QUEUED] == 1
    assert [(code, count) for code, _reason, count in report.failures] == [("30003", 2)]
    assert str(report.failures[0][1]) == "Phone off or out of reach"
