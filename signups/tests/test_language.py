"""Choosing the language: `/` by browser or memory, the switcher keeps the page."""

import re

import pytest

from zones.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("es-MX,es;q=0.9,en;q=0.5", "/es/"),
        ("en-US,en;q=0.9", "/en/"),
        ("fr-FR,es;q=0.8", "/es/"),
        ("fr-FR,de;q=0.8", "/en/"),
        ("", "/en/"),
    ],
)
def test_root_picks_the_best_of_the_browsers_languages(client, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_root_remembers_the_language_of_the_last_page_visited(client):
    response = client.get("/es/", HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert response.cookies["rz_language"].value == "es"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert response["Location"] == "/es/"


def test_switching_to_english_is_remembered_too(client):
    client.get("/es/")
    client.get("/en/join/")
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="es")["Location"] == "/en/"


def test_a_forged_language_cookie_is_ignored(client):
    client.cookies["rz_language"] = "xx/../evil"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="es")["Location"] == "/es/"


def test_root_takes_only_get(client):
    assert client.post("/").status_code == 405


def _switcher_links(page):
    nav = re.search(r'<nav class="language-switcher".*?</nav>', page, re.S).group(0)
    return dict(re.findall(r'href="([^"]+)" hreflang="(\w+)"', nav))


def test_the_switcher_keeps_the_page_and_its_block_link(client):
    block = BlockFactory()
    page = client.get(f"/es/join/?block={block.pk}").content.decode()
    links = _switcher_links(page)
    assert links == {f"/en/join/?block={block.pk}": "en"}


def test_the_switcher_keeps_the_query_string_even_for_an_unknown_block(client):
    page = client.get("/es/join/?block=3").content.decode()
    assert _switcher_links(page) == {"/en/join/?block=3": "en"}


def test_the_switcher_on_the_english_landing_page_leads_to_the_spanish_one(client):
    page = client.get("/en/").content.decode()
    assert _switcher_links(page) == {"/es/": "es"}
    assert 'aria-current="true">English<' in page


def test_the_page_declares_its_language(client):
    assert '<html lang="es">' in client.get("/es/join/").content.decode()
