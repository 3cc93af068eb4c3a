"""A staff request reads who is asking from the kept identity
(signups.staff_identity), not from PostgreSQL. The guarantees (changes hold
at the next request on every host, no secret in the cache) are tested on two
real instances: tests/test_staff_identity_two_instances.py."""

import pytest
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from signups.roles import ORGANIZER
from tests.auth import login_with_otp
from trainings.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_LIST = "/admin/signups/volunteer/"


@pytest.fixture
def organizer():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=ORGANIZER))
    return user


def test_a_staff_request_after_the_first_asks_postgresql_nothing_about_the_user(client, organizer, django_assert_num_queries):
    login_with_otp(client, organizer)
    assert client.get("/en/zones/blocks.geojson").status_code == 200
    etag = client.get("/en/zones/blocks.geojson")["ETag"]
    # The map's 304 reads no block; now it reads no user, device or
    # permission either.
    with django_assert_num_queries(0):
        assert client.get("/en/zones/blocks.geojson", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_permissions_come_from_the_identity_and_leave_with_the_group(client, organizer):
    login_with_otp(client, organizer)
    assert client.get(ADMIN_LIST).status_code == 200
    assert client.get(ADMIN_LIST).status_code == 200
    organizer.groups.remove(Group.objects.get(name=ORGANIZER))
    assert client.get(ADMIN_LIST).status_code == 302


def test_a_new_password_elsewhere_logs_this_session_out(client, organizer):
    login_with_otp(client, organizer)
    assert client.get(ADMIN_LIST).status_code == 200
    organizer.set_password("another long password 456")
    organizer.save()
    response = client.get(ADMIN_LIST)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_device_no_longer_confirmed_unverifies_the_session(client, organizer):
    login_with_otp(client, organizer)
    assert client.get("/en/trainer/").status_code == 200
    TOTPDevice.objects.filter(user=organizer).update(confirmed=False)  # no signal...
    # ...so this request may still come from the identity; a save says it.
    TOTPDevice.objects.get(user=organizer).save()
    response = client.get("/en/trainer/")
    assert response.status_code == 302
    assert "/en/login/enroll/" in response["Location"]
