"""Consent per kind of message: the join form asks in plain words which
messages a person wants (training reminders, campaign news, urgent alerts
near them). Kinds ticked are consent given, added at once; a kind left out
by a later anonymous post takes consent away, which a phone number cannot
do: it waits as a pending change for the person or an organizer."""

import re

import pytest
from django.conf import settings
from django.utils import translation

from signups.models import MESSAGE_KINDS_BY_DEFAULT, PendingChange, Volunteer
from signups.pending import pending_change_accept, pending_change_described
from signups.services import volunteer_upsert
from signups.tests.factories import VolunteerFactory
from signups.tests.helpers import join_data
from zones.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def block():
    return BlockFactory(street="S 9TH ST", hundred=1100, from_street="CHRISTIAN ST", to_street="MONTROSE ST")


def _upsert(**overrides):
    fields = {"name": "Rosa Muñoz", "phone": "215-555-0123", "language": "es", "contact_methods": ["text"],
              "consent_version": settings.CONSENT_VERSION}
    return volunteer_upsert(**{**fields, **overrides})[0]


@pytest.mark.parametrize(("lang", "question", "choices"), [
    ("en", "Which messages would you like from us?", [
        "Reminders of the trainings I sign up for",
        "News of the campaign: trainings and events near me",
        "Urgent alerts when something happens near me (a raid, for example)",
    ]),
    ("es", "¿Qué mensajes quieres recibir de nosotros?", [
        "Recordatorios de los talleres a los que me inscriba",
        "Noticias de la campaña: talleres y eventos cerca de mí",
        "Alertas urgentes cuando pase algo cerca de mí (una redada, por ejemplo)",
    ]),
])
def test_the_join_form_asks_which_messages_in_plain_words(client, lang, question, choices):
    page = client.get(f"/{lang}/join/").content.decode()
    assert question in page
    for choice in choices:
        assert choice in page
    # Nothing ticked for the person: consent is theirs to give.
    assert re.findall(r'name="message_kinds" value="(\w+)"\s+id="\w+" checked', page) == []
    assert page.count('name="message_kinds"') == 3


def test_a_sign_up_keeps_the_kinds_ticked(client):
    client.post("/es/join/", join_data(message_kinds=["reminder", "urgent"]))
    assert Volunteer.objects.get().message_kinds == ["reminder", "urgent"]


def test_a_sign_up_that_ticks_none_keeps_the_contact_and_agrees_to_no_kind(client):
    response = client.post("/es/join/", join_data())
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.message_kinds == []
    assert list(Volunteer.objects.accepting("news")) == []


def test_people_who_consented_before_kinds_existed_get_reminders_and_news():
    assert MESSAGE_KINDS_BY_DEFAULT == ["reminder", "news"]
    assert VolunteerFactory().message_kinds == ["reminder", "news"]
    # Imports and the admin, which do not ask, change nothing.
    assert _upsert(message_kinds=None).message_kinds == ["reminder", "news"]


def test_a_kind_ticked_again_later_is_added_at_once():
    VolunteerFactory(phone="+12155550123", name="Rosa Muñoz", language="es", contact_methods=["text"],
                     message_kinds=["reminder"])
    volunteer = _upsert(message_kinds=["reminder", "urgent"])
    volunteer.refresh_from_db()
    assert volunteer.message_kinds == ["reminder", "urgent"]
    assert not PendingChange.objects.exists()


def test_a_kind_left_out_by_a_later_post_waits_for_the_person():
    stored = VolunteerFactory(phone="+12155550123", name="Rosa Muñoz", language="es", contact_methods=["text"],
                              message_kinds=["reminder", "news"])
    _upsert(message_kinds=["urgent"])
    stored.refresh_from_db()
    # "urgent" is added now; reminders and news stay until confirmed.
    assert stored.message_kinds == ["reminder", "news", "urgent"]
    pending = PendingChange.objects.get(volunteer=stored)
    assert pending.changes == {"message_kinds": ["urgent"]}
    with translation.override("en"):
        assert ("Messages agreed to", "Urgent alerts near you") in pending_change_described(pending)
    pending_change_accept(pending=pending)
    stored.refresh_from_db()
    assert stored.message_kinds == ["urgent"]


def test_a_form_that_only_asks_what_to_add_takes_nothing_away():
    stored = VolunteerFactory(phone="+12155550123", name="Rosa Muñoz", language="es", contact_methods=["text"],
                              message_kinds=["reminder", "news"])
    _upsert(message_kinds=["reminder"], message_kinds_only_add=True)
    stored.refresh_from_db()
    assert stored.message_kinds == ["reminder", "news"]
    assert not PendingChange.objects.exists()


def test_a_kind_that_is_not_one_is_refused_by_the_form(client):
    response = client.post("/en/join/", join_data(message_kinds=["everything"]))
    assert response.status_code == 200
    assert "message_kinds" in response.context["form"].errors
    assert not Volunteer.objects.exists()
