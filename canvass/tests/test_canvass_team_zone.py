"""A canvass team saved before its blocks are picked belonged to no zone,
so the zone scoping hid it from the organizer who had just created it. A
team now carries its zone: its organizers see it, other zones' do not (it
lists its members' names)."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvass.models import CanvassTeam
from signups.tests.factories import CampaignFactory, VolunteerFactory
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = pytest.mark.django_db

TEAM_PERMISSIONS = ["view_canvassteam", "add_canvassteam", "change_canvassteam", "view_volunteer", "view_block"]


@pytest.fixture
def organizer(django_user_model):
    user = django_user_model.objects.create_user(username="org", password="a long enough password", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=TEAM_PERMISSIONS))
    zone = ZoneFactory()
    zone.organizers.add(user)
    user.zone = zone
    return user


def changelist_names(client):
    response = client.get(reverse("admin:canvass_canvassteam_changelist"))
    assert response.status_code == 200
    return [team.name for team in response.context["cl"].result_list]


def test_a_team_saved_with_no_blocks_stays_in_its_organizers_list(client, otp_login, organizer):
    otp_login(client, organizer)
    campaign = CampaignFactory()

    response = client.post(
        reverse("admin:canvass_canvassteam_add"),
        {"campaign": campaign.pk, "day": "saturday", "name": "Tasker St crew", "zone": organizer.zone.pk,
         "members": [], "blocks": [], "notes": ""},
    )

    assert response.status_code == 302
    team = CanvassTeam.objects.get(name="Tasker St crew")
    assert team.zone == organizer.zone
    assert changelist_names(client) == ["Tasker St crew"]
    assert client.get(reverse("admin:canvass_canvassteam_change", args=[team.pk])).status_code == 200


def test_the_add_form_starts_with_the_organizers_only_zone(client, otp_login, organizer):
    otp_login(client, organizer)

    form = client.get(reverse("admin:canvass_canvassteam_add")).context["adminform"].form

    assert form.initial["zone"] == organizer.zone.pk
    assert form.fields["zone"].required
    assert list(form.fields["zone"].queryset) == [organizer.zone]


def test_an_organizer_cannot_save_a_team_without_a_zone(client, otp_login, organizer):
    otp_login(client, organizer)

    response = client.post(
        reverse("admin:canvass_canvassteam_add"),
        {"campaign": CampaignFactory().pk, "day": "saturday", "name": "Nobody's crew", "zone": "",
         "members": [], "blocks": [], "notes": ""},
    )

    assert response.status_code == 200
    assert not CanvassTeam.objects.exists()


def test_another_zones_team_without_blocks_stays_hidden(client, otp_login, organizer):
    other = CanvassTeam.objects.create(campaign=CampaignFactory(), name="Elsewhere", day="sunday", zone=ZoneFactory())
    other.members.set([VolunteerFactory(name="Ana Ruiz")])
    otp_login(client, organizer)

    assert changelist_names(client) == []
    assert client.get(reverse("admin:canvass_canvassteam_change", args=[other.pk])).status_code in (302, 403, 404)


def test_a_team_working_the_organizers_blocks_is_still_shown(client, otp_login, organizer):
    team = CanvassTeam.objects.create(campaign=CampaignFactory(), name="Block crew", day="sunday")
    team.blocks.set([BlockFactory(zone=organizer.zone)])
    otp_login(client, organizer)

    assert changelist_names(client) == ["Block crew"]


def test_the_team_list_costs_the_same_queries_for_one_team_or_twenty(client, otp_login, organizer):
    campaign = CampaignFactory()
    otp_login(client, organizer)
    CanvassTeam.objects.create(campaign=campaign, name="Team 0", day="saturday", zone=organizer.zone)
    client.get(reverse("admin:canvass_canvassteam_changelist"))  # warm the session and permission caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("admin:canvass_canvassteam_changelist"))
    for n in range(1, 20):
        CanvassTeam.objects.create(campaign=campaign, name=f"Team {n}", day="saturday", zone=organizer.zone)
    with CaptureQueriesContext(connection) as twenty:
        client.get(reverse("admin:canvass_canvassteam_changelist"))

    assert len(twenty) == len(one)
