import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from canvass.models import CanvassTeam, day_name
from canvass.roles import CANVASSER
from signups.tests.factories import CampaignFactory


class CanvasserFactory(factory.django.DjangoModelFactory):
    """A staff account in the Canvasser group, with no admin permission."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"canvasser-{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    is_staff = True
    password = factory.django.Password("x" * 20)

    @factory.post_generation
    def canvasser_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name=CANVASSER)[0])


class CanvassTeamFactory(factory.django.DjangoModelFactory):
    """A team for `on` (a date): its campaign runs that day."""

    class Meta:
        model = CanvassTeam
        skip_postgeneration_save = True

    class Params:
        on = None

    campaign = factory.LazyAttribute(
        lambda o: CampaignFactory(starts_on=o.on - datetime.timedelta(days=1), ends_on=o.on + datetime.timedelta(days=1))
    )
    name = factory.Sequence(lambda n: f"Team {n}")
    day = factory.LazyAttribute(lambda o: day_name(o.on))

    @factory.post_generation
    def blocks(self, create, extracted, **kwargs):
        if create and extracted:
            self.blocks.add(*extracted)

    @factory.post_generation
    def canvassers(self, create, extracted, **kwargs):
        if create and extracted:
            self.canvassers.add(*extracted)
