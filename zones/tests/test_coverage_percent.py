"""How the share of blocks with a trained neighbor is rounded: an organizer
read 2.8% as 2% and thought a third of the launch weekend's work was lost."""

from decimal import Decimal

import pytest
from django.utils import timezone, translation

from signups.tests.factories import VolunteerFactory
from zones.coverage import CoverageSummary, rounded_percent
from zones.models import Zone
from zones.tests.factories import BlockFactory, ZoneFactory


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (1, 36, "2.8"),     # the organizer's 2.8%, not 2%
        (1, 8, "13"),       # 12.5: half rounds up
        (2, 3, "67"),
        (1, 3, "33"),
        (199, 2000, "10"),  # 9.95 rounds up to 10, shown whole
        (19, 200, "9.5"),
        (1, 5000, "0.1"),   # some progress never shows as none
        (995, 1000, "99"),  # nor almost all as all
        (7, 7, "100"),
        (0, 7, "0"),
        (0, 0, "0"),
    ],
)
def test_percent_is_rounded_half_up_with_a_decimal_below_ten(part, whole, shown):
    assert str(rounded_percent(part, whole)) == shown


def test_a_summary_of_one_block_in_36_says_2_8_percent_with_a_trained_neighbor():
    summary = CoverageSummary(blocks=36, none=35, below=1)

    assert summary.percent_with_trained == Decimal("2.8")
    assert summary.percent_at_target == 0


def test_the_public_progress_page_shows_the_decimal_in_each_language(db, client):
    zone = ZoneFactory(status=Zone.Status.PILOT)
    blocks = BlockFactory.create_batch(36, zone=zone)
    VolunteerFactory(block=blocks[0], trained_at=timezone.now())

    english = client.get("/en/zones/").content.decode()
    spanish = client.get("/es/zones/").content.decode()
    translation.activate("en")

    assert "2.8% of blocks have at least one trained neighbor" in english
    assert 'value="2.8"' in english
    assert "2,8" in spanish
    assert 'value="2.8"' in spanish
