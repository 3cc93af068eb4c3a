import datetime
import re

import pytest
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils import timezone

from canvass.models import CanvassTeam
from signups.tests.factories import CampaignFactory, VolunteerFactory
from zones.models import Block
from zones.packets import block_map_svg, qr_svg
from zones.tests.factories import BlockFactory, ZoneFactory


@pytest.fixture
def staff_client(client, django_user_model, otp_login):
    user = django_user_model.objects.create_user(
        username="organizer", password="a long enough password", is_staff=True, is_superuser=True
    )
    otp_login(client, user)
    return client


def print_blocks(client, blocks):
    return client.post(
        reverse("admin:zones_block_changelist"),
        {"action": "print_packet", helpers.ACTION_CHECKBOX_NAME: [b.pk for b in blocks]},
    )


def test_packet_has_one_page_and_one_qr_code_per_block(staff_client):
    zone = ZoneFactory(name_en="Pilot", name_es="Piloto")
    blocks = [
        BlockFactory(zone=zone, street="S 9TH ST", hundred=hundred,
                     from_street="WASHINGTON AVE", to_street="FEDERAL ST")
        for hundred in (1100, 1200, 1300)
    ]

    response = print_blocks(staff_client, blocks)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="packet-page"') == 3
    assert html.count('class="qr-code"') == 3
    assert html.count('class="block-map"') == 3
    assert html.count('class="tally"') == 3
    for block in blocks:
        url = f"http://testserver/j/{block.pk}"
        assert url in html
        # The QR code is the one segno makes for exactly that URL.
        assert str(qr_svg(url)) in html


def test_packet_is_english_and_spanish_side_by_side(staff_client):
    block = BlockFactory(zone=ZoneFactory(name_en="Pilot", name_es="Piloto"),
                         street="S 9TH ST", hundred=1100)

    html = print_blocks(staff_client, [block]).content.decode()

    assert '<div lang="en">' in html and '<div lang="es">' in html
    assert "1100 block of S 9th St" in html
    assert "cuadra del 1100 de S 9th St" in html
    assert "Zone: Pilot" in html
    assert "Piloto" in html
    assert "Doors knocked / Puertas tocadas" in html
    assert "Signed up on the spot / Se inscribieron ahí mismo" in html


def test_packet_lists_the_canvass_teams_of_each_block(staff_client):
    block, other = BlockFactory.create_batch(2)
    campaign = CampaignFactory()
    ana, luis = VolunteerFactory(name="Ana Ruiz"), VolunteerFactory(name="Luis Soto")
    saturday = CanvassTeam.objects.create(campaign=campaign, name="Team A", day="saturday")
    saturday.members.set([ana, luis])
    saturday.blocks.set([block])
    sunday = CanvassTeam.objects.create(campaign=campaign, name="Team B", day="sunday")
    sunday.blocks.set([block, other])

    html = print_blocks(staff_client, [block]).content.decode()
    assert "Team A (Saturday): Ana Ruiz, Luis Soto" in html
    assert "Team B (Sunday)" in html

    team_url = reverse("admin:zones_block_team_packet") + f"?team={sunday.pk}&day=sunday"
    html = staff_client.get(team_url).content.decode()
    assert html.count('class="packet-page"') == 2
    assert "Team A" not in html
    assert "Team B (Sunday)" in html


def test_zone_packet_prints_only_blocks_without_a_trained_neighbor(staff_client):
    zone = ZoneFactory()
    covered, bare = BlockFactory.create_batch(2, zone=zone)
    VolunteerFactory(block=covered, trained_at=timezone.now() - datetime.timedelta(days=1))

    html = staff_client.get(reverse("admin:zones_zone_packet", args=[zone.pk])).content.decode()

    assert re.findall(r'data-block="(\d+)"', html) == [str(bare.pk)]


def test_packet_is_for_staff_only(client, db):
    zone = ZoneFactory()

    response = client.get(reverse("admin:zones_zone_packet", args=[zone.pk]))

    assert response.status_code == 302


def test_packet_page_has_no_inline_code_or_style(staff_client):
    html = print_blocks(staff_client, [BlockFactory()]).content.decode()

    assert "<script" not in html
    assert "style=" not in html
    assert "css/packet.css" in html


def test_block_map_draws_the_block_and_its_neighbors(db):
    block = BlockFactory(street="S 9TH ST", hundred=1100, from_street="WASHINGTON AVE",
                         to_street="FEDERAL ST",
                         geometry={"type": "LineString", "coordinates": [[-75.158, 39.9364], [-75.158, 39.9343]]})
    near = BlockFactory(geometry={"type": "LineString", "coordinates": [[-75.158, 39.9364], [-75.16, 39.9364]]})
    far = BlockFactory(geometry={"type": "LineString", "coordinates": [[-75.2, 39.9], [-75.21, 39.9]]})

    svg = str(block_map_svg(block, [block, near, far]))

    assert svg.count('class="block-map-block"') == 1
    assert svg.count('class="block-map-context"') == 1
    assert "Washington Ave" in svg and "Federal St" in svg
    # North is up: Washington Ave (north end) is drawn above Federal St.
    ys = [float(y) for y in re.findall(r'class="block-map-block" d="M[\d.]+,([\d.]+) L[\d.]+,([\d.]+)"', svg)[0]]
    assert ys[0] < ys[1]


def test_block_without_geometry_gets_no_map(db):
    assert block_map_svg(Block(street="X ST", hundred=100, geometry=None)) == ""


def test_packet_needs_permission_to_view_zones(client, django_user_model, otp_login):
    from django.contrib.auth.models import Permission

    zone = ZoneFactory()
    # Staff who may use the admin (they see campaigns), but not zones.
    user = django_user_model.objects.create_user(
        username="helper", password="a long enough password", is_staff=True
    )
    user.user_permissions.add(Permission.objects.get(codename="view_campaign"))
    otp_login(client, user)

    response = client.get(reverse("admin:zones_zone_packet", args=[zone.pk]))

    assert response.status_code == 403


def test_a_blocks_admin_page_shows_its_canvass_teams(staff_client):
    block = BlockFactory()
    team = CanvassTeam.objects.create(campaign=CampaignFactory(), name="Team A", day="saturday")
    team.members.set([VolunteerFactory(name="Ana Ruiz")])
    team.blocks.set([block])

    html = staff_client.get(reverse("admin:zones_block_change", args=[block.pk])).content.decode()

    assert "Team A (Saturday): Ana Ruiz" in html
