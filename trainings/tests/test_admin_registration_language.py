"""A session's registrations in the admin name each person's language."""

import pytest
from django.conf import settings
from django.urls import reverse

from trainings.tests.factories import RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "shown"), [("en", "Spanish"), ("es", "Español")])
def test_the_registrations_show_the_language_by_name(client, log_in, language, shown):
    log_in(client, UserFactory(is_superuser=True))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    registration = RegistrationFactory(language="es")

    page = client.get(reverse("admin:trainings_session_change", args=[registration.session.pk])).content.decode()

    cell = page.split('class="field-language_name"')[1].split("</td>")[0]
    assert shown in cell
    assert ">es<" not in cell
