import json
from collections import Counter
from io import StringIO

from django.core.management import call_command

from zones.importing import blocks_import, load_features, zones_import
from zones.models import Block, Zone
from zones.tests.factories import BlockFactory, ZoneFactory
from zones.tests.test_import_blocks import CENTERLINE, DATA, needs_shared_data


def square(name_key, name, west, south, east, north):
    return {
        "type": "Feature",
        "properties": {name_key: name},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
        },
    }


def line_block(street, hundred, coords, zone=None):
    return BlockFactory(
        street=street, hundred=hundred, zone=zone,
        geometry={"type": "LineString", "coordinates": coords},
    )


def test_named_polygons_become_zones_with_their_boundary(db):
    features = [
        square("LISTNAME", "Passyunk Square", -75.17, 39.92, -75.15, 39.94),
        square("NAME", "BELLA_VISTA", -75.17, 39.94, -75.15, 39.95),
        square("name", "Pennsport", -75.15, 39.92, -75.14, 39.94),
    ]

    report = zones_import(features=features)

    assert report.zones_created == 3
    assert set(Zone.objects.values_list("slug", "name_en")) == {
        ("passyunk-square", "Passyunk Square"),
        ("bella-vista", "Bella Vista"),
        ("pennsport", "Pennsport"),
    }
    assert Zone.objects.get(slug="pennsport").boundary == features[2]["geometry"]


def test_blocks_mostly_inside_join_the_zone(db):
    inside = line_block("S 9TH ST", 1100, [[-75.158, 39.936], [-75.158, 39.934]])
    # 3/4 of its length inside.
    mostly_inside = line_block("S 9TH ST", 1200, [[-75.158, 39.9215], [-75.158, 39.9195]])
    # 1/4 inside.
    mostly_outside = line_block("S 9TH ST", 1300, [[-75.158, 39.9205], [-75.158, 39.9185]])
    far = line_block("S 9TH ST", 2500, [[-75.158, 39.91], [-75.158, 39.908]])

    report = zones_import(features=[square("NAME", "INSIDE", -75.17, 39.92, -75.15, 39.94)])

    zone = Zone.objects.get(slug="inside")
    assert set(zone.blocks.all()) == {inside, mostly_inside}
    assert report.blocks_assigned == 2
    for block in (mostly_outside, far):
        block.refresh_from_db()
        assert block.zone is None


def test_blocks_in_another_zone_stay_unless_reassigned(db):
    pilot = ZoneFactory(slug="pilot")
    block = line_block("S 9TH ST", 1100, [[-75.158, 39.936], [-75.158, 39.934]], zone=pilot)
    features = [square("NAME", "INSIDE", -75.17, 39.92, -75.15, 39.94)]

    report = zones_import(features=features)
    block.refresh_from_db()
    assert block.zone == pilot
    assert report.blocks_in_other_zones == 1

    zones_import(features=features, reassign=True)
    block.refresh_from_db()
    assert block.zone.slug == "inside"


def test_a_second_run_changes_nothing(db):
    line_block("S 9TH ST", 1100, [[-75.158, 39.936], [-75.158, 39.934]])
    features = [square("NAME", "INSIDE", -75.17, 39.92, -75.15, 39.94)]
    zones_import(features=features)

    report = zones_import(features=features)

    assert (report.zones_created, report.zones_updated, report.zones_unchanged) == (0, 0, 1)
    assert report.blocks_assigned == 0


def test_dry_run_writes_nothing(db):
    line_block("S 9TH ST", 1100, [[-75.158, 39.936], [-75.158, 39.934]])

    report = zones_import(
        features=[square("NAME", "INSIDE", -75.17, 39.92, -75.15, 39.94)], dry_run=True
    )

    assert (report.zones_created, report.blocks_assigned) == (1, 1)
    assert not Zone.objects.exists()
    assert Block.objects.get().zone is None


def test_bad_polygons_are_counted_by_reason(db):
    features = [
        square("NAME", "", -75.17, 39.92, -75.15, 39.94),
        square("OTHER", "x", -75.17, 39.92, -75.15, 39.94),
        {"type": "Feature", "properties": {"NAME": "Nowhere"}, "geometry": None},
        {"type": "Feature", "properties": {"NAME": "A line"},
         "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}},
        {"type": "Feature", "properties": {"NAME": "Broken"},
         "geometry": {"type": "Polygon", "coordinates": "nope"}},
        42,
    ]

    report = zones_import(features=features)

    assert report.skipped == Counter(no_name=2, no_geometry=1, wrong_type=2, not_a_feature=1)
    assert not Zone.objects.exists()


def test_command_prints_its_report(db, tmp_path):
    path = tmp_path / "zones.geojson"
    features = [square("NAME", "INSIDE", -75.17, 39.92, -75.15, 39.94)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    out = StringIO()

    call_command("import_zones", str(path), stdout=out)

    assert "1 created" in out.getvalue()
    assert Zone.objects.filter(slug="inside").exists()


@needs_shared_data
def test_the_real_neighborhoods_take_in_the_real_blocks(db):
    blocks_import(features=load_features(CENTERLINE))

    report = zones_import(features=load_features(DATA / "south_philly_neighborhoods.geojson"))

    # README: 21 neighborhoods kept.
    assert report.zones_created == 21 == Zone.objects.count()
    assert Zone.objects.filter(slug="passyunk-square", name_en="Passyunk Square").exists()
    nine = Block.objects.get(street="S 9TH ST", hundred=1100)
    assert nine.zone.slug == "passyunk-square"
    # Most blocks fall in one of them; the strip north of South St and the
    # streets west of the Schuylkill do not.
    assert 2000 < report.blocks_assigned < Block.objects.count()
    assert report.blocks_assigned == Block.objects.filter(zone__isnull=False).count()
