"""Any body, in any charset and under any content type, posted to any public
page that takes a POST: never a server error. (What the forms do with
well-formed but odd values is fuzzed in test_fuzz_forms.py and
signups/tests/test_join_fuzz.py.)"""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainings.tests.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db
TOKEN = "b" * 32  # a valid unmasked CSRF secret: cookie and field agree
CHARSETS = [
    "utf-8", "UTF8", "us-ascii", "latin-1", "cp1252", "utf-16", "utf-16-be", "utf-32", "utf-7",
    "shift_jis", "euc-jp", "gb18030", "koi8-r", "big5", "no-such-charset", "", "\"utf-8\"", "utf-8;x",
]
FIELDS = ["name", "phone", "email", "language", "address", "zip_code", "consent", "next", "username",
          "password", "csrfmiddlewaretoken", "website", "form_started", "ways_to_help"]


@pytest.fixture
def public_posts(db):
    """Every page an anonymous visitor can post to, in both languages."""
    session = SessionFactory(capacity=3)
    registration = RegistrationFactory(session=session)
    token = registration.cancel_token
    paths = ["/healthz", "/i18n/setlang/", f"/{django_settings.ADMIN_URL}login/"]
    for lang in ("en", "es"):
        paths += [
            f"/{lang}/", f"/{lang}/join/", f"/{lang}/join/thanks/", f"/{lang}/join/confirm/not-a-token/",
            f"/{lang}/login/", f"/{lang}/login/verify/", f"/{lang}/trainings/{session.pk}/",
            f"/{lang}/trainings/r/{token}/", f"/{lang}/trainings/r/{token}/cancel/",
        ]
    return paths


def _text_in(charset):
    # Text encoded in the named charset, or raw bytes where none applies.
    return st.one_of(
        st.binary(max_size=80),
        st.text(max_size=40).map(lambda text: _encode(text, charset)),
    )


def _encode(text, charset):
    try:
        return text.encode(charset.strip('"').split(";")[0] or "utf-8", errors="replace")
    except LookupError:
        return text.encode("latin-1", errors="replace")


@st.composite
def request_bodies(draw):
    """(content type header or None, body bytes)."""
    charset = draw(st.sampled_from(CHARSETS))
    with_charset = draw(st.booleans())
    param = f"; charset={charset}" if with_charset else ""
    kind = draw(st.sampled_from(["urlencoded", "multipart", "json", "text", "missing", "garbage"]))
    fields = draw(st.lists(st.tuples(st.sampled_from(FIELDS), _text_in(charset)), max_size=6))
    fields.append(("csrfmiddlewaretoken", TOKEN.encode()))
    if kind == "urlencoded":
        body = b"&".join(name.encode() + b"=" + value for name, value in fields)
        return "application/x-www-form-urlencoded" + param, body
    if kind == "multipart":
        boundary = draw(st.sampled_from(["XyZ", "----WebKitFormBoundary7MA4YWxkTrZu0gW", "", "\u00e9"]))
        part_charset = draw(st.sampled_from(CHARSETS))
        parts = [
            b"--" + boundary.encode() + b"\r\nContent-Disposition: form-data; name=\"" + name.encode() + b"\""
            + (b"\r\nContent-Type: text/plain; charset=" + part_charset.encode() if draw(st.booleans()) else b"")
            + b"\r\n\r\n" + value + b"\r\n"
            for name, value in fields
        ]
        closing = draw(st.sampled_from([b"--" + boundary.encode() + b"--\r\n", b"", b"--"]))
        return f"multipart/form-data; boundary={boundary}" + param, b"".join(parts) + closing
    if kind == "json":
        return "application/json" + param, draw(st.one_of(st.binary(max_size=200), _text_in(charset)))
    if kind == "text":
        return "text/plain" + param, draw(_text_in(charset))
    if kind == "missing":
        return None, draw(st.binary(max_size=200))
    header = draw(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60))
    return header, draw(st.binary(max_size=200))


@settings(
    max_examples=300, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), request=request_bodies(), with_csrf=st.booleans())
def test_any_body_in_any_charset_to_any_public_post_is_never_a_server_error(public_posts, data, request, with_csrf):
    path = data.draw(st.sampled_from(public_posts))
    content_type, body = request
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if with_csrf:
        client.cookies["csrftoken"] = TOKEN
    # An empty content type stands for a missing header: the WSGI server
    # passes no CONTENT_TYPE, which Django reads as "".
    response = client.generic("POST", path, body, content_type=content_type or "")
    assert response.status_code < 500, (path, content_type, body[:80])
