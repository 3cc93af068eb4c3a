"""A large, realistic data set for demos and the launch-day benchmark
(`manage.py load_large_demo`).

- Geography from real data: every South Philadelphia block of the City's
  street centerline, imported by zones.importing exactly as `import_blocks`
  does; the pilot zone of zones.demo, then the 21 neighborhoods as
  `import_zones` makes them (planned zones; a block in the pilot stays there).
- Tens of thousands of volunteers spread over the blocks, as the sign-up
  form would have stored them (E.164 phones, lower-case emails, consent with
  its time and wording version, "I'd rather not say" with a ZIP code).
- Training sessions over the past eighteen months and the next three, with
  registrations within capacity, a waitlist, cancellations, and check-ins on
  the sessions marked done. Trained status is then derived from that
  attendance by trainings.services (the app's one rule), never set here.

Everything is written with bulk inserts in one transaction, and drawn from a
seeded random generator: the same seed gives the same people, sessions and
registrations (dates are relative to the day it runs). Secrets are not
seeded: cancel links and the organizer's password stay unguessable.

The people are fake: names drawn from lists of common first names and
surnames, emails at the reserved example.org/.com/.net domains (RFC 2606),
and phones on the 555 exchange of Philadelphia-area codes (see people.AREA_CODES).
"""

import random
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from shapely.geometry import shape

from pagecache.pages import GENERATIONS, generation_bump

from signups.demo import demo_organizer_ensure, launch_campaign_ensure
from signups.models import Volunteer
from signups.roles import TRAINER
from trainings.demo import demo_organizer_permissions_grant, demo_topics_ensure
from trainings.large_demo.common import BlockRow, LargeDemoError, LargeDemoReport
from trainings.large_demo.people import volunteers_create
from trainings.large_demo.sessions import registrations_and_attendance_create, sessions_create
from trainings.services import volunteer_training_status_refresh_all
from zones.demo import pilot_zone_ensure
from zones.importing import block_shape, blocks_import, load_features, zones_import
from zones.models import Block, Zone

__all__ = ["LargeDemoError", "LargeDemoReport", "large_demo_load"]

DEFAULT_VOLUNTEERS = 50_000
DEFAULT_SESSIONS = 1_000
# A copy of shared/ sits beside the checkout (as the import tests expect).
DEFAULT_DATA_DIR = Path(settings.BASE_DIR).parent / "shared" / "data" / "philadelphia"
CENTERLINE = "south_philly_street_centerline.geojson"
NEIGHBORHOODS = "south_philly_neighborhoods.geojson"
ZIP_CODES = "south_philly_zipcodes.geojson"
TRAINER_PREFIX = "demo-trainer-"


