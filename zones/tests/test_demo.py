import math

import pytest

from zones.address import resolve_address
from zones.demo import demo_zones_load, numbered_street
from zones.models import Block, Zone

pytestmark = pytest.mark.django_db


def _metres(a, b):
    lon = (a[0] - b[0]) * 111_320 * math.cos(math.radians(a[1]))
    lat = (a[1] - b[1]) * 110_574
    return math.hypot(lon, lat)


def _midpoint(block):
    (lon0, lat0), (lon1, lat1) = block.geometry["coordinates"]
    return ((lon0 + lon1) / 2, (lat0 + lat1) / 2)


def test_numbered_streets_are_named_as_the_city_writes_them():
    assert [numbered_street(n) for n in (2, 3, 9, 11, 12, 13, 14, 21, 22, 23, 33)] == [
        "S 2ND ST", "S 3RD ST", "S 9TH ST", "S 11TH ST", "S 12TH ST", "S 13TH ST",
        "S BROAD ST", "S 21ST ST", "S 22ND ST", "S 23RD ST", "S 33RD ST",
    ]


def test_it_builds_the_south_philadelphia_grid():
    demo_zones_load()

    # 32 north-south streets x 21 hundreds + 22 east-west streets x 32 hundreds.
    assert Block.objects.count() == 32 * 21 + 22 * 32
    ninth = Block.objects.get(street="S 9TH ST", hundred=1100)
    assert (ninth.from_street, ninth.to_street) == ("WASHINGTON AVE", "FEDERAL ST")
    tasker = Block.objects.get(street="TASKER ST", hundred=800)
    assert (tasker.from_street, tasker.to_street) == ("S 8TH ST", "S 9TH ST")
    assert Block.objects.filter(street="S BROAD ST", hundred=2500).exists()
    assert Block.objects.get(street="OREGON AVE", hundred=3300).to_street == "S 34TH ST"
    assert Block.objects.get(street="S 33RD ST", hundred=600).from_street == "SOUTH ST"
    assert not Block.objects.filter(street="S 14TH ST").exists()


def test_the_1100_block_of_s_9th_st_is_where_it_really_is():
    demo_zones_load()

    block = Block.objects.get(street="S 9TH ST", hundred=1100)

    assert _metres(_midpoint(block), (-75.1585, 39.9353)) < 300


def test_the_grid_runs_the_right_way():
    demo_zones_load()
    south = _midpoint(Block.objects.get(street="S 9TH ST", hundred=600))
    oregon = _midpoint(Block.objects.get(street="S 9TH ST", hundred=2600))
    river = _midpoint(Block.objects.get(street="TASKER ST", hundred=200))
    schuylkill = _midpoint(Block.objects.get(street="TASKER ST", hundred=3300))

    assert oregon[1] < south[1]  # hundreds grow southwards
    assert schuylkill[0] < river[0]  # and westwards
    assert 2_000 < _metres(south, oregon) < 4_000  # about 2.7 km, South St to Oregon Ave


def test_every_demo_street_is_a_street_the_city_knows():
    demo_zones_load()

    # One block of every street, on a hundred every demo street has.
    for street, hundred in Block.objects.filter(hundred=1000).values_list("street", "hundred"):
        resolved = resolve_address(f"{hundred + 10} {street}")
        assert resolved is not None and resolved.street == street, street


def test_the_pilot_zone_covers_washington_to_oregon_3rd_to_9th():
    demo_zones_load()

    zone = Zone.objects.get(slug="south-philly-pilot")
    assert zone.status == Zone.Status.PILOT
    assert zone.target_per_block == 2
    assert (zone.name_en, zone.name_es) == ("South Philadelphia pilot", "Zona piloto del sur de Filadelfia")
    assert zone.description_en and zone.description_es
    assert zone.boundary["type"] == "Polygon"
    north_south = {f"S {n}" for n in ("3RD ST", "4TH ST", "5TH ST", "6TH ST", "7TH ST", "8TH ST", "9TH ST")}
    east_west = {
        "WASHINGTON AVE", "FEDERAL ST", "WHARTON ST", "REED ST", "DICKINSON ST", "TASKER ST",
        "MORRIS ST", "MOORE ST", "MIFFLIN ST", "MCKEAN ST", "SNYDER AVE", "JACKSON ST",
        "WOLF ST", "RITNER ST", "PORTER ST", "SHUNK ST", "OREGON AVE",
    }
    expected = {(s, h) for s in north_south for h in range(1100, 2700, 100)} | {
        (s, h) for s in east_west for h in range(300, 900, 100)
    }
    assert set(zone.blocks.values_list("street", "hundred")) == expected
    assert Block.objects.filter(zone__isnull=True).count() == Block.objects.count() - len(expected)
    assert not Block.objects.filter(street="S 10TH ST", zone=zone).exists()
    assert not Block.objects.filter(street="CARPENTER ST", zone=zone).exists()


def test_pilot_blocks_lie_inside_the_pilot_boundary():
    demo_zones_load()
    zone = Zone.objects.get(slug="south-philly-pilot")
    ring = zone.boundary["coordinates"][0]

    def inside(point):
        # Ray casting; the ring is a convex quadrilateral.
        x, y = point
        crossings = 0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                crossings += 1
        return crossings % 2 == 1

    for block in Block.objects.all():
        ends_inside = all(inside(point) for point in block.geometry["coordinates"])
        assert ends_inside == (block.zone_id == zone.pk), block


def test_a_second_run_creates_and_changes_nothing():
    first = demo_zones_load()
    blocks = {b.pk: (b.street, b.hundred, b.zone_id, b.geometry) for b in Block.objects.all()}

    zone, zone_created, created, updated = demo_zones_load()

    assert first[1] is True
    assert (zone_created, created, updated) == (False, 0, 0)
    assert zone.pk == first[0].pk
    assert Zone.objects.count() == 1
    assert {b.pk: (b.street, b.hundred, b.zone_id, b.geometry) for b in Block.objects.all()} == blocks


def test_it_completes_blocks_created_from_addresses_without_duplicating_them():
    # A sign-up before the demo was loaded made a bare, zone-less block.
    early = Block.objects.create(street="S 9TH ST", hundred=1100)

    demo_zones_load()

    early.refresh_from_db()
    assert early.zone.slug == "south-philly-pilot"
    assert early.geometry["type"] == "LineString"
    assert Block.objects.filter(street="S 9TH ST", hundred=1100).count() == 1


def test_it_keeps_the_zone_an_organizer_gave_a_block_outside_the_pilot():
    other = Zone.objects.create(slug="passyunk-square", name_en="Passyunk Square", name_es="Passyunk Square")
    Block.objects.create(street="S 11TH ST", hundred=1200, zone=other)

    demo_zones_load()

    assert Block.objects.get(street="S 11TH ST", hundred=1200).zone == other
