"""Recovery hands a message whose task was lost to a new task, and leaves
alone those whose task is only waiting for its time."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from messaging.models import Kind, Message
from messaging.outbox import message_queue
from messaging.recovery import messages_recover
from messaging.tests.worker import worker_run_queued
from signups.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _news(person, **options):
    return message_queue(person, kind=Kind.NEWS, key="news:r", texts={"en": "Hi", "es": "Hola"}, **options)


def test_a_message_whose_task_was_lost_is_handed_again_and_sent_once(settings, sms_outbox):
    settings.MESSAGE_REQUEUE_SECONDS = 60
    message = _news(VolunteerFactory())
    DBTaskResult.objects.all().delete()  # the task row lost with a killed worker's claim
    Message.objects.filter(pk=message.pk).update(handed_at=timezone.now() - datetime.timedelta(minutes=5))
    assert messages_recover()["handed"] == 1
    assert messages_recover()["handed"] == 0
    worker_run_queued()
    assert len(sms_outbox) == 1


def test_a_message_held_for_later_is_not_handed_again_when_its_time_comes(settings):
    settings.MESSAGE_REQUEUE_SECONDS = 60
    later = timezone.now() + datetime.timedelta(hours=1)
    message = _news(VolunteerFactory(), not_before=later)
    assert message.handed_at == later
    assert messages_recover(now=later + datetime.timedelta(seconds=30))["handed"] == 0
    assert messages_recover(now=later + datetime.timedelta(minutes=5))["handed"] == 1


def test_a_message_expired_in_the_queue_is_dropped_by_recovery():
    message = _news(VolunteerFactory(), expires_at=timezone.now() + datetime.timedelta(minutes=1))
    assert messages_recover(now=timezone.now() + datetime.timedelta(minutes=2))["expired"] == 1
    message.refresh_from_db()
    assert (message.status, message.error_code) == (Message.Status.DROPPED, "expired")
