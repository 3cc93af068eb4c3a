"""The self-service link in every message: a person's own settings page,
without a login, behind a bearer secret that is hashed, rotated and never
logged; forget-me at once; and "send me my link", which reveals nothing."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from messaging.models import Kind, Message
from messaging.self_service import (
    SELF_SERVICE_LINK_DAYS,
    SelfServiceLink,
    link_token_hash,
    self_service_url,
    self_service_urls,
    volunteer_for_self_service_token,
)
from signups.audit import AuditEntry
from signups.log_redaction import redact_secret_paths
from signups.models import Volunteer
from signups.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def _token(url):
    return re.search(r"/me/([^/]+)/$", url).group(1)


def _path(url):
    return re.sub(r"^https?://[^/]+", "", url)


def _fresh_url(volunteer):
    # A new message renders for a volunteer fetched for it.
    return self_service_url(Volunteer.objects.get(pk=volunteer.pk))


# --- The link -------------------------------------------------------------------

def test_the_url_is_absolute_in_the_persons_language(settings):
    settings.SITE_URL = "https://zone.example.org/"
    url = self_service_url(VolunteerFactory(language="es"))
    assert re.fullmatch(r"https://zone\.example\.org/es/me/[A-Za-z0-9_-]{22}/", url)
    assert "/en/me/" in self_service_url(VolunteerFactory(language="en"))


def test_only_a_hash_of_the_secret_is_stored():
    volunteer = VolunteerFactory()
    token = _token(self_service_url(volunteer))
    link = SelfServiceLink.objects.get(volunteer=volunteer)
    assert link.token_hash == link_token_hash(token)
    assert token not in link.token_hash


def test_a_new_link_makes_the_older_one_stop_working():
    volunteer = VolunteerFactory()
    first = _token(_fresh_url(volunteer))
    second = _token(_fresh_url(volunteer))
    assert first != second
    assert volunteer_for_self_service_token(first) is None
    assert volunteer_for_self_service_token(second) == volunteer
    assert SelfServiceLink.objects.filter(volunteer=volunteer).count() == 1


def test_one_message_names_the_same_link_twice():
    # Its text and its footer: the second must not make the first stale.
    volunteer = VolunteerFactory()
    assert self_service_url(volunteer) == self_service_url(volunteer)


def test_a_link_works_for_thirty_days():
    volunteer = VolunteerFactory()
    token = _token(self_service_url(volunteer))
    later = timezone.now() + datetime.timedelta(days=SELF_SERVICE_LINK_DAYS)
    assert volunteer_for_self_service_token(token, now=later - datetime.timedelta(minutes=1)) == volunteer
    assert volunteer_for_self_service_token(token, now=later + datetime.timedelta(minutes=1)) is None


def test_links_for_many_people_take_one_upsert(django_assert_num_queries):
    people = [VolunteerFactory() for _ in range(3)]
    old = _token(_fresh_url(people[0]))
    people = list(Volunteer.objects.filter(pk__in=[p.pk for p in people]))
    with django_assert_num_queries(1):  # INSERT ... ON CONFLICT DO UPDATE
        urls = self_service_urls(people)
    assert volunteer_for_self_service_token(old) is None
    for person in people:
        assert volunteer_for_self_service_token(_token(urls[person.pk])) == person


def test_links_for_many_people_are_each_in_the_persons_language(client):
    ana, beto = VolunteerFactory(language="es"), VolunteerFactory(language="en")

    urls = self_service_urls([ana, beto])

    assert "/es/me/" in urls[ana.pk] and "/en/me/" in urls[beto.pk]
    assert _token(urls[ana.pk]) != _token(urls[beto.pk])
    for person in (ana, beto):
        path = urls[person.pk].split("://", 1)[-1].split("/", 1)[1]
        assert client.get("/" + path).status_code == 200


def test_unknown_and_malformed_tokens_open_nothing():
    assert volunteer_for_self_service_token("") is None
    assert volunteer_for_self_service_token("x" * 22) is None
    assert volunteer_for_self_service_token("x" * 5000) is None


def test_the_token_never_reaches_a_log_line():
    assert redact_secret_paths("GET /es/me/abcDEF_-12345678901234/ HTTP/1.1") == "GET /es/me/[token]/ HTTP/1.1"
    assert redact_secret_paths("/en/me/abc/forget/") == "/en/me/[token]/forget/"
    assert redact_secret_paths("/en/my-link/") == "/en/my-link/"


# --- The settings page ----------------------------------------------------------

def test_the_page_shows_the_persons_choices_with_no_login(client):
    volunteer = VolunteerFactory(language="es", contact_methods=["whatsapp"], message_kinds=["news"])
    response = client.get(_path(self_service_url(volunteer)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tus ajustes" in page
    assert re.search(r'value="whatsapp"[^>]*checked', page)
    assert re.search(r'value="news"[^>]*checked', page)
    assert not re.search(r'value="reminder"[^>]*checked', page)


def test_the_page_hands_its_address_to_nobody(client):
    response = client.get(_path(self_service_url(VolunteerFactory())))
    # Same-origin, not no-referrer: under no-referrer the browser posts the
    # settings form with Origin: null and the CSRF check refuses it
    # (test_self_service_browser.py saves through a real browser).
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_only_ways_the_person_can_be_reached_are_offered(client):
    volunteer = VolunteerFactory(email="", contact_methods=["text"])
    page = client.get(_path(self_service_url(volunteer))).content.decode()
    assert 'value="text"' in page and 'value="email"' not in page


def test_saving_changes_language_channels_and_kinds(client):
    volunteer = VolunteerFactory(language="en", contact_methods=["text"], message_kinds=["reminder", "news"])
    url = _path(self_service_url(volunteer))
    response = client.post(url, {"language": "es", "contact_methods": ["whatsapp", "email"],
                                 "message_kinds": ["urgent"]})
    token = _token(url)
    with translation.override("es"):
        assert response.status_code == 302 and response["Location"] == reverse("messaging:self_service", args=[token])
    volunteer.refresh_from_db()
    assert (volunteer.language, volunteer.contact_methods, volunteer.message_kinds) == (
        "es", ["whatsapp", "email"], ["urgent"])
    page = client.get(response["Location"]).content.decode()
    assert "Guardado" in page
    # The audit log knows which fields changed, never to what.
    entry = AuditEntry.objects.filter(action="change", model="signups.volunteer").latest("pk")
    assert set(entry.changed_fields) == {"language", "contact_methods", "message_kinds"}
    assert entry.actor is None


def test_no_kind_at_all_is_a_valid_choice(client):
    volunteer = VolunteerFactory(message_kinds=["reminder", "news"])
    client.post(_path(self_service_url(volunteer)), {"language": "es", "contact_methods": ["text"]})
    volunteer.refresh_from_db()
    assert volunteer.message_kinds == []


def test_a_bad_post_says_what_to_fix_and_changes_nothing(client):
    volunteer = VolunteerFactory(language="es", contact_methods=["text"])
    response = client.post(_path(self_service_url(volunteer)),
                           {"language": "klingon", "contact_methods": [], "message_kinds": ["spam"]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Elige al menos una forma de contactarte." in page
    volunteer.refresh_from_db()
    assert volunteer.language == "es" and volunteer.contact_methods == ["text"]


def test_an_old_or_unknown_link_says_so_and_offers_a_new_one(client):
    volunteer = VolunteerFactory()
    old = _path(_fresh_url(volunteer))
    _fresh_url(volunteer)
    response = client.get(old)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Este enlace ya no funciona" in page or "This link no longer works" in page
    assert reverse("messaging:link_request") in page or "/my-link/" in page
    assert client.post(old, {"language": "en", "contact_methods": ["text"]}).status_code == 404


# --- Forget me ------------------------------------------------------------------

def test_opening_the_forget_page_forgets_nobody(client):
    volunteer = VolunteerFactory()
    url = _path(self_service_url(volunteer)) + "forget/"
    response = client.get(url)
    assert response.status_code == 200 and "Sí, olvídame" in response.content.decode()
    assert Volunteer.objects.filter(pk=volunteer.pk).exists()


def test_forget_me_erases_the_person_at_once_as_an_organizers_forget_me(client):
    volunteer = VolunteerFactory()
    pk = volunteer.pk
    url = _path(self_service_url(volunteer))
    client.post(url, {"language": "en", "contact_methods": ["text"]})  # an audit entry about them
    response = client.post(url + "forget/")
    assert response.status_code == 302
    assert not Volunteer.objects.filter(pk=pk).exists()
    assert not SelfServiceLink.objects.filter(volunteer_id=pk).exists()
    # signups.retention.volunteer_erase: their entries carry one anonymous id.
    assert not AuditEntry.objects.filter(subject=f"volunteer:{pk}").exists()
    erased = AuditEntry.objects.get(action="erase")
    assert erased.subject.startswith("erased:") and erased.actor is None
    assert client.get(response["Location"]).status_code == 200
    assert client.get(url).status_code == 404


# --- "Send me my link" ------------------------------------------------------------

def _link_post(client, **data):
    from signups.protection import HONEYPOT_FIELD, STARTED_FIELD, form_started_token

    started = form_started_token(timezone.now().timestamp() - 30)
    with translation.override("en"):
        url = reverse("messaging:link_request")
    return client.post(url, {"phone": "", "email": "", HONEYPOT_FIELD: "",
                                                            STARTED_FIELD: started, **data})


def _queued_tasks():
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.values_list("task_path", "args_kwargs"))


def test_the_request_page_works_in_spanish(client):
    with translation.override("es"):
        url = reverse("messaging:link_request")
    page = client.get(url).content.decode()
    assert "Recibe el enlace a tus ajustes" in page


def test_a_known_and_an_unknown_contact_get_the_same_answer(client):
    VolunteerFactory(phone="+12155550101")
    known = _link_post(client, phone="215-555-0101")
    unknown = _link_post(client, phone="215-555-0199")
    assert known.status_code == unknown.status_code == 302
    with translation.override("en"):
        assert known["Location"] == unknown["Location"] == reverse("messaging:link_sent")
    sent_page = client.get(known["Location"]).content.decode()
    assert "If we have you, we sent you a link." in sent_page
    # The same work for both: one task each, carrying an id or nothing,
    # never the phone number.
    tasks = _queued_tasks()
    assert len(tasks) == 2
    assert all("2155550" not in str(args) for _path, args in tasks)


def test_an_email_finds_the_person_too(client):
    volunteer = VolunteerFactory(email="ana@example.org")
    _link_post(client, email="ANA@example.org")
    assert [args["args"] for _path, args in _queued_tasks()] == [[volunteer.pk]]


def test_a_bad_phone_says_what_to_fix_and_queues_nothing(client):
    response = _link_post(client, phone="not a phone")
    assert response.status_code == 200
    assert "Enter a valid phone number" in response.content.decode()
    assert _queued_tasks() == []
    response = _link_post(client)
    assert response.status_code == 200 and _queued_tasks() == []


def test_typing_one_number_over_and_over_is_stopped(client, settings):
    settings.RATE_LIMIT_CONTACT_POSTS = 2
    VolunteerFactory(phone="+12155550101")
    assert _link_post(client, phone="215-555-0101").status_code == 302
    assert _link_post(client, phone="(215) 555 0101").status_code == 302
    assert _link_post(client, phone="2155550101").status_code == 429
    assert len(_queued_tasks()) == 2


def test_a_bot_filling_the_honeypot_is_refused(client):
    from signups.protection import HONEYPOT_FIELD

    assert _link_post(client, phone="215-555-0101", **{HONEYPOT_FIELD: "x"}).status_code == 400


@pytest.mark.django_db(transaction=True)
def test_the_worker_texts_the_person_a_fresh_link_in_their_language(client, sms_outbox):
    from messaging.tests.worker import worker_run_queued

    volunteer = VolunteerFactory(phone="+12155550101", language="es", contact_methods=["text"], message_kinds=[])
    old = _path(_fresh_url(volunteer))
    _link_post(client, phone="215-555-0101")
    _link_post(client, phone="215-555-0101")  # a double tap: one message
    worker_run_queued()
    message = Message.objects.get()
    assert message.kind == Kind.TRANSACTIONAL and message.language == "es"
    assert "Aquí tienes el enlace" in message.body
    url = re.search(r"https?://\S+/me/[^/\s]+/", message.body).group(0)
    assert client.get(_path(url)).status_code == 200
    assert client.get(old).status_code == 404
    worker_run_queued()
    assert len(sms_outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_an_unknown_contact_sends_nothing_at_all(client, sms_outbox):
    from django.core import mail

    from messaging.tests.worker import worker_run_queued

    _link_post(client, phone="215-555-0199")
    worker_run_queued()
    worker_run_queued()
    assert Message.objects.count() == 0 and sms_outbox == [] and mail.outbox == []


NASTY = ["", " ", "\x00", "a" * 10000, "<script>alert(1)</script>", "' OR 1=1 --", "２１５５５５０１０１",
         "+1 (215) 555-0101 ext. 9", "ana@", "@example.org", "ñ" * 300, "\ud800".encode("utf-8", "surrogatepass").decode(
             "utf-8", "replace")]


@pytest.mark.parametrize("value", NASTY)
def test_no_input_makes_the_self_service_pages_fail(client, value):
    volunteer = VolunteerFactory()
    url = _path(self_service_url(volunteer))
    for data in ({"language": value, "contact_methods": [value], "message_kinds": [value]},
                 {"language": "es", "contact_methods": ["text", value]}):
        assert client.post(url, data).status_code in (200, 302)
    assert _link_post(client, phone=value, email=value).status_code in (200, 302, 429)
    assert client.get(f"/en/me/{value[:200]}/").status_code in (404, 301, 302)
    volunteer.refresh_from_db()
    assert volunteer.language in ("en", "es", "both")
