"""A staff request reads its session and the identity the session names in
one read of the cache (signups.sessions), once this worker has served the
session before. The session read alongside decides: a hint that no longer
fits the session never lends anyone another person's or device's identity."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches

from signups import staff_identity
from signups.roles import ORGANIZER
from tests.auth import login_with_otp
from trainings.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TRAINER_HOME = "/en/trainer/"


@pytest.fixture
def organizer():
    user = UserFactory(is_staff=True, first_name="Olga")
    user.groups.add(Group.objects.get(name=ORGANIZER))
    return user


@pytest.fixture
def cache_reads(monkeypatch):
    """Every read of the session and page cache: ("get" or "get_many", keys)."""
    cache = caches["best_effort"]
    reads = []
    get, get_many = cache.get, cache.get_many

    inside_get_many = []

    def counted_get(key, *args, **kwargs):
        if not inside_get_many:  # locmem's get_many calls get per key
            reads.append(("get", [key]))
        return get(key, *args, **kwargs)

    def counted_get_many(keys, *args, **kwargs):
        reads.append(("get_many", list(keys)))
        inside_get_many.append(True)
        try:
            return get_many(keys, *args, **kwargs)
        finally:
            inside_get_many.pop()

    monkeypatch.setattr(cache, "get", counted_get)
    monkeypatch.setattr(cache, "get_many", counted_get_many)
    return reads


def session_reads(reads, client):
    session_key = "django.contrib.sessions.cached_db" + client.cookies["sessionid"].value
    return [(kind, keys) for kind, keys in reads if session_key in keys]


def identity_reads(reads):
    return [(kind, keys) for kind, keys in reads if any("staff-identity" in key for key in keys)]


def test_a_session_seen_before_is_read_with_its_identity_in_one_read(client, organizer, cache_reads):
    login_with_otp(client, organizer)
    client.get(TRAINER_HOME)
    cache_reads.clear()

    assert client.get(TRAINER_HOME).status_code == 200

    [(kind, keys)] = session_reads(cache_reads, client)
    assert kind == "get_many"
    assert any(f"staff-identity:{organizer.pk}:" in key for key in keys)
    assert identity_reads(cache_reads) == [(kind, keys)]  # not read a second time


def test_a_hint_naming_someone_else_lends_nothing(client, organizer, cache_reads):
    other = UserFactory(is_staff=True, is_superuser=True)
    other_client = type(client)()
    login_with_otp(other_client, other)
    other_client.get(TRAINER_HOME)  # the superuser's identity is kept
    login_with_otp(client, organizer)
    client.get(TRAINER_HOME)
    other_device = next(iter(staff_identity._session_hints.values()))[1]
    # This worker's hint for the organizer's session now names the
    # superuser (a worker's memory is not to be trusted with access).
    staff_identity._remember_hint(client.cookies["sessionid"].value, other.pk, other_device)

    response = client.get("/admin/auth/user/")

    assert response.status_code == 403 or "/login/" in response.get("Location", "")
    assert client.get(TRAINER_HOME).wsgi_request.user.pk == organizer.pk


def test_the_hints_a_worker_keeps_are_bounded(monkeypatch):
    monkeypatch.setattr(staff_identity, "_session_hints", {})
    monkeypatch.setattr(staff_identity, "MAX_SESSION_HINTS", 3)
    for number in range(7):
        staff_identity._remember_hint(f"session-{number}", number, "")

    assert 1 <= len(staff_identity._session_hints) <= 3
    assert not any("session-" in repr(key) for key in staff_identity._session_hints)  # digests, not keys


def test_a_map_revalidation_is_one_read_of_the_cache_and_sees_a_change_at_once(client, organizer, cache_reads):
    from zones.tests.factories import BlockFactory

    login_with_otp(client, organizer)
    etag = client.get("/en/zones/blocks.geojson")["ETag"]
    client.get("/en/zones/blocks.geojson", HTTP_IF_NONE_MATCH=etag)
    cache_reads.clear()

    assert client.get("/en/zones/blocks.geojson", HTTP_IF_NONE_MATCH=etag).status_code == 304
    # The session, the identity and the map's generation, read together.
    [(kind, keys)] = cache_reads
    assert kind == "get_many" and "rz:generation:coverage" in keys

    BlockFactory()  # a new block moves the coverage generation
    assert client.get("/en/zones/blocks.geojson", HTTP_IF_NONE_MATCH=etag).status_code == 200
