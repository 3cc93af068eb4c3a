import pytest
from django.db import IntegrityError
from django.urls import reverse

from canvass.models import CanvassTeam
from signups.tests.factories import CampaignFactory, VolunteerFactory
from zones.tests.factories import BlockFactory


@pytest.fixture
def staff_client(client, django_user_model, otp_login):
    user = django_user_model.objects.create_user(
        username="organizer", password="a long enough password", is_staff=True, is_superuser=True
    )
    otp_login(client, user)
    return client


def make_team(campaign, name, day, members=2, blocks=3):
    team = CanvassTeam.objects.create(campaign=campaign, name=name, day=day)
    team.members.set(VolunteerFactory.create_batch(members))
    team.blocks.set(BlockFactory.create_batch(blocks))
    return team


def test_a_team_name_is_unique_per_campaign_and_day(db):
    campaign = CampaignFactory()
    CanvassTeam.objects.create(campaign=campaign, name="Team A", day="saturday")
    CanvassTeam.objects.create(campaign=campaign, name="Team A", day="sunday")

    with pytest.raises(IntegrityError):
        CanvassTeam.objects.create(campaign=campaign, name="Team A", day="saturday")


def test_blocks_know_their_teams(db):
    team = make_team(CampaignFactory(), "Team A", "saturday", blocks=1)

    assert list(team.blocks.get().canvass_teams.all()) == [team]


def test_team_list_links_to_the_teams_packet(staff_client):
    team = make_team(CampaignFactory(), "Team A", "sunday")

    html = staff_client.get(reverse("admin:canvass_canvassteam_changelist")).content.decode()
    packet = reverse("admin:zones_block_team_packet") + f"?team={team.pk}&amp;day=sunday"
    assert packet in html

    response = staff_client.get(packet.replace("&amp;", "&"))
    assert response.content.decode().count('class="packet-page"') == 3


def test_a_team_is_added_in_the_admin(staff_client):
    campaign = CampaignFactory()
    ana = VolunteerFactory()
    block = BlockFactory()

    response = staff_client.post(
        reverse("admin:canvass_canvassteam_add"),
        {"campaign": campaign.pk, "day": "saturday", "name": "Tasker St crew",
         "members": [ana.pk], "blocks": [block.pk], "notes": ""},
    )

    assert response.status_code == 302
    team = CanvassTeam.objects.get()
    assert list(team.members.all()) == [ana]
    assert list(team.blocks.all()) == [block]