def large_demo_load(
    *, data_dir=DEFAULT_DATA_DIR, volunteers=DEFAULT_VOLUNTEERS, sessions=DEFAULT_SESSIONS,
    seed=1, append=False, now=None, say=None,
):
    """Load the large demo (see the module docstring) and return a
    LargeDemoReport. `say` receives progress lines (counts only, never a
    person's data).

    Refuses (LargeDemoError) when the database already holds volunteers,
    unless `append` (code "not_empty"); when a data file is missing
    ("no_data"); for negative counts ("bad_count"); and past the fake phone
    numbers it can make ("too_many"). A refusal writes nothing; so does any
    failure, since everything happens in one transaction.

    With `append`, blocks and zones are imported again (updated, never
    duplicated), topics, the campaign and accounts are found again, and the
    new volunteers get phones and emails nobody has yet.
    """
    say = say or (lambda text: None)
    if volunteers < 0 or sessions < 0:
        raise LargeDemoError("Counts cannot be negative.", code="bad_count")
    paths = {name: Path(data_dir) / name for name in (CENTERLINE, NEIGHBORHOODS, ZIP_CODES)}
    missing = [str(path) for path in paths.values() if not path.is_file()]
    if missing:
        raise LargeDemoError(
            "Missing data file(s): " + ", ".join(missing) + ". Give the folder with --data-dir.",
            code="no_data",
        )
    if not append and Volunteer.objects.exists():
        raise LargeDemoError(
            "This database already holds volunteers: the large demo is meant for an empty "
            "one (migrate a new database). Use --append to add to what is there.",
            code="not_empty",
        )
    rng = random.Random(seed)
    now = now or timezone.now()
    report = LargeDemoReport()
    clock = _Clock(report, say)
    with transaction.atomic():
        blocks, zones, pilot = _geography(paths, report)
        clock.lap("blocks and zones", f"{report.blocks} blocks, {report.zones} zones, "
                  f"{report.blocks_in_zones} blocks in a zone")
        organizer, trainers = _staff(pilot, report, count=max(2, min(40, sessions // 25 + 1)))
        campaign, _created = launch_campaign_ensure()
        topics = demo_topics_ensure()
        people = volunteers_create(rng, now, volunteers, blocks, campaign, report)
        clock.lap("volunteers", f"{report.volunteers} volunteers ({report.with_email} with an "
                  f"email, {report.phone_only} phone only, {report.no_block} without a block)")
        planned = sessions_create(
            rng, now, sessions, len(people), topics, zones, pilot, blocks, organizer, trainers, report
        )
        clock.lap("sessions", f"{report.sessions} sessions ({report.sessions_done} done, "
                  f"{report.sessions_upcoming} upcoming, {report.sessions_cancelled} cancelled)")
        registrations_and_attendance_create(rng, now, planned, people, report)
        clock.lap("registrations and check-ins", f"{report.registrations} registrations "
                  f"({report.waitlisted} waitlisted, {report.cancelled_registrations} cancelled), "
                  f"{report.attendances} check-ins ({report.walk_ins} walk-ins)")
        volunteer_training_status_refresh_all()
        report.trained = Volunteer.objects.trained(now=now).count()
        clock.lap("trained status", f"{report.trained} trained neighbors")
        # Bulk inserts send no signals: pages cached from the data as it was
        # (coverage, the trainings list) must be rendered again.
        generation_bump(*GENERATIONS)
    return report


class _Clock:
    def __init__(self, report, say):
        self.report, self.say, self.last = report, say, time.perf_counter()

    def lap(self, step, summary):
        now = time.perf_counter()
        self.report.seconds[step] = now - self.last
        self.last = now
        self.say(f"{summary} ({self.report.seconds[step]:.1f} s)")


# --- Geography ----------------------------------------------------------------

def _geography(paths, report):
    """Blocks and zones through the same import code as the commands."""
    blocks_import(features=load_features(paths[CENTERLINE]))
    pilot, _created = pilot_zone_ensure()
    # The pilot first, as one polygon named by its slug (so the import finds
    # the zone made above and only takes in its blocks); then the
    # neighborhoods, which leave a block already in the pilot there.
    zones_import(features=[
        {"type": "Feature", "properties": {"name": pilot.slug}, "geometry": pilot.boundary}
    ])
    zones_import(features=load_features(paths[NEIGHBORHOODS]))

    zip_areas = [
        (str(feature["properties"]["CODE"]), shape(feature["geometry"]))
        for feature in load_features(paths[ZIP_CODES])
    ]
    blocks = []
    for pk, zone_id, street, hundred, geometry in Block.objects.order_by("pk").values_list(
        "pk", "zone_id", "street", "hundred", "geometry"
    ):
        line = block_shape(geometry)
        middle = line.interpolate(0.5, normalized=True) if line is not None else None
        zip_code = next(
            (code for code, area in zip_areas if middle is not None and area.contains(middle)), ""
        )
        blocks.append(BlockRow(pk, zone_id, street, hundred, zip_code))
    zones = list(Zone.objects.order_by("pk"))
    report.blocks = len(blocks)
    report.zones = len(zones)
    report.blocks_in_zones = sum(1 for block in blocks if block.zone_id is not None)
    return blocks, zones, pilot


# --- Accounts -------------------------------------------------------------------

def _staff(pilot, report, *, count):
    """The demo organizer (as load_demo makes it, organizing the pilot) and
    `count` trainer accounts. Trainers get no usable password: set one with
    `manage.py changepassword demo-trainer-01` to log in as one."""
    organizer, password = demo_organizer_ensure()
    pilot.organizers.add(organizer)
    demo_organizer_permissions_grant(organizer)
    User = get_user_model()
    trainer_group, _created = Group.objects.get_or_create(name=TRAINER)
    trainers = []
    for n in range(1, count + 1):
        user, created = User.objects.get_or_create(
            username=f"{TRAINER_PREFIX}{n:02d}",
            defaults={"first_name": "Demo", "last_name": f"Trainer {n}", "is_staff": True},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(trainer_group)
        trainers.append(user)
    report.organizer, report.organizer_password = organizer.username, password
    report.trainers = [user.username for user in trainers]
    return organizer, trainers
