"""Demo canvassing for `make run`: a team that knocks today on a few pilot
blocks, with the demo organizer as one of its canvassers, so
/<lang>/canvass/ has blocks to tally the moment the demo is up.

A team canvasses on a day of a campaign that runs then
(CanvassTeamQuerySet.on_day), and the launch weekend is always ahead. So
the team belongs to a week of follow-up evenings starting the day load_demo
runs, closed for sign-ups: the public pages keep showing the launch weekend.
Run again on another day, both move to that day; nothing is created twice.
"""

import datetime

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from canvass.models import CanvassTeam, day_name
from canvass.roles import CANVASSER
from signups.models import Campaign
from zones.models import Block

FOLLOW_UP = {
    "slug": "demo-follow-up",
    "name_en": "Demo: follow-up evenings",
    "name_es": "Demo: tardes de seguimiento",
    "intro_en": "Blocks the launch weekend missed, knocked again on weekday evenings.",
    "intro_es": "Las cuadras que faltaron el fin de semana de lanzamiento, otra vez entre semana por la tarde.",
    "is_open": False,
}
FOLLOW_UP_DAYS = 7
TEAM_NAME = "Demo team: Bella Vista follow-up"
# Pilot blocks with demo neighbors on them (signups.demo.DEMO_RESIDENTS).
TEAM_BLOCKS = [("S 9TH ST", 1100), ("TASKER ST", 800), ("S 7TH ST", 1500), ("S 8TH ST", 1800)]


@transaction.atomic
def demo_canvass_load(*, zone, organizer):
    """The follow-up campaign and its team of today, the organizer among
    its canvassers and in the Canvasser group. Returns load_demo's line."""
    today = timezone.localdate()
    fields = {key: value for key, value in FOLLOW_UP.items() if key != "slug"}
    fields["starts_on"], fields["ends_on"] = today, today + datetime.timedelta(days=FOLLOW_UP_DAYS - 1)
    campaign, _ = Campaign.objects.update_or_create(slug=FOLLOW_UP["slug"], defaults=fields)

    team, created = CanvassTeam.objects.get_or_create(
        campaign=campaign, name=TEAM_NAME,
        defaults={"day": day_name(today), "zone": zone, "notes": "Demo data"},
    )
    if (team.day, team.zone_id) != (day_name(today), zone.pk):
        team.day, team.zone = day_name(today), zone
        team.save(update_fields=["day", "zone"])
    wanted = Q()
    for street, hundred in TEAM_BLOCKS:
        wanted |= Q(street=street, hundred=hundred)
    team.blocks.add(*Block.objects.filter(wanted, zone=zone))
    team.canvassers.add(organizer)
    canvassers, _ = Group.objects.get_or_create(name=CANVASSER)
    organizer.groups.add(canvassers)
    return (
        f"Demo canvass team: {'created' if created else 'up to date'}; it canvasses today "
        f"({team.day}) on {team.blocks.count()} pilot blocks, {organizer.username} among its canvassers."
    )
