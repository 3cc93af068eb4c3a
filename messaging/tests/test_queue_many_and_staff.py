"""Queueing to a whole segment in bulk, and notices to staff."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django_tasks_db.models import DBTaskResult

from messaging import outbox
from messaging.models import Channel, Kind, Message, OptOut
from messaging.outbox import messages_queue_many, staff_notify
from messaging.tests.worker import worker_run_queued
from signups.contact_hash import contact_hash
from signups.models import Volunteer
from signups.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db(transaction=True)

TEXTS = {"en": "Taller Saturday", "es": "Taller el sábado"}


def test_a_segment_gets_one_message_each_except_who_did_not_agree_or_opted_out(sms_outbox):
    agreed = VolunteerFactory.create_batch(5)
    VolunteerFactory(message_kinds=["reminder"])
    stopped = VolunteerFactory()
    OptOut.objects.create(contact_hash=contact_hash(stopped.phone), source=OptOut.Source.REPLY)
    assert messages_queue_many(Volunteer.objects.all(), kind=Kind.NEWS, key_prefix="batch:1", texts=TEXTS) == 5
    # Again under the same prefix: nothing more.
    assert messages_queue_many(Volunteer.objects.all(), kind=Kind.NEWS, key_prefix="batch:1", texts=TEXTS) == 0
    worker_run_queued()
    assert sorted(sent["to"] for sent in sms_outbox) == sorted(person.phone for person in agreed)
    assert all("/es/me/" in sent["body"] for sent in sms_outbox)
    assert len({sent["body"] for sent in sms_outbox}) == 5  # each its own settings link


def test_a_big_segment_is_handed_over_in_tasks_of_a_few_hundred(monkeypatch):
    monkeypatch.setattr(outbox, "TASK_BATCH_SIZE", 3)
    VolunteerFactory.create_batch(7)
    before = DBTaskResult.objects.count()
    messages_queue_many(Volunteer.objects.all(), kind=Kind.NEWS, key_prefix="batch:2", texts=TEXTS)
    assert DBTaskResult.objects.count() - before == 3


def test_a_segment_rolled_back_queues_nothing():
    from django.db import transaction

    VolunteerFactory.create_batch(3)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        messages_queue_many(Volunteer.objects.all(), kind=Kind.NEWS, key_prefix="batch:3", texts=TEXTS)
        1 / 0  # noqa: B018
    assert not Message.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_staff_are_notified_by_email_once_per_key():
    organizer = get_user_model().objects.create_user("ana", email="ana@example.org", is_staff=True)
    no_email = get_user_model().objects.create_user("bo", email="", is_staff=True)
    queued = staff_notify([organizer, no_email], key="paused:7", template="tests/staff_notice", context={"block": "1100 S 9th"})
    assert [message.channel for message in queued] == [Channel.EMAIL]
    assert staff_notify([organizer], key="paused:7", template="tests/staff_notice", context={"block": "x"}) == []
    worker_run_queued()
    [sent] = mail.outbox
    assert (sent.to, sent.subject) == (["ana@example.org"], "Block 1100 S 9th paused")
    assert sent.body.strip() == "Hello ana, block 1100 S 9th."


def test_text_templates_are_not_html_escaped(sms_outbox):
    person = VolunteerFactory(language="en")
    outbox.message_queue(person, kind=Kind.TRANSACTIONAL, key="escape:1", template="tests/staff_notice",
                         context={"user": {"username": "x"}, "block": "St. Mary's & <Annex>"})
    # (.sms.txt of the test template: see templates/messages/tests/)
    worker_run_queued()
    assert sms_outbox[0]["body"].startswith("Hello x, St. Mary's & <Annex>")
