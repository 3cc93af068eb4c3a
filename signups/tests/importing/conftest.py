import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.query_budget import organizer_of
from zones.tests.factories import BlockFactory, ZoneFactory


@pytest.fixture
def zone(db):
    zone = ZoneFactory(slug="pilot", name_en="Pilot")
    for hundred in (1100, 1200, 1300):
        BlockFactory(zone=zone, street="S 9TH ST", hundred=hundred)
    return zone


@pytest.fixture
def other_zone(db):
    zone = ZoneFactory(slug="other", name_en="Other")
    BlockFactory(zone=zone, street="S 7TH ST", hundred=700)
    return zone


@pytest.fixture
def organizer(zone, other_zone):
    return organizer_of(zone)


@pytest.fixture
def admin_client(client, organizer, otp_login):
    otp_login(client, organizer)
    return client


def upload(client, content, name="list.csv"):
    return client.post(
        "/admin/signups/volunteer/import/",
        {"file": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
