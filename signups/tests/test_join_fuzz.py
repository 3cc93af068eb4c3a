"""Whatever is posted to /<lang>/join/: never a 500, never a partial record."""

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signups.models import Volunteer
from signups.protection import HONEYPOT_FIELD, STARTED_FIELD
from signups.tests.helpers import join_data

pytestmark = pytest.mark.django_db

# The bot-trap fields are left as a person's browser sends them: the traps
# have their own tests (test_protection.py); here the form itself is fuzzed.
FIELDS = [field for field in join_data() if field not in (HONEYPOT_FIELD, STARTED_FIELD)]
# Text as people and scripts send it: any Unicode (emoji, right-to-left,
# combining marks, control characters), SQL- and HTML-looking strings,
# numbers, and very long runs.
nasty = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=2500),
    st.sampled_from(
        [
            "'; DROP TABLE signups_volunteer; --",
            "1 OR 1=1",
            "<script>alert(1)</script>",
            "\u202eevil\u202c",
            "مرحبا بالعالم",
            "👩🏽‍🌾" * 50,
            "\x00",
            "=HYPERLINK(\"http://evil\")",
            "1123 S 9th St",
            "19147",
            "+1 215 555 0123",
            "on",
            "en", "es", "both", "text", "email", "get_trained", "sat_am",
        ]
    ),
)
posted = st.dictionaries(
    keys=st.sampled_from(FIELDS),
    values=st.one_of(nasty, st.lists(nasty, max_size=4)),
    max_size=len(FIELDS),
)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(overrides=posted, language=st.sampled_from(["en", "es"]))
def test_any_post_gives_a_page_or_a_redirect_and_one_whole_volunteer_or_none(
    client, overrides, language
):
    Volunteer.objects.all().delete()
    cache.clear()  # each example is a new visitor, not one over the rate limit
    data = join_data(**{key: value for key, value in overrides.items()})
    response = client.post(f"/{language}/join/", data)
    assert response.status_code in (200, 302)
    volunteers = list(Volunteer.objects.all())
    if response.status_code == 302:
        assert len(volunteers) == 1
        volunteer = volunteers[0]
        volunteer.full_clean()
        assert volunteer.phone or volunteer.email
        assert volunteer.consent_at is not None
        assert volunteer.block is not None or volunteer.address_withheld
    else:
        assert volunteers == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Hypothesis draws at most a few thousand characters: repeat a drawn piece
# up to 10 kB.
@given(junk=st.text(min_size=1, max_size=300).map(lambda piece: (piece * (10_240 // len(piece) + 1))[:10_240]))
def test_ten_kilobytes_of_any_text_is_never_a_server_error_nor_a_partial_record(client, junk):
    cache.clear()
    for field in ("name", "phone", "email", "address", "zip_code", "block", "language"):
        Volunteer.objects.all().delete()
        response = client.post("/en/join/", join_data(**{field: junk}))
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            # Junk where the form can do without it (a bad block link next
            # to a typed address, spaces as the email) is dropped.
            Volunteer.objects.get().full_clean()
        else:
            assert Volunteer.objects.count() == 0
    # 10 kB is never a name.
    Volunteer.objects.all().delete()
    response = client.post("/en/join/", join_data(name=junk))
    assert response.status_code == 200
    assert Volunteer.objects.count() == 0
