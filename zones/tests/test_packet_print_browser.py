"""A canvass packet prints one Letter page per block, even for a block with
several full teams and long cross streets: 209 blocks once printed on 215
pages, and a block's second half went out with the wrong team."""

import re

import pytest

from canvass.models import CanvassTeam
from signups.tests.factories import CampaignFactory, VolunteerFactory
from tests.auth import browser_share_session, login_with_otp
from tests.browser import live_server_settled
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_pages(pdf):
    # Each page object of the PDF says "/Type /Page" (the tree says "/Pages").
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_a_block_with_three_full_teams_prints_on_one_letter_page(live_server, chromium, django_user_model, client):
    zone = ZoneFactory(name_en="South Philadelphia pilot zone", name_es="Zona piloto del sur de Filadelfia")
    campaign = CampaignFactory()
    blocks = [
        BlockFactory(
            zone=zone, street="E PASSYUNK AVE", hundred=hundred,
            from_street="WASHINGTON AVE", to_street="S 10TH ST AND CHRISTIAN ST",
            geometry={"type": "LineString", "coordinates": [[-75.158, 39.9364], [-75.158, 39.9343]]},
        )
        for hundred in (1100, 1200)
    ]
    for n, day in enumerate(("saturday", "saturday", "sunday", "sunday")):
        team = CanvassTeam.objects.create(campaign=campaign, name=f"Team {n} of the launch weekend", day=day)
        team.members.set(VolunteerFactory.create_batch(8, name=f"María Fernanda Rodríguez Castillo {n}"))
        team.blocks.set(blocks)
    user = django_user_model.objects.create_user(
        username="organizer", password="a long enough password", is_staff=True, is_superuser=True
    )
    login_with_otp(client, user)
    context = chromium.new_context()
    page = context.new_page()
    browser_share_session(context, client, live_server)

    page.goto(f"{live_server.url}/admin/zones/zone/{zone.pk}/packet/")
    assert page.locator(".packet-page").count() == 2
    pdf = page.pdf(format="Letter", prefer_css_page_size=True)
    context.close()
    live_server_settled()

    assert pdf_pages(pdf) == 2
