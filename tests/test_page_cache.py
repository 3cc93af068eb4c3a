"""Pages every visitor sees alike come from the shared cache
(pagecache.pages), and show a change at once."""

import re

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client, RequestFactory

from signups.tests.factories import CampaignFactory, VolunteerFactory
from signups.tests.helpers import join_data
from trainings.services import registration_create
from trainings.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def hidden(html, name):
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def test_the_join_form_is_rendered_once_and_each_visitor_gets_their_own_tokens(django_assert_num_queries):
    first = Client().get("/es/join/").content.decode()

    with django_assert_num_queries(0):
        second = Client().get("/es/join/").content.decode()

    assert "rz-per-request" not in first + second
    assert hidden(first, "csrfmiddlewaretoken") != hidden(second, "csrfmiddlewaretoken")
    assert "Inscríbete" in second or "Únete" in second


def test_a_form_from_the_cache_posts_with_its_csrf_token(settings):
    settings.FORM_MIN_FILL_SECONDS = 0
    Client().get("/en/join/")  # fills the cache
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/en/join/").content.decode()
    data = join_data(name="Ana Ruiz", phone="215-555-0177")
    data["csrfmiddlewaretoken"] = hidden(page, "csrfmiddlewaretoken")
    data["form_started"] = hidden(page, "form_started")

    response = browser.post("/en/join/", data)

    assert response.status_code == 302


def test_english_and_spanish_are_kept_apart():
    english = Client().get("/en/").content.decode()
    spanish = Client().get("/es/").content.decode()

    assert 'lang="en"' in english
    assert 'lang="es"' in spanish


def test_a_renamed_campaign_shows_on_the_landing_page_at_once():
    campaign = CampaignFactory(name_en="Launch weekend", is_open=True)
    assert "Launch weekend" in Client().get("/en/").content.decode()

    campaign.name_en = "Fall weekend"
    campaign.save()

    page = Client().get("/en/").content.decode()
    assert "Fall weekend" in page
    assert "Launch weekend" not in page


def test_a_registration_changes_the_seats_left_at_once():
    session = SessionFactory(capacity=10)
    assert "10 seats left" in Client().get("/en/trainings/").content.decode()

    registration_create(session=session, volunteer=VolunteerFactory())

    assert "9 seats left" in Client().get("/en/trainings/").content.decode()


def test_a_new_session_is_listed_at_once():
    SessionFactory()
    Client().get("/en/trainings/")

    SessionFactory(capacity=7)

    assert "7 seats left" in Client().get("/en/trainings/").content.decode()


def test_an_unknown_query_string_is_rendered_for_itself(django_assert_max_num_queries):
    SessionFactory()
    Client().get("/en/trainings/?utm_source=flyer")

    # Not served from the cache: it costs its queries again.
    with django_assert_max_num_queries(10) as context:
        Client().get("/en/trainings/?utm_source=flyer")
    assert len(context.captured_queries) > 0


def test_a_waiting_message_is_shown_not_swallowed_by_the_cache():
    SessionFactory()
    Client().get("/en/trainings/")  # cached without any message
    browser = Client()
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(message_levels.SUCCESS, "Your place is cancelled.")
    response = HttpResponse()
    storage.update(response)
    browser.cookies.update(response.cookies)

    assert "Your place is cancelled." in browser.get("/en/trainings/").content.decode()
    assert "Your place is cancelled." not in browser.get("/en/trainings/").content.decode()


def test_the_trainings_list_comes_a_page_at_a_time():
    for _ in range(25):
        SessionFactory()

    first = Client().get("/en/trainings/").content.decode()
    second = Client().get("/en/trainings/?page=2").content.decode()

    assert first.count("seats left") == 20
    assert second.count("seats left") == 5
    assert "Page 2 of 2" in second


def test_a_write_bumps_its_generation_at_once_and_again_at_commit(django_capture_on_commit_callbacks):
    # At once, so the writer's next read is fresh; at commit, so a page
    # another request rendered from the rows before the commit is not kept
    # under the new number.
    from pagecache.pages import generations

    volunteer = VolunteerFactory()
    before = generations("coverage")["coverage"]
    with django_capture_on_commit_callbacks(execute=True):
        volunteer.save()
        assert generations("coverage")["coverage"] == before + 1

    assert generations("coverage")["coverage"] == before + 2


def test_a_lost_generation_counter_never_starts_again_at_an_old_number():
    from django.core.cache import cache

    from pagecache.pages import generation_bump, generations

    generation_bump("coverage")
    before = generations("coverage")["coverage"]
    cache.delete("rz:generation:coverage")  # evicted, or Redis restarted

    assert generations("coverage")["coverage"] > before
