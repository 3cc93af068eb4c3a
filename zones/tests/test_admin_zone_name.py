"""The zones list names each zone in the organizer's language."""

import pytest
from django.conf import settings

from zones.tests.factories import ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "shown", "hidden"), [
    ("es", "Piloto del Sur", "South Philly pilot"),
    ("en", "South Philly pilot", "Piloto del Sur"),
])
def test_the_zone_list_shows_the_name_in_the_admin_language(admin_user, client, otp_login, language, shown, hidden):
    otp_login(client, admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    ZoneFactory(name_en="South Philly pilot", name_es="Piloto del Sur")

    page = client.get("/admin/zones/zone/").content.decode()

    assert shown in page
    assert hidden not in page
