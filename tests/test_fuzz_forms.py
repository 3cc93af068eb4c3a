"""Whatever is posted to the RSVP form, the trainer check-in and the walk-in
endpoint: a 2xx/3xx/4xx in the page's language, never a 500, no stored HTML
that renders unescaped, and one whole record or none.
(The join form has its own: signups/tests/test_join_fuzz.py.)"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signups.models import Volunteer
from signups.tests.helpers import join_data
from tests.auth import login_with_otp
from trainings.models import Attendance, Registration
from trainings.tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert(1)</script>"
nasty = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=2000),
    st.sampled_from([
        "'; DROP TABLE trainings_registration; --", "1 OR 1=1", SCRIPT,
        '"><img src=x onerror=alert(1)>', "\u202eevil\u202c", "مرحبا", "👩🏽‍🌾" * 40, "\x00", "\x1b[31m",
        "=HYPERLINK(\"http://evil\")", "+1 215 555 0123", "ana@example.org", "on", "en", "es", "both",
        "00000000-0000-0000-0000-000000000000", "-1", "99999999999999999999", "",
    ]),
)
HYPOTHESIS = settings(
    max_examples=60, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _fields(names):
    return st.dictionaries(
        keys=st.sampled_from(names), values=st.one_of(nasty, st.lists(nasty, min_size=2, max_size=3)),
        max_size=len(names),
    )


def _page_language(response):
    match = re.search(r'<html lang="(\w+)"', response.content.decode(errors="replace"))
    return match.group(1) if match else None


def _says_what_is_wrong(response):
    # The form again with a message next to a field or above the form, or
    # the plain refusal page: never a bare page.
    body = response.content.decode(errors="replace")
    assert any(mark in body for mark in ("invalid-feedback", "alert", "errorlist", 'lang="en" class="mb-4"'))


def _no_raw_html(response):
    body = response.content.decode(errors="replace")
    assert SCRIPT not in body and "<img src=x" not in body


@pytest.fixture
def open_session(db):
    return SessionFactory(capacity=3)


RSVP_FIELDS = ["name", "phone", "email", "language", "address", "consent"]


@HYPOTHESIS
@given(overrides=_fields(RSVP_FIELDS), drop=st.sets(st.sampled_from(RSVP_FIELDS)), lang=st.sampled_from(["en", "es"]))
def test_any_rsvp_post_gives_a_page_or_a_redirect_and_whole_records(client, open_session, overrides, drop, lang):
    Registration.objects.all().delete()
    Volunteer.objects.all().delete()
    cache.clear()
    data = join_data(name="Lucía Ramírez", phone="215-555-0123", language=lang, address="")
    data.update(overrides)
    for field in drop:
        data.pop(field, None)
    response = client.post(f"/{lang}/trainings/{open_session.pk}/", data)
    assert response.status_code in (200, 302, 400)
    if response.status_code != 302:
        assert _page_language(response) == lang
        _says_what_is_wrong(response)
        _no_raw_html(response)
        assert not Registration.objects.exists() and not Volunteer.objects.exists()
    else:
        registration = Registration.objects.select_related("volunteer").get()
        registration.volunteer.full_clean()
        page = client.get(response["Location"])
        assert page.status_code == 200
        _no_raw_html(page)


@pytest.fixture
def trainer_session(client):
    trainer = UserFactory()
    now = timezone.now()
    session = SessionFactory(
        trainers=[trainer], starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=2)
    )
    login_with_otp(client, trainer)
    return session


CHECKIN_FIELDS = ["volunteer", "nonce", "at"]


@HYPOTHESIS
@given(data=_fields(CHECKIN_FIELDS), as_json=st.booleans(), lang=st.sampled_from(["en", "es"]))
def test_any_check_in_post_is_answered_without_a_server_error(client, trainer_session, data, as_json, lang):
    cache.clear()
    before = Attendance.objects.count()
    extra = {"HTTP_ACCEPT": "application/json"} if as_json else {}
    response = client.post(f"/{lang}/trainer/sessions/{trainer_session.pk}/check-in/", data, **extra)
    assert response.status_code < 500
    assert 200 <= response.status_code < 500
    if as_json and response.status_code >= 400:
        payload = response.json()
        assert payload.get("message") and payload.get("code")
    assert Attendance.objects.count() - before in (0, 1)


WALK_IN_FIELDS = ["name", "phone", "email", "language", "address", "consent", "nonce", "at"]


@HYPOTHESIS
@given(overrides=_fields(WALK_IN_FIELDS), drop=st.sets(st.sampled_from(WALK_IN_FIELDS)), lang=st.sampled_from(["en", "es"]))
def test_any_walk_in_post_leaves_a_whole_person_and_check_in_or_nothing(client, trainer_session, overrides, drop, lang):
    cache.clear()
    Attendance.objects.all().delete()
    Volunteer.objects.all().delete()
    data = {"name": "Walk In", "phone": "215-555-0142", "email": "", "language": lang, "consent": "on"}
    data.update(overrides)
    for field in drop:
        data.pop(field, None)
    response = client.post(f"/{lang}/trainer/sessions/{trainer_session.pk}/walk-in/", data)
    assert 200 <= response.status_code < 500
    if response.status_code == 200:
        assert _page_language(response) == lang
        _no_raw_html(response)
    volunteers, attendances = Volunteer.objects.count(), Attendance.objects.count()
    assert (volunteers, attendances) in ((0, 0), (1, 1))
    if volunteers:
        Volunteer.objects.get().full_clean()
        roster = client.get(f"/{lang}/trainer/sessions/{trainer_session.pk}/")
        _no_raw_html(roster)
