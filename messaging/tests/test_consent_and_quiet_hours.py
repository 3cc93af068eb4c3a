"""Consent per kind, opt-outs and quiet hours decide what is queued."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from messaging.models import Kind, Message, OptOut
from messaging.outbox import message_queue, quiet_hours_end
from messaging.tests.worker import worker_run_queued
from signups.contact_hash import contact_hash
from signups.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def _queue(person, kind, key="k:1"):
    return message_queue(person, kind=kind, key=key, texts={"en": "Hi", "es": "Hola"})


def test_a_kind_the_person_did_not_agree_to_is_not_queued():
    person = VolunteerFactory(message_kinds=["reminder"])
    assert _queue(person, Kind.NEWS) is None
    assert _queue(person, Kind.URGENT, key="k:2") is None
    assert _queue(person, Kind.REMINDER, key="k:3") is not None
    assert _queue(person, Kind.TRANSACTIONAL, key="k:4") is not None


def test_an_opted_out_email_stops_texts_to_the_same_person_too():
    person = VolunteerFactory()
    OptOut.objects.create(contact_hash=contact_hash(person.email), source=OptOut.Source.UNSUBSCRIBE)
    assert _queue(person, Kind.REMINDER) is None
    assert not Message.objects.exists()


@pytest.mark.parametrize("local, expected", [
    ((22, 30), (1, 9)), ((2, 0), (0, 9)), ((8, 59), (0, 9)), ((9, 0), None), ((20, 59), None), ((21, 0), (1, 9)),
])
def test_quiet_hours_end_at_the_next_nine_in_the_morning(settings, local, expected):
    settings.QUIET_HOURS = "21:00-09:00"
    now = datetime.datetime(2026, 12, 5, *local, tzinfo=NEW_YORK)
    end = quiet_hours_end(now)
    if expected is None:
        assert end is None
    else:
        days, hour = expected
        assert end == datetime.datetime(2026, 12, 5 + days, hour, 0, tzinfo=NEW_YORK)


def _at_night_now(settings):
    # Quiet hours around the present moment, whatever time the test runs.
    now = timezone.now().astimezone(NEW_YORK)
    start = (now - datetime.timedelta(hours=1)).strftime("%H:%M")
    end = (now + datetime.timedelta(hours=2)).strftime("%H:%M")
    settings.QUIET_HOURS = f"{start}-{end}"


def test_news_and_reminders_queued_at_night_wait_for_the_morning(settings, sms_outbox):
    _at_night_now(settings)
    person = VolunteerFactory()
    news = _queue(person, Kind.NEWS)
    reminder = _queue(person, Kind.REMINDER, key="k:2")
    assert news.not_before > timezone.now() + datetime.timedelta(hours=1)
    assert reminder.not_before == news.not_before
    worker_run_queued()
    assert sms_outbox == []
    news.refresh_from_db()
    assert news.status == Message.Status.QUEUED


def test_urgent_alerts_go_through_the_night_to_those_who_agreed(settings, sms_outbox):
    _at_night_now(settings)
    agreed = VolunteerFactory(message_kinds=["reminder", "news", "urgent"])
    not_agreed = VolunteerFactory()
    assert _queue(not_agreed, Kind.URGENT) is None
    urgent = _queue(agreed, Kind.URGENT, key="k:2")
    assert urgent.not_before is None
    worker_run_queued()
    assert [sent["to"] for sent in sms_outbox] == [agreed.phone]


def test_a_message_queued_by_day_and_sent_at_night_waits(settings, sms_outbox):
    person = VolunteerFactory()
    message = _queue(person, Kind.NEWS)
    _at_night_now(settings)
    worker_run_queued()
    message.refresh_from_db()
    assert message.status == Message.Status.QUEUED
    assert message.not_before > timezone.now()
    assert sms_outbox == []
