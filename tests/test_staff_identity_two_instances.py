"""A staff member's kept identity (signups.staff_identity), on two hosts.

Staff requests read who is asking from the shared cache, not PostgreSQL.
What that must never cost: a change to what a person may do, made anywhere,
holds on the very next request on every instance, and the cache never holds
a password hash, a TOTP secret or a backup code.

The changes here are made by the test process with the shared Redis as its
cache, as an admin or a shell on a third host would make them: their signals
bump the generations where the two instances read them.
"""

import pickle
from contextlib import contextmanager

import pytest
import redis
from django.contrib.auth.models import Group
from django.test import override_settings
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from signups.roles import ORGANIZER
from tests.test_two_instances import (  # noqa: F401 (fixtures)
    REDIS_URL,
    Browser,
    _today_session,
    a_b,
    instances,
    key_prefix,
    staff_with_app,
)
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = [pytest.mark.gunicorn, pytest.mark.django_db(transaction=True)]

ADMIN_LIST = "/admin/signups/volunteer/"


@contextmanager
def shared_cache(key_prefix):
    """This process's cache is the instances' Redis, as on another host."""
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": key_prefix,
    }
    with override_settings(CACHES={"default": redis_cache, "best_effort": redis_cache}):
        yield


def _on_both(browser, a_b, path, **kwargs):
    return [browser.get(instance, path, **kwargs) for instance in a_b]


def _organizer(**kwargs):
    organizer = staff_with_app(is_staff=True, **kwargs)
    organizer.groups.add(Group.objects.get(name=ORGANIZER))
    return organizer


def test_an_organizer_taken_out_of_the_organizer_group_loses_the_admin_at_the_next_request_on_both(a_b, key_prefix):
    a, b = a_b
    organizer = _organizer()
    browser = Browser("192.0.2.110")
    browser.log_in(a, organizer)
    # Twice on each: the second answer comes from the kept identity.
    for _ in range(2):
        assert [r.status_code for r in _on_both(browser, a_b, ADMIN_LIST)] == [200, 200]

    with shared_cache(key_prefix):
        organizer.groups.remove(Group.objects.get(name=ORGANIZER))

    for response in _on_both(browser, (b, a), ADMIN_LIST):
        assert response.status_code == 302
        assert "/login/" in response.headers["Location"]


def _trainer_on_their_roster(a_b, address):
    """A trainer logged in on A whose roster both instances have served
    twice (the second time from the kept identity and page)."""
    trainer = staff_with_app()
    roster = f"/en/trainer/sessions/{_today_session(trainers=[trainer]).pk}/"
    browser = Browser(address)
    browser.log_in(a_b[0], trainer)
    for _ in range(2):
        assert [r.status_code for r in _on_both(browser, a_b, roster)] == [200, 200]
    return trainer, browser, roster


def test_a_deactivated_trainer_is_logged_out_at_the_next_request_on_both(a_b, key_prefix):
    a, b = a_b
    trainer, browser, roster = _trainer_on_their_roster(a_b, "192.0.2.111")

    with shared_cache(key_prefix):
        trainer.is_active = False
        trainer.save()

    for response in _on_both(browser, (b, a), roster):
        assert response.status_code == 302
        assert "/en/login/" in response.headers["Location"]


def test_a_deleted_authenticator_stops_verifying_the_session_at_the_next_request_on_both(a_b, key_prefix):
    a, b = a_b
    trainer, browser, roster = _trainer_on_their_roster(a_b, "192.0.2.112")

    with shared_cache(key_prefix):
        TOTPDevice.objects.filter(user=trainer).delete()  # the phone was stolen

    for response in _on_both(browser, (b, a), roster):
        assert response.status_code == 302
        # No device left: set up a new one before anything else.
        assert "/en/login/enroll/" in response.headers["Location"]


def test_an_organizer_taken_off_a_zone_stops_seeing_its_blocks_on_the_map_at_the_next_request(a_b, key_prefix):
    a, b = a_b
    zone = ZoneFactory(slug="pilot")
    BlockFactory(zone=zone)
    organizer = _organizer()
    zone.organizers.add(organizer)
    browser = Browser("192.0.2.113")
    browser.log_in(a, organizer)
    for _ in range(2):
        for response in _on_both(browser, a_b, "/en/zones/blocks.geojson"):
            assert response.status_code == 200
            assert len(response.json()["features"]) == 1

    with shared_cache(key_prefix):
        zone.organizers.remove(organizer)

    for response in _on_both(browser, (b, a), "/en/zones/blocks.geojson"):
        assert response.status_code == 200
        assert response.json()["features"] == []


def test_the_shared_cache_holds_no_password_hash_totp_secret_or_backup_code(a_b, key_prefix):
    a, b = a_b
    trainer = staff_with_app()
    backup = StaticDevice.objects.create(user=trainer, name="backup", confirmed=True)
    StaticToken.objects.create(device=backup, token="b4ckupc0de")
    session = _today_session(trainers=[trainer])
    browser = Browser("192.0.2.114")
    browser.log_in(a, trainer)
    for instance in (a, b, a, b):
        assert browser.get(instance, f"/en/trainer/sessions/{session.pk}/").status_code == 200

    trainer.refresh_from_db()
    device = TOTPDevice.objects.get(user=trainer)
    secrets = {
        "password hash": trainer.password,
        "password hash's digest": trainer.password.rsplit("$", 1)[-1],
        "TOTP secret": device.key,
        "TOTP secret, as bytes": device.bin_key.hex(),
        "backup code": "b4ckupc0de",
    }
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{key_prefix}:*", count=1000))
    identity_keys = [key for key in keys if b"staff-identity" in key]
    assert identity_keys, "no identity was kept: this test would prove nothing"
    for key in keys:
        raw = client.get(key)
        if raw is None:
            continue
        try:
            text = repr(pickle.loads(raw))  # what the entry holds, readably
        except Exception:
            text = ""
        for name, secret in secrets.items():
            assert secret.encode() not in raw, (name, key)
            assert secret not in text, (name, key)
    # The identity does hold the person: it is the right entry to inspect.
    assert any(trainer.username.encode() in client.get(key) for key in identity_keys)
