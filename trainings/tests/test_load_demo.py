import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from signups.models import Campaign, Volunteer
from zones.models import Block, CoverageLevel, Zone

pytestmark = pytest.mark.django_db

PASSWORD_LINE = re.compile(r"Demo organizer login: organizer / (\S+) at http://127\.0\.0\.1:8000/admin/")


def _load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _counts():
    from canvass.models import CanvassTeam
    from response.models import AlertTemplate, DispatcherZone

    User = get_user_model()
    return (Zone.objects.count(), Block.objects.count(), Campaign.objects.count(),
            Volunteer.objects.count(), User.objects.count(), CanvassTeam.objects.count(),
            CanvassTeam.blocks.through.objects.count(), CanvassTeam.canvassers.through.objects.count(),
            DispatcherZone.objects.count(), AlertTemplate.objects.count(),
            User.groups.through.objects.count())


def test_it_loads_the_demo_and_prints_the_organizer_password_once():
    first = _load_demo()

    match = PASSWORD_LINE.search(first)
    assert match, first
    organizer = get_user_model().objects.get(username="organizer")
    assert organizer.check_password(match.group(1))
    assert organizer.is_staff and not organizer.is_superuser
    campaign = Campaign.objects.get(slug="launch-weekend")
    assert campaign.is_open
    today = timezone.localdate()
    assert today <= campaign.starts_on <= today + datetime.timedelta(days=6)
    assert campaign.starts_on.weekday() == 5  # a Saturday
    assert campaign.ends_on == campaign.starts_on + datetime.timedelta(days=1)
    assert campaign.name_es and campaign.intro_es


def test_a_second_run_creates_nothing_and_keeps_the_password():
    first = _load_demo()
    password = PASSWORD_LINE.search(first).group(1)
    before = _counts()

    second = _load_demo()

    assert _counts() == before
    assert "Demo organizer login" not in second
    assert password not in second
    assert "exists" in second
    assert get_user_model().objects.get(username="organizer").check_password(password)


def test_the_organizer_can_manage_zones_blocks_campaigns_and_volunteers_but_not_delete():
    _load_demo()
    organizer = get_user_model().objects.get(username="organizer")

    # Zones and blocks are drawn by a superuser; organizers work in theirs.
    for model, actions in (
        ("zones.zone", ("view", "change")), ("zones.block", ("view", "change")),
        ("signups.campaign", ("view", "add", "change")), ("signups.volunteer", ("view", "add", "change")),
    ):
        app, name = model.split(".")
        for action in actions:
            assert organizer.has_perm(f"{app}.{action}_{name}")
        # People leave only through the forget-me erasure.
        assert not organizer.has_perm(f"{app}.delete_{name}")


def test_demo_volunteers_are_obviously_fake_and_give_coverage_colors():
    _load_demo()

    volunteers = Volunteer.objects.all()
    assert volunteers.count() == 12
    for volunteer in volunteers:
        assert volunteer.name.startswith("Demo Neighbor ")
        assert volunteer.phone.startswith("+1215555010") or volunteer.phone.startswith("+1215555011")
        assert volunteer.email.endswith("@example.org")
        assert volunteer.block.zone.slug == "south-philly-pilot"
        assert volunteer.campaigns.filter(slug="launch-weekend").exists()
    levels = {
        block.coverage_level
        for block in Block.objects.filter(residents__isnull=False).distinct().with_coverage()
    }
    assert levels == {CoverageLevel.NONE, CoverageLevel.BELOW, CoverageLevel.AT_TARGET}


def test_the_demo_organizer_organizes_the_pilot_zone_only(db):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from zones.models import Zone

    call_command("load_demo", stdout=open("/dev/null", "w"))
    user = get_user_model().objects.get(username="organizer")
    assert not user.is_superuser
    # The demo roles of canvassing and rapid response come on top, for the
    # demo only (README): in production each is its own account.
    assert set(user.groups.values_list("name", flat=True)) == {"Organizer", "Canvasser", "Dispatcher"}
    assert list(user.organized_zones.all()) == [Zone.objects.get(slug="south-philly-pilot")]
    assert user.has_perm("signups.view_volunteer") and not user.has_perm("auth.view_user")


def test_the_organizer_login_points_at_the_site_being_served(settings):
    # `make run PORT=8130` sets SITE_URL to the port it serves.
    settings.SITE_URL = "http://127.0.0.1:8130/"
    assert "at http://127.0.0.1:8130/admin/" in _load_demo()
