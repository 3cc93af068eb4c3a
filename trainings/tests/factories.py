import datetime
import uuid

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from signups.tests.factories import VolunteerFactory
from trainings.models import Attendance, Registration, Session, Topic
from zones.tests.factories import ZoneFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"trainer{n}")
    first_name = factory.Sequence(lambda n: f"Trainer {n}")
    is_staff = True
    password = factory.django.Password("a long test password 123")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name_en = factory.Sequence(lambda n: f"Know your rights {n}")
    name_es = factory.Sequence(lambda n: f"Conoce tus derechos {n}")
    description_en = "What to do when ICE knocks."
    description_es = "Qué hacer cuando ICE toca la puerta."
    counts_as_training = True
    valid_for_months = None


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    topic = factory.SubFactory(TopicFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    language = Session.Language.BILINGUAL
    location_name_en = "St. Thomas parish hall"
    neighborhood = "Bella Vista"
    address = "1409 S 9th St (side door)"
    capacity = 20
    zone = factory.SubFactory(ZoneFactory)

    @factory.post_generation
    def trainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.trainers.set(extracted)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    volunteer = factory.SubFactory(VolunteerFactory)
    status = Registration.Status.REGISTERED
    language = "es"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    volunteer = factory.SubFactory(VolunteerFactory)
    nonce = factory.LazyFunction(uuid.uuid4)
