import datetime

import factory
from django.conf import settings
from django.utils import timezone

from signups.models import Campaign, Volunteer
from zones.tests.factories import BlockFactory


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"campaign-{n}")
    name_en = "Launch weekend"
    name_es = "Fin de semana de lanzamiento"
    intro_en = "Join your neighbors."
    intro_es = "Únete a tus vecinos."
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=2))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=1))
    is_open = True


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer

    name = factory.Sequence(lambda n: f"Neighbor {n}")
    phone = factory.Sequence(lambda n: f"+1215555{n:04d}")
    email = factory.Sequence(lambda n: f"neighbor{n}@example.org")
    language = "es"
    contact_methods = ["text"]
    consent_at = factory.LazyFunction(timezone.now)
    consent_version = settings.CONSENT_VERSION
    block = factory.SubFactory(BlockFactory)
    zip_code = "19147"
    ways_to_help = ["get_trained"]
