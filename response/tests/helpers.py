"""A small South Philadelphia for the rapid-response tests: one street of
blocks 100 m apart, responders and neighbors on them."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from response.models import DispatcherZone
from signups.tests.factories import VolunteerFactory
from zones.tests.factories import BlockFactory, ZoneFactory

# About 111 m of latitude per 0.001 degree: one block apart.
STEP = 0.001


def street_of_blocks(zone, count=12, *, street="S 9TH ST", lon=-75.158, lat=39.93):
    blocks = []
    for n in range(count):
        south = lat - n * STEP
        blocks.append(BlockFactory(
            zone=zone, street=street, hundred=1000 + 100 * n,
            from_street=f"CROSS {n} ST", to_street=f"CROSS {n + 1} ST",
            geometry={"type": "LineString", "coordinates": [[lon, south], [lon, south - STEP * 0.8]]},
        ))
    return blocks


def responder(block, **overrides):
    values = {"block": block, "trained_at": timezone.now() - datetime.timedelta(days=30),
              "ways_to_help": ["rapid_response"], "message_kinds": ["urgent"], "language": "es"}
    values.update(overrides)
    return VolunteerFactory(**values)


def neighbor(block, **overrides):
    return responder(block, **{"ways_to_help": ["get_trained"], **overrides})


def staff(name, *, group, zone=None):
    user = get_user_model().objects.create_user(name, password="x" * 20, is_staff=True, email=f"{name}@example.org")
    user.groups.add(Group.objects.get(name=group))
    if zone is not None and group == "Dispatcher":
        DispatcherZone.objects.create(user=user, zone=zone)
    if zone is not None and group == "Organizer":
        zone.organizers.add(user)
    return user


def zone_with_street():
    zone = ZoneFactory(slug="south", name_en="South")
    return zone, street_of_blocks(zone)
