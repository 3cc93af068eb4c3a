import datetime

import pytest
from django.utils import timezone

from signups.tests.factories import VolunteerFactory
from zones.coverage import zone_coverage_summaries, zone_coverage_summary
from zones.models import Block, CoverageLevel
from zones.tests.factories import BlockFactory, ZoneFactory


def trained(block, **kwargs):
    return VolunteerFactory(block=block, trained_at=timezone.now() - datetime.timedelta(days=3), **kwargs)


def test_levels_follow_the_zones_target(db):
    zone = ZoneFactory(target_per_block=2)
    empty, one, two, three = BlockFactory.create_batch(4, zone=zone)
    VolunteerFactory(block=empty)  # signed up, not trained
    trained(one)
    trained(two), trained(two)
    trained(three), trained(three), trained(three)

    levels = dict(Block.objects.with_coverage().values_list("pk", "coverage_level"))

    assert levels == {
        empty.pk: CoverageLevel.NONE,
        one.pk: CoverageLevel.BELOW,
        two.pk: CoverageLevel.AT_TARGET,
        three.pk: CoverageLevel.AT_TARGET,
    }


def test_a_target_of_one_makes_one_trained_neighbor_enough(db):
    block = BlockFactory(zone=ZoneFactory(target_per_block=1))
    trained(block)

    assert Block.objects.with_coverage().get().coverage_level == CoverageLevel.AT_TARGET
    assert block.pk


def test_an_expired_training_needs_a_refresher_and_does_not_count(db):
    block = BlockFactory()
    now = timezone.now()
    VolunteerFactory(block=block, trained_at=now - datetime.timedelta(days=400),
                     trained_until=now - datetime.timedelta(days=1))
    VolunteerFactory(block=block, trained_at=now - datetime.timedelta(days=10),
                     trained_until=now + datetime.timedelta(days=300))

    row = Block.objects.with_coverage().get()

    assert (row.resident_count, row.trained_count, row.refresher_count) == (2, 1, 1)
    assert row.coverage_level == CoverageLevel.BELOW


def test_zone_summary_counts_blocks_residents_and_trained(db):
    zone = ZoneFactory(target_per_block=2)
    other_zone = ZoneFactory()
    blocks = BlockFactory.create_batch(4, zone=zone)
    VolunteerFactory(block=blocks[0])
    trained(blocks[1])
    trained(blocks[2]), trained(blocks[2])
    trained(BlockFactory(zone=other_zone))
    now = timezone.now()
    VolunteerFactory(block=blocks[3], trained_at=now - datetime.timedelta(days=400),
                     trained_until=now - datetime.timedelta(days=1))

    summary = zone_coverage_summary(zone=zone)

    assert (summary.blocks, summary.none, summary.below, summary.at_target) == (4, 2, 1, 1)
    assert (summary.residents, summary.trained, summary.needing_refresher) == (5, 3, 1)
    assert summary.percent_with_trained == 50
    assert summary.percent_at_target == 25


def test_a_zone_without_blocks_has_an_empty_summary(db):
    zone = ZoneFactory()

    summary = zone_coverage_summaries(zones=[zone])[zone.pk]

    assert summary.blocks == 0
    assert summary.percent_with_trained == 0


def make_blocks(zone, count):
    Block.objects.bulk_create(
        Block(street=f"TEST {n // 900} ST", hundred=(n % 900) * 100, zone=zone)
        for n in range(count)
    )
    return list(Block.objects.filter(zone=zone).order_by("pk")[:5])


@pytest.mark.parametrize("count", [10, 2000])
def test_zone_summary_is_one_query_at_any_size(db, django_assert_num_queries, count):
    zone = ZoneFactory()
    some = make_blocks(zone, count)
    trained(some[0]), trained(some[0])
    trained(some[1])

    # 1: the blocks of the zones with their counts (with_coverage).
    with django_assert_num_queries(1):
        summary = zone_coverage_summary(zone=zone)

    assert summary.blocks == count
    assert (summary.at_target, summary.below, summary.none) == (1, 1, count - 2)
    assert summary.trained == 3


def test_a_block_outside_any_zone_has_the_default_target(db):
    one, two = BlockFactory.create_batch(2, zone=None)
    trained(one)
    trained(two), trained(two)

    levels = dict(Block.objects.with_coverage().values_list("pk", "coverage_level"))

    assert levels == {one.pk: CoverageLevel.BELOW, two.pk: CoverageLevel.AT_TARGET}
