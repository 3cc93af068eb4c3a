import json
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from zones import importing
from zones.importing import blocks_import, load_features
from zones.models import Block
from zones.tests.factories import BlockFactory, ZoneFactory

# In CI a copy of shared/ sits beside the checkout; locally it is /work/shared.
DATA = Path(settings.BASE_DIR).parent / "shared" / "data" / "philadelphia"
CENTERLINE = DATA / "south_philly_street_centerline.geojson"
SNOW_ROUTES = DATA / "south_philly_snow_emergency_routes_city.geojson"
needs_shared_data = pytest.mark.skipif(
    not CENTERLINE.exists(),
    reason=f"the shared Philadelphia data is not at {DATA} (a copy of shared/ beside the checkout)",
)


def segment(coords, **props):
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "LineString", "coordinates": coords},
    }


# A small piece of the grid: S 9th St between Washington Ave (north) and
# Wharton St, in two segments for the 1100 block, and the cross streets.
WASHINGTON = 39.9364
FEDERAL = 39.9343
WHARTON = 39.9322
NINTH = -75.1580


def small_grid():
    return [
        segment([[NINTH, WASHINGTON], [NINTH, 39.9353]], STNAME="S 9TH ST", HUNDRED=1100),
        segment([[NINTH, 39.9353], [NINTH, FEDERAL]], STNAME="S 9TH ST", HUNDRED=1100),
        segment([[NINTH, FEDERAL], [NINTH, WHARTON]], STNAME="S 9TH ST", HUNDRED=1200),
        segment([[NINTH + 0.002, WASHINGTON], [NINTH, WASHINGTON]], STNAME="WASHINGTON AVE", HUNDRED=800),
        segment([[NINTH, WASHINGTON], [NINTH - 0.002, WASHINGTON]], STNAME="WASHINGTON AVE", HUNDRED=900),
        # Federal St has no hundred here: skipped, but still a cross street.
        segment([[NINTH, FEDERAL], [NINTH - 0.002, FEDERAL]], STNAME="FEDERAL ST"),
        segment([[NINTH, WHARTON], [NINTH - 0.002, WHARTON]], STNAME="WHARTON ST", HUNDRED=900),
    ]


def test_segments_of_one_hundred_block_become_one_block(db):
    report = blocks_import(features=small_grid())

    block = Block.objects.get(street="S 9TH ST", hundred=1100)
    assert block.geometry == {
        "type": "LineString",
        "coordinates": [[NINTH, WASHINGTON], [NINTH, 39.9353], [NINTH, FEDERAL]],
    }
    assert report.created == 5
    assert report.segments == 6
    assert report.skipped == Counter(no_hundred=1)


def test_cross_streets_come_from_the_streets_touching_the_ends(db):
    blocks_import(features=small_grid())

    block = Block.objects.get(street="S 9TH ST", hundred=1100)
    assert (block.from_street, block.to_street) == ("WASHINGTON AVE", "FEDERAL ST")
    block = Block.objects.get(street="S 9TH ST", hundred=1200)
    assert (block.from_street, block.to_street) == ("FEDERAL ST", "WHARTON ST")


def test_a_second_run_creates_nothing_and_reports_unchanged(db):
    blocks_import(features=small_grid())
    before = list(Block.objects.values_list("pk", "street", "hundred", "geometry", "from_street"))

    report = blocks_import(features=small_grid())

    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)
    assert list(Block.objects.values_list("pk", "street", "hundred", "geometry", "from_street")) == before


def test_a_changed_segment_updates_its_block(db):
    blocks_import(features=small_grid())
    features = small_grid()
    features[2]["geometry"]["coordinates"][1] = [NINTH, 39.9320]

    report = blocks_import(features=features)

    assert (report.created, report.updated) == (0, 1)
    block = Block.objects.get(street="S 9TH ST", hundred=1200)
    assert block.geometry["coordinates"][-1] == [NINTH, 39.932]


def test_dry_run_reports_and_writes_nothing(db):
    report = blocks_import(features=small_grid(), dry_run=True)

    assert report.created == 5
    assert not Block.objects.exists()


def test_blocks_go_into_the_zone_given(db):
    zone = ZoneFactory()
    existing = BlockFactory(street="S 9TH ST", hundred=1100, zone=None, from_street="", to_street="")

    blocks_import(features=small_grid(), zone=zone)

    assert Block.objects.filter(zone=zone).count() == 5
    existing.refresh_from_db()
    assert existing.zone == zone
    assert existing.from_street == "WASHINGTON AVE"


