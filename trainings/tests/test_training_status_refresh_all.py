"""volunteer_training_status_refresh_all: the set-based refresh used to load
tens of thousands of people must give exactly what the per-volunteer refresh
(the app's one rule for who is trained) gives."""

import datetime

import pytest
from django.utils import timezone

from pagecache.pages import generations
from signups.models import Volunteer
from signups.tests.factories import VolunteerFactory
from trainings.models import Session
from trainings.services import volunteer_training_status_refresh, volunteer_training_status_refresh_all
from trainings.tests.factories import AttendanceFactory, SessionFactory, TopicFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _done(topic, days_ago):
    starts = NOW - datetime.timedelta(days=days_ago)
    return SessionFactory(
        topic=topic, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), status=Session.Status.DONE
    )


def _world():
    """One person for each case the rule distinguishes."""
    expiring = TopicFactory(valid_for_months=12)
    forever = TopicFactory(valid_for_months=None)
    not_counting = TopicFactory(counts_as_training=False)
    people = {name: VolunteerFactory() for name in (
        "once", "twice", "expired", "forever_and_expiring", "undone", "not_done", "not_counting",
        "stale", "nobody",
    )}
    AttendanceFactory(session=_done(expiring, 30), volunteer=people["once"])
    AttendanceFactory(session=_done(expiring, 300), volunteer=people["twice"])
    AttendanceFactory(session=_done(expiring, 20), volunteer=people["twice"])
    AttendanceFactory(session=_done(expiring, 500), volunteer=people["expired"])
    AttendanceFactory(session=_done(forever, 400), volunteer=people["forever_and_expiring"])
    AttendanceFactory(session=_done(expiring, 10), volunteer=people["forever_and_expiring"])
    AttendanceFactory(session=_done(forever, 40), volunteer=people["undone"], undone_at=NOW)
    AttendanceFactory(session=SessionFactory(topic=forever), volunteer=people["not_done"])
    AttendanceFactory(session=_done(not_counting, 40), volunteer=people["not_counting"])
    # Marked trained by hand (or by a rule since changed): attendance says no.
    Volunteer.objects.filter(pk=people["stale"].pk).update(trained_at=NOW, trained_until=NOW)
    return people


def _status():
    return {pk: (at, until) for pk, at, until in Volunteer.objects.values_list("pk", "trained_at", "trained_until")}


def test_the_bulk_refresh_agrees_with_the_per_volunteer_refresh():
    _world()
    snapshot = list(Volunteer.objects.values_list("pk", "trained_at", "trained_until"))

    volunteer_training_status_refresh_all()
    bulk = _status()
    for pk, at, until in snapshot:
        Volunteer.objects.filter(pk=pk).update(trained_at=at, trained_until=until)
    volunteer_training_status_refresh(volunteers=Volunteer.objects.all())

    assert bulk == _status()


def test_the_bulk_refresh_applies_the_rule_to_each_case():
    people = _world()

    volunteer_training_status_refresh_all()

    trained = set(Volunteer.objects.trained(now=NOW).values_list("pk", flat=True))
    refresher = set(Volunteer.objects.needing_refresher(now=NOW).values_list("pk", flat=True))
    assert trained == {people[name].pk for name in ("once", "twice", "forever_and_expiring")}
    assert refresher == {people["expired"].pk}
    people["forever_and_expiring"].refresh_from_db()
    assert people["forever_and_expiring"].trained_until is None
    people["stale"].refresh_from_db()
    assert (people["stale"].trained_at, people["stale"].trained_until) == (None, None)


def test_the_bulk_refresh_writes_only_what_changed(django_assert_num_queries):
    _world()
    # Four get a training (one of them expired), the stale one is reset.
    assert volunteer_training_status_refresh_all() == 5

    # Nothing changed since: the attendance and the stored status are read
    # (two queries), nothing is written.
    with django_assert_num_queries(2):
        assert volunteer_training_status_refresh_all() == 0


def test_the_bulk_refresh_makes_cached_coverage_pages_stale():
    _world()
    before = generations("coverage")["coverage"]

    volunteer_training_status_refresh_all()

    assert generations("coverage")["coverage"] > before
