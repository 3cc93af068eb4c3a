"""End to end: queue → worker → loopback Twilio → signed status callback →
the message's status; a person's reply → our inbound webhook. Webhooks take
only what Twilio signed."""

import pytest
from django.test import Client

from messaging.models import Kind, Message, OptOut
from messaging.outbox import message_queue
from messaging.tests.twilio_fake import TwilioFake
from messaging.tests.worker import worker_run_queued
from signups.contact_hash import contact_hash
from signups.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, settings, twilio_fake):
    settings.SITE_URL = live_server.url
    return live_server.url


def _news(person, key="news:1"):
    return message_queue(person, kind=Kind.NEWS, key=key, texts={"en": "Taller Saturday", "es": "Taller el sábado"})


def test_a_signed_callback_marks_the_message_delivered(site, twilio_fake):
    person = VolunteerFactory()
    message = _news(person)
    worker_run_queued()
    assert twilio_fake.callbacks_send() == [204, 204]
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert message.delivered_at is not None


@pytest.mark.parametrize("code", ["30003", "30005", "30006"])
def test_an_unreachable_number_is_marked_undeliverable_with_its_code(site, twilio_fake, code):
    person = VolunteerFactory()
    twilio_fake.unreachable[person.phone] = code
    message = _news(person)
    worker_run_queued()
    twilio_fake.callbacks_send()
    message.refresh_from_db()
    assert (message.status, message.error_code) == (Message.Status.UNDELIVERABLE, code)


def test_a_callback_settles_a_message_a_killed_worker_left_sending(site, twilio_fake):
    person = VolunteerFactory()
    message = _news(person)
    worker_run_queued()
    # As if the worker died after Twilio took it, before recording it.
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENDING, provider_id="")
    twilio_fake.callbacks_send()
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert message.provider_id == twilio_fake.messages[0]["sid"]


def test_a_callback_without_a_valid_signature_is_refused(site, twilio_fake):
    person = VolunteerFactory()
    message = _news(person)
    worker_run_queued()
    url = twilio_fake.messages[0]["_callback"]
    params = {"MessageSid": twilio_fake.messages[0]["sid"], "MessageStatus": "delivered"}
    status, _ = twilio_fake.signed_post(url, params, token="not-our-token")
    assert status == 403
    assert Client().post("/messaging/twilio/status?m=1", params).status_code == 403
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_the_signature_is_checked_against_the_public_url(site, twilio_fake, settings):
    person = VolunteerFactory()
    _news(person)
    worker_run_queued()
    url = twilio_fake.messages[0]["_callback"]
    # Behind a proxy Twilio calls the public address: signed for another one, refused.
    settings.SITE_URL = "https://zone.example.org"
    assert twilio_fake.signed_post(url, {"MessageSid": "SMx", "MessageStatus": "sent"})[0] == 403


def test_webhooks_take_only_posts(site):
    assert Client().get("/messaging/twilio/inbound").status_code in (403, 405)


@pytest.mark.parametrize("text", ["STOP", "alto", "Baja por favor", "PARAR", "cancelar", "¡Álto!", "unsubscribe me"])
def test_stop_words_opt_the_number_out_and_answer_once_in_the_persons_language(site, twilio_fake, text):
    person = VolunteerFactory(language="es")
    inbound = f"{site}/messaging/twilio/inbound"
    assert twilio_fake.inbound_send(inbound, from_=person.phone, body=text)[0] == 200
    assert twilio_fake.inbound_send(inbound, from_=person.phone, body=text)[0] == 200
    assert OptOut.objects.filter(contact_hash=contact_hash(person.phone), source=OptOut.Source.REPLY).exists()
    worker_run_queued()
    [answer] = twilio_fake.sent_to(person.phone)
    assert "ya no te enviaremos" in answer and "INICIO" in answer
    # And nothing more after that, whatever the kind.
    assert _news(person, key="news:after-stop") is None
    assert message_queue(person, kind=Kind.TRANSACTIONAL, key="link:1", texts={"en": "x", "es": "x"}) is None


def test_start_opts_back_in_with_an_answer(site, twilio_fake):
    person = VolunteerFactory(language="en")
    inbound = f"{site}/messaging/twilio/inbound"
    twilio_fake.inbound_send(inbound, from_=person.phone, body="stop")
    twilio_fake.inbound_send(inbound, from_=person.phone, body="START")
    assert not OptOut.objects.exists()
    worker_run_queued()
    answers = twilio_fake.sent_to(person.phone)
    assert len(answers) == 2 and "welcome back" in answers[1]
    assert _news(person, key="news:back") is not None


def test_a_stop_on_whatsapp_is_answered_on_whatsapp(site, twilio_fake):
    person = VolunteerFactory(language="en", contact_methods=["whatsapp"])
    twilio_fake.inbound_send(f"{site}/messaging/twilio/inbound", from_=f"whatsapp:{person.phone}", body="Stop")
    worker_run_queued()
    assert len(twilio_fake.sent_to(f"whatsapp:{person.phone}")) == 1


def test_an_opt_out_outlives_forgetting_and_reimport(site, twilio_fake):
    person = VolunteerFactory(language="en")
    phone = person.phone
    twilio_fake.inbound_send(f"{site}/messaging/twilio/inbound", from_=phone, body="STOP")
    person.delete()
    again = VolunteerFactory(phone=phone, language="en")
    assert _news(again, key="news:reimported") is None


def test_a_stop_from_a_number_we_do_not_know_is_kept_for_later(site, twilio_fake):
    twilio_fake.inbound_send(f"{site}/messaging/twilio/inbound", from_="+12155550111", body="STOP")
    assert OptOut.objects.filter(contact_hash=contact_hash("+12155550111")).exists()
    newcomer = VolunteerFactory(phone="+12155550111")
    assert _news(newcomer) is None


def test_a_reply_goes_to_the_handler_of_the_message_that_asked(site, twilio_fake):
    from messaging.inbound import reply_handler_register

    heard = []

    def handler(volunteer, topic_id, text):
        heard.append((volunteer.pk, topic_id, text))
        return "Gracias, te esperamos."

    reply_handler_register("test-question", handler)
    person = VolunteerFactory(language="es")
    message_queue(person, kind=Kind.REMINDER, key="ask:1", texts={"en": "Coming? Reply 1", "es": "¿Vienes? Responde 1"},
                  reply_topic="test-question:42")
    worker_run_queued()
    twilio_fake.inbound_send(f"{site}/messaging/twilio/inbound", from_=person.phone, body=" 1 ")
    assert heard == [(person.pk, "42", " 1 ")]
    worker_run_queued()
    answer = twilio_fake.sent_to(person.phone)[-1]
    assert answer.startswith("Gracias, te esperamos.") and "ALTO" in answer
