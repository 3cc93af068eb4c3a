"""Organizers add canvassers to a team in the admin, choosing among the
accounts of the Canvasser group only."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from canvass.tests.factories import CanvasserFactory

pytestmark = pytest.mark.django_db


def test_the_team_form_offers_only_canvassers(client, otp_login, zone, team):
    User = get_user_model()
    organizer = User.objects.create_user("org-a", password="x" * 20, is_staff=True)
    organizer.groups.add(Group.objects.get(name="Organizer"))
    zone.organizers.add(organizer)
    trainer = User.objects.create_user("trainer-x", password="x" * 20, is_staff=True)
    trainer.groups.add(Group.objects.get(name="Trainer"))
    newcomer = CanvasserFactory(username="new-canvasser")
    otp_login(client, organizer)
    form = client.get(reverse("admin:canvass_canvassteam_change", args=[team.pk])).context["adminform"].form
    offered = set(form.fields["canvassers"].queryset.values_list("username", flat=True))
    assert offered == {"ana-canvasser", "new-canvasser"}
    data = {
        "campaign": team.campaign_id, "day": team.day, "name": team.name, "zone": zone.pk,
        "blocks": [b.pk for b in team.blocks.all()], "canvassers": [newcomer.pk], "notes": "",
    }
    response = client.post(reverse("admin:canvass_canvassteam_change", args=[team.pk]), data)
    assert response.status_code == 302
    assert list(team.canvassers.all()) == [newcomer]
