"""The nearest responders and the neighbors within the alert's radius:
who counts, in what order, in a constant number of queries."""

import pytest

from response.geography import SEARCH_RINGS, block_point, centroids_refresh, neighbors_within, responders_nearest
from response.models import BlockCentroid
from response.tests.helpers import neighbor, responder, zone_with_street

pytestmark = pytest.mark.django_db


def test_the_nearest_responders_come_first_and_only_responders_count():
    _, blocks = zone_with_street()
    far, near, nearest = responder(blocks[9]), responder(blocks[3]), responder(blocks[1])
    neighbor(blocks[0])  # trained, urgent, but did not choose rapid response
    responder(blocks[0], trained_at=None)  # not trained
    responder(blocks[0], message_kinds=["news"])  # no urgent alerts
    responder(blocks[0], ways_to_help=["legal_observer"], name="Observadora")
    centroids_refresh()
    found = responders_nearest(block_point(blocks[0]), count=3)
    assert [v.name for v in found][:1] == ["Observadora"]
    assert [v.pk for v in found[1:]] == [nearest.pk, near.pk]
    assert far not in found


def test_the_radius_takes_trained_neighbors_who_agreed_to_urgent_alerts(settings):
    settings.RAPID_ALERT_RADIUS_BLOCKS = 3
    _, blocks = zone_with_street()
    inside = [neighbor(blocks[0]), neighbor(blocks[2]), responder(blocks[3])]
    neighbor(blocks[6])  # six blocks away
    neighbor(blocks[1], message_kinds=["news"])
    neighbor(blocks[1], trained_at=None)
    centroids_refresh()
    assert set(neighbors_within(block_point(blocks[0]))) == set(inside)


def test_both_queries_take_a_constant_number_of_queries(django_assert_num_queries):
    _, blocks = zone_with_street()
    for block in blocks:
        responder(block)
        neighbor(block)
    centroids_refresh()
    point = block_point(blocks[5])
    with django_assert_num_queries(1):
        assert len(responders_nearest(point, count=5)) == 5
    # Too few nearby: the wider rings, one query each, and no more.
    with django_assert_num_queries(len(SEARCH_RINGS)):
        responders_nearest(point, count=500)
    with django_assert_num_queries(1):
        list(neighbors_within(point))
    with django_assert_num_queries(1):
        assert centroids_refresh() == 0


def test_a_changed_geometry_moves_its_centroid():
    _, blocks = zone_with_street()
    centroids_refresh()
    block = blocks[0]
    block.geometry = {"type": "LineString", "coordinates": [[-75.1, 39.9], [-75.1, 39.91]]}
    block.save()
    assert centroids_refresh() == 1
    assert BlockCentroid.objects.get(block=block).lat == pytest.approx(39.905)