def test_bad_features_are_skipped_and_counted_by_reason(db):
    good = segment([[NINTH, WASHINGTON], [NINTH, FEDERAL]], STNAME="S 9TH ST", HUNDRED=1100)
    features = [
        good,
        segment([[NINTH, WASHINGTON], [NINTH, FEDERAL]], STNAME=None, HUNDRED=1100),
        segment([[NINTH, WASHINGTON], [NINTH, FEDERAL]], STNAME="  ", HUNDRED=1100),
        segment([[NINTH, WASHINGTON], [NINTH, FEDERAL]], STNAME="S 10TH ST"),
        segment([[NINTH, WASHINGTON], [NINTH, FEDERAL]], STNAME="S 10TH ST", L_HUNDRED=0, R_HUNDRED=0),
        {"type": "Feature", "properties": {"STNAME": "S 11TH ST", "HUNDRED": 1100}, "geometry": None},
        {"type": "Feature", "properties": {"STNAME": "S 11TH ST", "HUNDRED": 1100}},
        {"type": "Feature", "properties": {"STNAME": "S 11TH ST", "HUNDRED": 1100},
         "geometry": {"type": "Point", "coordinates": [NINTH, FEDERAL]}},
        segment([[NINTH, WASHINGTON], ["x", FEDERAL]], STNAME="S 12TH ST", HUNDRED=1100),
        segment([[NINTH, WASHINGTON]], STNAME="S 12TH ST", HUNDRED=1100),
        segment([[NINTH, WASHINGTON], [NINTH, FEDERAL]], STNAME="S 12TH ST", HUNDRED="eleven"),
        segment([[NINTH, WASHINGTON], [NINTH, FEDERAL]], STNAME=["S 12TH ST"], HUNDRED=1100),
        segment([[NINTH, WASHINGTON], [NINTH, FEDERAL]], STNAME="S 12TH ST", HUNDRED=-100),
        "not a feature",
        {"type": "Feature", "properties": ["STNAME"]},
    ]

    report = blocks_import(features=features)

    assert report.skipped == Counter(
        no_name=2, no_hundred=2, no_geometry=2, wrong_type=6, not_a_feature=2
    )
    assert list(Block.objects.values_list("street", "hundred")) == [("S 9TH ST", 1100)]


def test_the_citys_lower_case_schema_is_read(db):
    features = [
        segment(
            [[NINTH, WASHINGTON], [NINTH, FEDERAL]],
            stname="s 9th st", l_hundred=1100, r_hundred=1100, l_f_add=1100, l_t_add=1198,
        ),
        # Only one side has addresses (a carriageway of S Broad St).
        segment([[-75.1665, 39.93], [-75.1666, 39.928]], stname="S BROAD ST", l_hundred=0, r_hundred=1500),
        # No hundred at all, but an address range: the 0 block.
        segment([[-75.145, 39.93], [-75.146, 39.93]], stname="WASHINGTON AVE",
                l_hundred=0, r_hundred=0, l_f_add=2, l_t_add=38),
        # No assembled name: built from its parts.
        segment([[-75.16, 39.93], [-75.161, 39.93]], pre_dir=None, st_name="TASKER", st_type="ST",
                l_hundred="1000"),
    ]

    report = blocks_import(features=features)

    assert report.skipped == Counter()
    assert set(Block.objects.values_list("street", "hundred")) == {
        ("S 9TH ST", 1100), ("S BROAD ST", 1500), ("WASHINGTON AVE", 0), ("TASKER ST", 1000),
    }


def test_a_failure_midway_leaves_nothing_written(db, monkeypatch):
    BlockFactory(street="S 9TH ST", hundred=1200, geometry=None, zone=None)

    def broken_update(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Block.objects, "bulk_update", broken_update)
    with pytest.raises(RuntimeError):
        blocks_import(features=small_grid())

    assert list(Block.objects.values_list("street", "hundred")) == [("S 9TH ST", 1200)]


