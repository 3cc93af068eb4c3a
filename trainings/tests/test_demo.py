import pytest

from signups.models import Volunteer
from signups.tests.factories import VolunteerFactory
from trainings.demo import demo_trainings_load
from trainings.models import Attendance, Session
from trainings.tests.factories import UserFactory
from zones.tests.factories import ZoneFactory

pytestmark = pytest.mark.django_db


def test_demo_trainings_load_creates_upcoming_sessions_once_and_trains_through_attendance():
    zone = ZoneFactory()
    organizer = UserFactory(username="organizer")
    trained = VolunteerFactory(notes="Demo data", trained_at=None)
    Volunteer.objects.filter(pk=trained.pk).update(trained_at="2026-11-01T12:00:00Z")
    assert demo_trainings_load(zone=zone, trainer=organizer) == 5
    assert demo_trainings_load(zone=zone, trainer=organizer) == 0
    assert Session.objects.upcoming().count() == 5
    assert Session.objects.upcoming().for_trainer(organizer).count() == 5
    assert Attendance.objects.get().volunteer == trained
    trained.refresh_from_db()
    assert trained.is_trained
    assert organizer.has_perm("trainings.view_session")
