"""A packet's QR code is /j/<block>: printed once, scanned by neighbors who
read English or Spanish, so the link carries no language of its own and
the tally on the same sheet records counts, never a door."""

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def test_the_short_link_sends_a_spanish_browser_to_the_spanish_form_with_the_block(client):
    block = BlockFactory()

    response = client.get(f"/j/{block.pk}", HTTP_ACCEPT_LANGUAGE="es-US,es;q=0.9,en;q=0.5")

    assert response.status_code == 302
    assert response["Location"] == f"/es/join/?block={block.pk}"


def test_the_short_link_sends_an_english_browser_to_the_english_form(client):
    block = BlockFactory()

    response = client.get(f"/j/{block.pk}", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response["Location"] == f"/en/join/?block={block.pk}"


def test_the_remembered_language_wins_over_the_browser(client, settings):
    block = BlockFactory()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    response = client.get(f"/j/{block.pk}", HTTP_ACCEPT_LANGUAGE="en-US")

    assert response["Location"] == f"/es/join/?block={block.pk}"


def test_the_short_link_is_not_cached_and_varies_by_language(client):
    response = client.get(f"/j/{BlockFactory().pk}")

    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]


def test_a_deleted_block_still_leads_to_the_form_without_a_block(client):
    block = BlockFactory()
    block_id = block.pk
    block.delete()

    response = client.get(f"/j/{block_id}", HTTP_ACCEPT_LANGUAGE="es")

    assert response["Location"] == "/es/join/"


def test_the_short_link_refuses_a_post(client):
    assert client.post(f"/j/{BlockFactory().pk}").status_code == 405


def test_an_english_organizers_packet_points_at_the_language_neutral_link(client, django_user_model, otp_login):
    user = django_user_model.objects.create_user(
        username="organizer", password="a long enough password", is_staff=True, is_superuser=True
    )
    otp_login(client, user)
    block = BlockFactory(zone=ZoneFactory())

    html = client.post(
        reverse("admin:zones_block_changelist"),
        {"action": "print_packet", helpers.ACTION_CHECKBOX_NAME: [block.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()

    assert f"http://testserver/j/{block.pk}" in html
    assert "/en/join/" not in html


def test_the_tally_counts_doors_and_asks_for_no_house_number(client, django_user_model, otp_login):
    user = django_user_model.objects.create_user(
        username="organizer", password="a long enough password", is_staff=True, is_superuser=True
    )
    otp_login(client, user)
    block = BlockFactory(zone=ZoneFactory())

    html = client.post(
        reverse("admin:zones_block_changelist"),
        {"action": "print_packet", helpers.ACTION_CHECKBOX_NAME: [block.pk]},
    ).content.decode()
    tally = html[html.index('<table class="tally">'):html.index("</table>")]

    for heading in ("Doors knocked", "Answered", "Not home", "Signed up"):
        assert heading in tally
    assert "House number" not in html
    # One row per canvass day, not one per door.
    assert tally.count("<tr>") == 3
