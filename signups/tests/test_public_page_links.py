"""What a neighbor finds on the public pages besides the form: the way to
the trainings, the block of a canvasser's link in one sentence, and pages
that answer HEAD (link checkers, uptime monitors, load balancers)."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from signups.tests.factories import CampaignFactory
from signups.tests.helpers import join_data
from zones.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_landing_page_leads_to_the_trainings(client, language):
    page = client.get(f"/{language}/").content.decode()
    assert f'href="/{language}/trainings/"' in page


def test_the_thank_you_page_leads_to_the_trainings(client):
    BlockFactory(street="S 9TH ST", hundred=1100)
    response = client.post("/es/join/", join_data(), follow=True)
    assert response.redirect_chain[-1][0] == "/es/join/thanks/"
    page = response.content.decode()
    assert 'href="/es/trainings/"' in page
    assert "Ver los próximos talleres" in page


def test_a_block_link_without_cross_streets_is_one_sentence(client):
    block = BlockFactory(street="S 9TH ST", hundred=1100, from_street="", to_street="")
    page = client.get(f"/en/join/?block={block.pk}").content.decode()
    assert "You're signing up for the 1100 block of S 9th St." in page
    assert "()" not in page


@pytest.mark.parametrize("url", ["/", "/en/", "/es/", "/healthz", "/es/trainings/", "/es/zones/"])
def test_head_requests_are_answered(client, url):
    assert client.head(url).status_code in (200, 302)


def test_head_on_the_landing_page_is_ok_and_empty(client):
    response = client.head("/es/")
    assert response.status_code == 200
    assert response.content == b""


def test_pages_name_their_icon_and_favicon_ico_finds_it(client):
    # Without an icon every page view logged a 404 for /favicon.ico.
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/es/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
    assert (settings.BASE_DIR / "static" / "favicon.svg").exists()


@pytest.mark.parametrize("bad", ["999999", "abc"])
def test_a_link_to_an_unknown_block_says_so_before_the_form_is_sent(client, bad):
    # The hidden field stays empty, so after a post nothing would say why.
    page = client.get("/es/join/", {"block": bad}).content.decode()
    assert "No encontramos la cuadra de tu enlace: escribe tu dirección." in page


def test_a_plain_join_link_says_nothing_about_a_block(client):
    page = client.get("/es/join/").content.decode()
    assert "No encontramos la cuadra de tu enlace" not in page


def test_a_campaign_past_its_weekend_no_longer_asks_for_availability(client):
    past = CampaignFactory(starts_on=datetime.date(2020, 11, 21), ends_on=datetime.date(2020, 11, 22))
    page = client.get("/en/join/").content.decode()
    assert past.name_en in page  # still open for sign-ups
    assert 'name="weekend_availability"' not in page


def test_a_coming_campaign_asks_for_availability(client):
    CampaignFactory()
    assert 'name="weekend_availability"' in client.get("/en/join/").content.decode()


def test_the_thank_you_page_promises_a_start_date_only_while_it_is_ahead(client):
    BlockFactory(street="S 9TH ST", hundred=1100)
    campaign = CampaignFactory(starts_on=datetime.date(2020, 11, 21), ends_on=datetime.date(2020, 11, 22))
    page = client.post("/en/join/", join_data(language="en", weekend_availability=None), follow=True).content.decode()
    assert "Thank you for joining!" in page
    assert "which starts on" not in page

    campaign.starts_on = timezone.localdate() + datetime.timedelta(days=2)
    campaign.ends_on = campaign.starts_on + datetime.timedelta(days=1)
    campaign.save()
    page = client.post("/en/join/", join_data(language="en"), follow=True).content.decode()
    assert "which starts on" in page
