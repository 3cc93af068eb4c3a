import datetime
import gzip
import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from signups.tests.factories import VolunteerFactory
from signups.tests.helpers import join_data
from tests.auth import login_with_otp
from trainings.models import Session
from trainings.services import attendance_record
from trainings.tests.factories import SessionFactory
from zones.importing import blocks_import, load_features
from zones.models import Block
from zones.tests.factories import BlockFactory, ZoneFactory
from zones.tests.test_import_blocks import CENTERLINE, needs_shared_data


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        username="organizer", password="a long enough password", is_staff=True, is_superuser=True
    )


@pytest.fixture
def staff_client(client, staff, otp_login):
    otp_login(client, staff)
    return client


@pytest.fixture
def zone(db):
    return ZoneFactory(slug="pilot", name_en="Pilot", name_es="Piloto", target_per_block=2)


def test_anonymous_users_get_no_block_data(client, zone):
    BlockFactory(zone=zone)
    for url in (
        reverse("zones:blocks_geojson", args=["pilot"]),
        reverse("zones:all_blocks_geojson"),
        reverse("zones:map", args=["pilot"]),
        reverse("zones:map_all"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "S 9th St" not in response.content.decode()
        assert "login" in response["Location"]


def test_non_staff_users_get_no_block_data(client, zone, django_user_model):
    BlockFactory(zone=zone)
    user = django_user_model.objects.create_user(username="neighbor", password="x" * 20)
    client.force_login(user)

    response = client.get(reverse("zones:blocks_geojson", args=["pilot"]))

    assert response.status_code == 302


def test_geojson_is_a_feature_collection_of_the_zones_blocks(staff_client, zone):
    block = BlockFactory(zone=zone, street="S 9TH ST", hundred=1100,
                         from_street="WASHINGTON AVE", to_street="FEDERAL ST")
    VolunteerFactory(block=block, trained_at=timezone.now() - datetime.timedelta(days=1))
    VolunteerFactory(block=block)
    BlockFactory(zone=ZoneFactory())  # another zone's block
    BlockFactory(zone=zone, geometry=None)  # nothing to draw

    response = staff_client.get(reverse("zones:blocks_geojson", args=["pilot"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 1
    feature = data["features"][0]
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "LineString"
    assert all(len(point) == 2 for point in feature["geometry"]["coordinates"])
    assert feature["properties"] == {
        "id": block.pk,
        "name": "1100 block of S 9th St",
        "cross_streets": "between Washington Ave and Federal St",
        "zone": "Pilot",
        "level": "below",
        "level_label": "Below target",
        "residents": 2,
        "trained": 1,
    }


def test_geojson_speaks_the_pages_language(staff_client, zone):
    BlockFactory(zone=zone, street="S 9TH ST", hundred=1100)

    response = staff_client.get("/es" + reverse("zones:blocks_geojson", args=["pilot"])[3:])

    assert response.json()["features"][0]["properties"]["zone"] == "Piloto"


def test_geojson_is_cached_privately_and_revalidates(staff_client, zone):
    BlockFactory(zone=zone)
    url = reverse("zones:all_blocks_geojson")

    response = staff_client.get(url)

    assert "private" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    again = staff_client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    VolunteerFactory(block=Block.objects.get())
    changed = staff_client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert changed.status_code == 200


def test_unknown_zone_is_404(staff_client, db):
    assert staff_client.get(reverse("zones:blocks_geojson", args=["nowhere"])).status_code == 404
    assert staff_client.get(reverse("zones:map", args=["nowhere"])).status_code == 404


def test_map_page_passes_its_urls_as_data_attributes(staff_client, zone, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"

    response = staff_client.get(reverse("zones:map", args=["pilot"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-geojson-url="{reverse("zones:blocks_geojson", args=["pilot"])}"' in html
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert 'data-volunteers-url="/admin/signups/volunteer/"' in html
    assert "js/zone_map.js" in html
    assert "vendor/leaflet/leaflet.js" in html
    # The CSP allows no inline code or style.
    assert "<script>" not in html
    assert "style=" not in html
    assert "No trained neighbor" in html  # the legend


def test_map_without_tiles_still_has_the_blocks_url(staff_client, zone, settings):
    settings.MAP_TILE_URL = ""

    html = staff_client.get(reverse("zones:map_all")).content.decode()

    assert 'data-tile-url=""' in html
    assert f'data-geojson-url="{reverse("zones:all_blocks_geojson")}"' in html


def test_zone_admin_links_to_its_map(staff_client, zone):
    response = staff_client.get(reverse("admin:zones_zone_change", args=[zone.pk]))

    assert reverse("zones:map", args=["pilot"]) in response.content.decode()


def test_the_popups_volunteer_link_filters_the_admin_list_by_block(staff_client, zone):
    block, other = BlockFactory.create_batch(2, zone=zone)
    mine = VolunteerFactory(block=block)
    VolunteerFactory(block=other)

    response = staff_client.get(f"/admin/signups/volunteer/?block__id__exact={block.pk}")

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [mine]


def test_map_of_a_zone_with_a_boundary_passes_it_as_json(staff_client, zone):
    zone.boundary = {"type": "Polygon", "coordinates": [[[-75.17, 39.92], [-75.15, 39.92], [-75.15, 39.94], [-75.17, 39.92]]]}
    zone.save()

    html = staff_client.get(reverse("zones:map", args=["pilot"])).content.decode()

    assert '<script id="zone-boundary" type="application/json">' in html
    assert "Zone boundary" in html


@needs_shared_data
def test_all_south_philadelphia_comes_in_one_response_and_one_block_query(
    staff_client, django_assert_num_queries
):
    blocks_import(features=load_features(CENTERLINE))

    # 1 user, 2 OTP device, 3 the blocks with their coverage and zone (the
    # session comes from the cache).
    with django_assert_num_queries(3):
        response = staff_client.get(reverse("zones:all_blocks_geojson"), HTTP_ACCEPT_ENCODING="gzip")

    # What a phone downloads for all South Philadelphia.
    assert len(response.content) <= 150 * 1024
    data = json.loads(gzip.decompress(response.content))
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 2554
    assert {f["geometry"]["type"] for f in data["features"]} == {"LineString", "MultiLineString"}
    assert all(f["properties"]["level"] == "none" for f in data["features"])


def test_geojson_is_gzipped_and_still_revalidates(staff_client, zone):
    BlockFactory.create_batch(30, zone=zone)
    url = reverse("zones:all_blocks_geojson")

    response = staff_client.get(url, HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    again = staff_client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_coordinates_are_rounded_to_about_a_meter(staff_client, zone):
    BlockFactory(zone=zone, geometry={
        "type": "MultiLineString",
        "coordinates": [[[-75.1612345678, 39.9312345678], [-75.16, 39.93]]],
    })

    response = staff_client.get(reverse("zones:all_blocks_geojson"))

    assert response.json()["features"][0]["geometry"]["coordinates"] == [[[-75.16123, 39.93123], [-75.16, 39.93]]]


def test_a_revalidation_touches_no_block(staff_client, zone, django_assert_num_queries):
    BlockFactory.create_batch(3, zone=zone)
    url = reverse("zones:all_blocks_geojson")
    etag = staff_client.get(url)["ETag"]

    # None: the ETag names the coverage generation, and the user and OTP
    # device come from the kept identity (signups.staff_identity).
    with django_assert_num_queries(0):
        again = staff_client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304


def test_the_payload_is_built_once_until_coverage_changes(staff_client, zone, django_assert_num_queries):
    block = BlockFactory(zone=zone)
    url = reverse("zones:all_blocks_geojson")
    first = staff_client.get(url).json()

    with django_assert_num_queries(0):  # the blocks, the user and the device come from the cache
        assert staff_client.get(url).json() == first

    VolunteerFactory(block=block)
    assert staff_client.get(url).json()["features"][0]["properties"]["residents"] == 1


def test_a_new_sign_up_shows_on_the_map_at_once(staff_client, zone):
    block = BlockFactory(zone=zone, street="S 9TH ST", hundred=1100)
    url = reverse("zones:all_blocks_geojson")
    etag = staff_client.get(url)["ETag"]

    neighbor = Client()
    response = neighbor.post("/en/join/", join_data(block=str(block.pk), address=""))
    assert response.status_code == 302

    changed = staff_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["features"][0]["properties"]["residents"] == 1


def test_a_check_in_at_a_done_session_shows_on_the_map_at_once(staff_client, zone):
    block = BlockFactory(zone=zone)
    volunteer = VolunteerFactory(block=block)
    session = SessionFactory(status=Session.Status.DONE, zone=zone)
    url = reverse("zones:all_blocks_geojson")
    assert staff_client.get(url).json()["features"][0]["properties"]["trained"] == 0

    attendance_record(session=session, volunteer=volunteer, nonce=uuid.uuid4())

    assert staff_client.get(url).json()["features"][0]["properties"]["trained"] == 1


def test_an_organizer_never_gets_the_map_another_scope_cached(client, zone, django_user_model):
    other_zone = ZoneFactory()
    BlockFactory(zone=zone)
    BlockFactory(zone=other_zone)
    superuser = django_user_model.objects.create_superuser("boss", "boss@example.org", "x" * 16)
    organizer = django_user_model.objects.create_user("org", "org@example.org", "x" * 16, is_staff=True)
    zone.organizers.add(organizer)
    url = reverse("zones:all_blocks_geojson")
    login_with_otp(client, superuser)
    assert len(client.get(url).json()["features"]) == 2

    login_with_otp(client, organizer)

    assert len(client.get(url).json()["features"]) == 1
