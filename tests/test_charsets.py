"""A form post in a charset other than UTF-8 is answered with a short 400
page in both languages, never a 500, on every page, and the body is never
written to the log (signups/charset.py, signups/error_pages.py)."""

import logging

import pytest
from django.core.exceptions import BadRequest
from django.test import Client, RequestFactory

from signups import error_pages

pytestmark = pytest.mark.django_db
TOKEN = "a" * 32  # a valid unmasked CSRF secret: cookie and field agree
PATHS = ["/en/join/", "/en/", "/es/join/", "/healthz", "/en/login/", "/i18n/setlang/", "/en/no-such-page/"]
BODIES = {
    "latin-1": "name=Café Muñoz".encode("latin-1"),
    "iso-8859-1": "name=Café Muñoz".encode("latin-1"),
    "utf-16": "name=Café Muñoz".encode("utf-16"),
    "utf-7": "name=Café Muñoz".encode("utf-7"),
    "shift_jis": "name=日本".encode("shift_jis"),
    "cp1252": "name=Café".encode("cp1252"),
    "no-such-charset": b"name=Caf\xe9",
}


def _client():
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = TOKEN
    return client


def _post(client, path, body, content_type):
    return client.generic("POST", path, body, content_type=content_type)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("charset", list(BODIES))
def test_a_form_in_another_charset_gets_a_bilingual_400_page(path, charset):
    body = BODIES[charset] + b"&csrfmiddlewaretoken=" + TOKEN.encode()
    response = _post(_client(), path, body, f"application/x-www-form-urlencoded; charset={charset}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "We could not read that form" in page
    assert 'lang="es"' in page


@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "no-such-charset"])
def test_a_multipart_form_declaring_another_charset_gets_a_400(charset):
    body = (
        b"--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nCaf\xe9\r\n"
        b"--XyZ\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n"
        + TOKEN.encode() + b"\r\n--XyZ--\r\n"
    )
    response = _post(_client(), "/en/join/", body, f"multipart/form-data; boundary=XyZ; charset={charset}")
    assert response.status_code == 400


def test_a_form_without_a_charset_whose_letters_are_not_utf8_gets_a_400():
    body = b"name=Caf%E9&csrfmiddlewaretoken=" + TOKEN.encode()
    response = _post(_client(), "/en/join/", body, "application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "We could not read that form" in response.content.decode()


@pytest.mark.parametrize("charset", ["utf-8", "UTF8", "utf_8", "us-ascii", "ascii"])
def test_utf8_under_any_of_its_names_is_read_as_a_form(charset):
    body = "language=es&csrfmiddlewaretoken=".encode() + TOKEN.encode()
    response = _post(_client(), "/i18n/setlang/", body, f"application/x-www-form-urlencoded; charset={charset}")
    assert response.status_code == 302
    assert response.cookies["rz_language"].value == "es"


def test_a_refused_body_is_never_written_to_the_log(caplog):
    body = "name=Zoë Secreta&phone=2155550123".encode("latin-1")
    with caplog.at_level(logging.DEBUG):
        _post(_client(), "/en/join/", body, "application/x-www-form-urlencoded; charset=latin-1")
    logged = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    assert "Secreta" not in logged and "2155550123" not in logged
    assert not any(record.exc_info for record in caplog.records)
    assert len(logged) < 200


def test_the_400_handler_never_reads_the_body():
    request = RequestFactory().post("/en/join/", data=b"x", content_type="application/x-www-form-urlencoded")

    def unreadable(*args):
        raise BadRequest("unreadable")

    request._load_post_and_files = unreadable
    response = error_pages.bad_request(request, BadRequest("unreadable"))
    assert response.status_code == 400


def test_the_csrf_failure_page_is_answered_even_for_an_odd_multipart_body():
    body = b"--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\nContent-Type: text/plain; charset=utf-16\r\n\r\n\xff\xfe\x00\r\n--XyZ--\r\n"
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = _post(client, "/en/join/", body, "multipart/form-data; boundary=XyZ")
    assert response.status_code == 403
    assert "Please try again" in response.content.decode()