def test_import_uses_a_constant_number_of_queries(db, django_assert_max_num_queries):
    features = [
        segment([[NINTH - i * 0.002, WASHINGTON], [NINTH - (i + 1) * 0.002, WASHINGTON]],
                STNAME="WASHINGTON AVE", HUNDRED=900 + 100 * i)
        for i in range(600)
    ]
    # select existing, savepoint, insert in batches of 500 (2), release
    with django_assert_max_num_queries(6):
        blocks_import(features=features)
    assert Block.objects.count() == 600


def test_load_features_refuses_what_is_not_geojson(tmp_path):
    path = tmp_path / "x.geojson"
    path.write_text("{not json")
    with pytest.raises(importing.ImportFileError) as error:
        load_features(path)
    assert error.value.code == "not_json"
    path.write_text(json.dumps({"type": "Feature"}))
    with pytest.raises(importing.ImportFileError) as error:
        load_features(path)
    assert error.value.code == "not_feature_collection"
    with pytest.raises(importing.ImportFileError) as error:
        load_features(tmp_path / "missing.geojson")
    assert error.value.code == "unreadable"


def test_command_reports_counts_and_dry_run_writes_nothing(db, tmp_path):
    path = tmp_path / "grid.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": small_grid()}))
    out = StringIO()

    call_command("import_blocks", str(path), "--dry-run", stdout=out)

    assert "Dry run" in out.getvalue()
    assert "5 created" in out.getvalue()
    assert "skipped 1: no hundred block or address range" in out.getvalue()
    assert not Block.objects.exists()

    call_command("import_blocks", str(path), stdout=StringIO())
    assert Block.objects.count() == 5


def test_command_refuses_an_unknown_zone(db, tmp_path):
    path = tmp_path / "grid.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": small_grid()}))
    with pytest.raises(CommandError, match="No zone"):
        call_command("import_blocks", str(path), "--zone", "nowhere")


@needs_shared_data
def test_the_real_centerline_gives_the_readmes_blocks(db):
    # README: 5,749 features, 5,402 with a name, 4,670 with a HUNDRED, forming
    # 2,553 distinct (street, hundred) blocks. Four City records of Washington
    # Ave have no hundred but an address range (2-38, 40-98, 1-39, 41-99):
    # they make one more block, the 0 block of Washington Ave.
    features = load_features(CENTERLINE)
    report = blocks_import(features=features)

    assert report.features == 5749
    assert report.skipped["no_name"] == 5749 - 5402
    assert report.skipped["no_hundred"] == 5402 - 4670 - 4
    assert sum(report.skipped.values()) == 5749 - 4670 - 4
    assert report.segments == 4670 + 4
    assert report.created == 2553 + 1 == Block.objects.count()
    assert Block.objects.filter(street="WASHINGTON AVE", hundred=0).exists()
    # README's example: the 1100 block of S 9th St is 4 segments and runs
    # from Washington Ave to Federal St.
    block = Block.objects.get(street="S 9TH ST", hundred=1100)
    assert (block.from_street, block.to_street) == ("WASHINGTON AVE", "FEDERAL ST")
    lats = [lat for _lon, lat in block.geometry["coordinates"]]
    assert max(lats) == pytest.approx(39.93637, abs=1e-4)
    assert min(lats) == pytest.approx(39.93429, abs=1e-4)
    assert len(block.geometry["coordinates"]) >= 5  # 4 segments end to end


@needs_shared_data
def test_the_real_centerline_imports_idempotently(db):
    features = load_features(CENTERLINE)
    blocks_import(features=features)

    report = blocks_import(features=features)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 2554)


@needs_shared_data
def test_the_citys_snow_routes_file_is_read_in_its_own_schema(db):
    # README: 196 untouched City records in lower case; 33 of them have
    # l_hundred = r_hundred = 0, and 4 of those (Washington Ave) have an
    # address range, so 29 have no hundred at all.
    report = blocks_import(features=load_features(SNOW_ROUTES))

    assert report.features == 196
    assert report.skipped == Counter(no_hundred=29)
    assert report.segments == 167
    # README's seven streets, less University Ave: its 4 records carry no
    # hundred and no address.
    assert set(Block.objects.values_list("street", flat=True)) == {
        "S BROAD ST", "WASHINGTON AVE", "GRAYS FERRY AVE", "WOODLAND AVE", "S 26TH ST",
        "S 34TH ST",
    }
    block = Block.objects.get(street="WASHINGTON AVE", hundred=1500)
    assert block.geometry["type"] in ("LineString", "MultiLineString")
