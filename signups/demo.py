"""Demo sign-ups for `make run`: the launch-weekend campaign and a dozen
obviously fake neighbors on pilot blocks, some trained, so the coverage map
shows all three colors.

Everything here is fake on purpose: 555-01xx phone numbers (reserved for
fiction), example.org emails, "Demo Neighbor N" names.
"""

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from signups.models import Campaign, ContactMethod, Language, Volunteer, WayToHelp
from zones.models import Block

LAUNCH_WEEKEND = {
    "slug": "launch-weekend",
    "name_en": "Launch weekend: South Philadelphia",
    "name_es": "Fin de semana de lanzamiento: Sur de Filadelfia",
    "intro_en": (
        "On the launch weekend we knock on every door from Washington Avenue to "
        "Oregon Avenue, between 3rd and 9th Streets. Join us: get trained on your "
        "rights, and help your block become a Community Resistance Zone."
    ),
    "intro_es": (
        "El fin de semana de lanzamiento tocamos cada puerta de la avenida Washington a "
        "la avenida Oregon, entre las calles 3 y 9. Únete: aprende tus derechos y "
        "ayuda a que tu cuadra sea una Zona de Resistencia Comunitaria."
    ),
    "is_open": True,
}


def launch_weekend_dates(today):
    """The coming Saturday and Sunday (this one, on a Saturday): the demo's
    launch weekend is always ahead of whoever runs `make run`, so the form
    asks for availability as it would before a real launch."""
    saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7)
    return saturday, saturday + datetime.timedelta(days=1)

# (street, hundred, trained): two trained neighbors on the 1100 block of
# S 9th St (at target), one on a few blocks (below target), none on others
# (people signed up, nobody trained yet).
DEMO_RESIDENTS = [
    ("S 9TH ST", 1100, True),
    ("S 9TH ST", 1100, True),
    ("S 9TH ST", 1100, False),
    ("TASKER ST", 800, True),
    ("TASKER ST", 800, True),
    ("S 7TH ST", 1500, True),
    ("S 7TH ST", 1500, False),
    ("S 5TH ST", 2300, True),
    ("MIFFLIN ST", 500, False),
    ("S 4TH ST", 2000, False),
    ("WOLF ST", 600, True),
    ("S 8TH ST", 1800, False),
]


def launch_campaign_ensure():
    """Create or update the open launch-weekend campaign, dated the coming
    weekend. Returns (campaign, created). Shared with the large demo."""
    fields = {key: value for key, value in LAUNCH_WEEKEND.items() if key != "slug"}
    fields["starts_on"], fields["ends_on"] = launch_weekend_dates(timezone.localdate())
    return Campaign.objects.update_or_create(slug=LAUNCH_WEEKEND["slug"], defaults=fields)


def demo_phone(n):
    return f"+1215555{100 + n:04d}"


@transaction.atomic
def demo_signups_load():
    """Create or update the launch-weekend campaign and the demo volunteers.

    Idempotent: volunteers are found again by their demo phone number; a
    trained demo volunteer keeps its first training time. Needs the demo
    blocks (zones.demo) loaded first. Returns (campaign, campaign_created,
    volunteers_created)."""
    campaign, campaign_created = launch_campaign_ensure()
    blocks = {(b.street, b.hundred): b for b in Block.objects.filter(
        street__in={street for street, _, _ in DEMO_RESIDENTS}
    )}
    now = timezone.now()
    created_count = 0
    for n, (street, hundred, trained) in enumerate(DEMO_RESIDENTS, start=1):
        volunteer, created = Volunteer.objects.get_or_create(
            phone=demo_phone(n),
            defaults={
                "name": f"Demo Neighbor {n}",
                "email": f"demo{n}@example.org",
                "language": [Language.SPANISH, Language.ENGLISH, Language.BOTH][n % 3],
                "contact_methods": [ContactMethod.TEXT, ContactMethod.WHATSAPP]
                if n % 2
                else [ContactMethod.CALL],
                "consent_at": now,
                "consent_version": settings.CONSENT_VERSION,
                "block": blocks.get((street, hundred)),
                "zip_code": "19148" if hundred >= 1200 else "19147",
                "ways_to_help": [WayToHelp.GET_TRAINED]
                + ([WayToHelp.KNOCK_DOORS] if n % 2 else [WayToHelp.INTERPRET]),
                "source": Volunteer.Source.ADMIN,
                "notes": "Demo data",
                "trained_at": now - datetime.timedelta(days=n) if trained else None,
            },
        )
        created_count += created
        campaign.volunteers.add(volunteer)
    return campaign, campaign_created, created_count


DEMO_ORGANIZER_USERNAME = "organizer"

# The demo data of the apps above trainings (canvass, response). load_demo is
# a trainings command and trainings may not import them
# (tests/test_app_layers.py), so each registers its loader here from its
# AppConfig.ready(), as they do their erase steps (signups.retention).
_DEMO_STEPS = {}


def demo_step_register(name, load):
    """`load(zone=, organizer=)` adds an app's demo data for the pilot zone
    and the demo organizer, creates nothing twice, and returns one line for
    load_demo to print."""
    _DEMO_STEPS[name] = load


def demo_steps_run(*, zone, organizer):
    """Run the registered demo loaders, in the order of INSTALLED_APPS.
    Returns their lines."""
    return [load(zone=zone, organizer=organizer) for load in _DEMO_STEPS.values()]


@transaction.atomic
def demo_organizer_ensure():
    """Create the demo organizer account once, with a fresh random password.

    Returns (user, password): password is None when the account already
    existed; it is then left unchanged, so a second `make run` does not lock
    anyone out. Staff, not superuser, in the Organizer group (created by
    the trainings 0002_roles migration); load_demo assigns the pilot zone,
    which is all the admin will show them."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    User = get_user_model()
    user = User.objects.filter(username=DEMO_ORGANIZER_USERNAME).first()
    password = None
    if user is None:
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=DEMO_ORGANIZER_USERNAME, password=password, is_staff=True
        )
    organizers, _created = Group.objects.get_or_create(name="Organizer")
    user.groups.add(organizers)
    return user, password
