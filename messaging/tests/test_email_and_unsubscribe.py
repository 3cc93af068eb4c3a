"""Emails go through Django's mailer; every one the person did not ask for
carries List-Unsubscribe and List-Unsubscribe-Post (RFC 8058), and the
one-click POST stops all messages to that email."""

import pytest
from django.core import mail
from django.test import Client

from messaging.models import Kind, OptOut
from messaging.outbox import message_queue
from messaging.tests.worker import worker_run_queued
from messaging.unsubscribe import unsubscribe_token
from signups.contact_hash import contact_hash
from signups.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _email_person(**fields):
    return VolunteerFactory(phone="", contact_methods=["email"], **fields)


def _news(person, key="news:1"):
    return message_queue(person, kind=Kind.NEWS, key=key, texts={"en": "News", "es": "Noticias"},
                         subject={"en": "Our news", "es": "Nuestras noticias"})


def test_news_by_email_carries_one_click_unsubscribe(settings):
    settings.UNSUBSCRIBE_MAILTO = "unsubscribe@zone.example.org"
    person = _email_person(language="es")
    _news(person)
    worker_run_queued()
    [sent] = mail.outbox
    assert sent.subject == "Nuestras noticias"
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https, mailto = sent.extra_headers["List-Unsubscribe"].split(", ")
    assert https.startswith(f"<{settings.SITE_URL}/es/unsubscribe/")
    assert mailto == "<mailto:unsubscribe@zone.example.org?subject=unsubscribe>"
    assert "Cambia qué mensajes recibes" in sent.body
    assert sent.extra_headers["Message-ID"].startswith("<rz-message-")


def test_an_email_the_person_asked_for_has_no_unsubscribe_header():
    person = _email_person()
    message_queue(person, kind=Kind.TRANSACTIONAL, key="link:1", texts={"en": "Your link", "es": "Tu enlace"})
    worker_run_queued()
    [sent] = mail.outbox
    assert "List-Unsubscribe" not in sent.extra_headers


def test_the_one_click_post_opts_the_email_out_once_without_csrf():
    person = _email_person()
    url = f"/en/unsubscribe/{unsubscribe_token(person.email)}/"
    client = Client(enforce_csrf_checks=True)
    for _ in range(2):
        response = client.post(url, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
    assert OptOut.objects.filter(contact_hash=contact_hash(person.email), source=OptOut.Source.UNSUBSCRIBE).count() == 1
    assert _news(person, key="news:2") is None


def test_opening_the_link_only_asks():
    person = _email_person()
    response = Client().get(f"/es/unsubscribe/{unsubscribe_token(person.email)}/")
    assert response.status_code == 200
    assert "No recibir más mensajes" in response.content.decode()
    assert not OptOut.objects.exists()


def test_a_forged_token_is_refused():
    response = Client().post("/en/unsubscribe/not-a-token/")
    assert response.status_code == 404
    assert not OptOut.objects.exists()
