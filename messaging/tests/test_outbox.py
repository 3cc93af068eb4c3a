"""Queueing a message writes a row in the caller's transaction and the
worker sends it after the commit: a rolled-back change sends nothing."""

import pytest
from django.core import mail
from django.db import transaction

from messaging.models import Channel, Kind, Message
from messaging.outbox import channel_for, message_queue
from messaging.tests.worker import worker_run_queued
from signups.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_queued_email_is_sent_by_the_worker_once():
    person = VolunteerFactory(phone="", contact_methods=["email"], language="es")
    with transaction.atomic():
        message = message_queue(person, kind=Kind.NEWS, key="news:1", texts={"en": "Hello", "es": "Hola"},
                                subject={"en": "News", "es": "Noticias"})
    assert message.channel == Channel.EMAIL
    assert message.status == Message.Status.QUEUED
    assert mail.outbox == []
    worker_run_queued()
    worker_run_queued()
    assert [sent.body.split("\n")[0] for sent in mail.outbox] == ["Hola"]
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_a_rolled_back_transaction_sends_nothing():
    person = VolunteerFactory(phone="", contact_methods=["email"])

    class Undo(Exception):
        pass

    with pytest.raises(Undo):
        with transaction.atomic():
            message_queue(person, kind=Kind.NEWS, key="news:2", texts={"en": "Hello", "es": "Hola"})
            raise Undo
    worker_run_queued()
    assert mail.outbox == []
    assert not Message.objects.exists()


def test_the_same_key_queues_one_message():
    person = VolunteerFactory()
    first = message_queue(person, kind=Kind.NEWS, key="news:3", texts={"en": "Hi", "es": "Hola"})
    again = message_queue(person, kind=Kind.NEWS, key="news:3", texts={"en": "Hi", "es": "Hola"})
    assert first.pk == again.pk
    assert Message.objects.count() == 1


def test_the_channel_follows_how_the_person_asked_to_be_contacted():
    assert channel_for(VolunteerFactory.build(contact_methods=["whatsapp", "email"])) == Channel.WHATSAPP
    assert channel_for(VolunteerFactory.build(contact_methods=["text"])) == Channel.SMS
    assert channel_for(VolunteerFactory.build(contact_methods=["email"])) == Channel.EMAIL
    assert channel_for(VolunteerFactory.build(contact_methods=[], email="")) == Channel.SMS
    assert channel_for(VolunteerFactory.build(contact_methods=["whatsapp"], phone="")) == Channel.EMAIL


def test_check_deploy_warns_when_no_text_provider_is_set(settings):
    from messaging.checks import sms_provider_configured

    settings.SMS_URL = ""
    assert [warning.id for warning in sms_provider_configured(None)] == ["messaging.W001"]
    settings.SMS_URL = "twilio://AC1:token@MG1"
    assert sms_provider_configured(None) == []
