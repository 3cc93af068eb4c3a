"""The large demo's volunteers: fake people as the sign-up form stores them."""

import bisect
import datetime
import itertools
import unicodedata

from django.conf import settings

from signups.models import Availability, ContactMethod, Language, Volunteer, WayToHelp
from trainings.large_demo.common import BATCH, LargeDemoError, PersonRow

# Phones: the 555 exchange of area codes around Philadelphia. Only
# 555-0100..0199 is reserved for fiction, far too few for 50,000 people; the
# rest of 555 is kept for information services and not given to
# subscribers, and phonenumbers accepts it as valid, so an organizer can
# edit a demo volunteer in the admin without the form refusing the phone.
# 555-1212 (directory assistance) is skipped.
AREA_CODES = [
    "215", "267", "445", "484", "610", "835", "856", "609", "302", "717",
    "570", "412", "724", "814", "878", "201", "732", "908", "973", "551",
]
EMAIL_DOMAINS = ["example.org", "example.com", "example.net"]

SPANISH_FIRST = [
    "María", "José", "Juan", "Guadalupe", "Ana", "Luis", "Carmen", "Jorge", "Rosa", "Miguel",
    "Verónica", "Alejandro", "Lucía", "Francisco", "Sofía", "Jesús", "Patricia", "Ricardo",
    "Adriana", "Fernando", "Gabriela", "Martín", "Leticia", "Óscar", "Yesenia", "Ramón",
    "Elena", "Rubén", "Araceli", "Iván", "Maricela", "Efraín",
]
SPANISH_SURNAMES = [
    "García", "Hernández", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez",
    "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Reyes", "Jiménez", "Torres",
    "Díaz", "Gutiérrez", "Ruiz", "Mendoza", "Aguilar", "Ortiz", "Castillo", "Romero", "Núñez",
    "Peña", "Muñoz", "Ibáñez", "Santiago", "Xochitl", "Tlapa",
]
# South Philadelphia's other neighbors: long-time Black and Italian-American
# families, Vietnamese, Cambodian and Indonesian communities, newer arrivals.
OTHER_FIRST = [
    "James", "Mary", "Michael", "Linda", "Anthony", "Angela", "Joseph", "Theresa", "Kevin",
    "Danielle", "Marcus", "Keisha", "Thanh", "Linh", "Minh", "Sokha", "Dara", "Chanthy",
    "Siti", "Budi", "Dewi", "Giuseppe", "Salvatore", "Olga", "Rachel", "Aisha", "Omar",
    "Fatima", "Kwame", "Tamika",
]
OTHER_SURNAMES = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Nguyen", "Tran", "Le", "Pham", "Chea",
    "Sok", "Kim", "Santoso", "Wijaya", "Rossi", "Russo", "DiMarco", "Esposito", "Jackson",
    "Washington", "Harris", "Thompson", "Robinson", "O'Brien", "Murphy", "Kowalski", "Ali",
    "Rahman", "Mensah", "Diallo",
]
OTHER_WAYS = [w for w in WayToHelp.values if w != WayToHelp.GET_TRAINED]
# Choices read once: an enum's .values is rebuilt on every access.
LANGUAGES = Language.values  # en, es, both
SOURCES = Volunteer.Source.values  # form, walk_in, admin, import
AVAILABILITY = Availability.values



def _ascii(text):
    return "".join(
        c for c in unicodedata.normalize("NFKD", text).lower() if c.isascii() and c.isalpha()
    )


def _phones(rng, count):
    """`count` distinct fake phones (see AREA_CODES) that no volunteer has yet,
    in random order."""
    if count == 0:
        return []
    taken = set(Volunteer.objects.exclude(phone="").values_list("phone", flat=True))
    phones = []
    for area in AREA_CODES:
        for line in range(10000):
            phone = f"+1{area}555{line:04d}"
            if line != 1212 and phone not in taken:
                phones.append(phone)
                if len(phones) == count:
                    rng.shuffle(phones)
                    return phones
    raise LargeDemoError(
        f"Cannot make {count} distinct fake phone numbers (at most {len(phones)} are free).",
        code="too_many",
    )


def _name(rng, language):
    if language == Language.SPANISH or (language == Language.BOTH and rng.random() < 0.7):
        first, surname = rng.choice(SPANISH_FIRST), rng.choice(SPANISH_SURNAMES)
        # Many keep both surnames (one field fits them).
        if rng.random() < 0.6:
            return first, surname, f"{first} {surname} {rng.choice(SPANISH_SURNAMES)}"
        return first, surname, f"{first} {surname}"
    first, surname = rng.choice(OTHER_FIRST), rng.choice(OTHER_SURNAMES)
    return first, surname, f"{first} {surname}"


def _contact_methods(rng, language, phone, email):
    methods = []
    if phone:
        if language == Language.ENGLISH:
            methods = rng.choice([["text"], ["call"], ["text", "call"], ["whatsapp"]])
        else:
            methods = rng.choice([["whatsapp"], ["whatsapp", "call"], ["text"], ["call"], ["whatsapp", "text"]])
    if email and (not phone or rng.random() < 0.3):
        methods.append(ContactMethod.EMAIL.value)
    return methods


def volunteers_create(rng, now, count, blocks, campaign, report):
    """`count` volunteers as the sign-up form stores them; returns PersonRow
    rows (pk, zone, language, sign-up time) for choosing who registers."""
    weights = [
        0 if rng.random() < 0.12  # warehouses, ramps, the stadiums: nobody lives there
        else rng.lognormvariate(0, 0.75) * (1 if block.zone_id else 0.3)
        for block in blocks
    ]
    cumulative = list(itertools.accumulate(weights))
    contacts = [rng.random() for _ in range(count)]
    phones = iter(_phones(rng, sum(1 for r in contacts if r < 0.88)))
    taken_emails = set(Volunteer.objects.exclude(email="").values_list("email", flat=True))
    zip_codes = sorted({block.zip_code for block in blocks if block.zip_code}) or ["19148"]
    first_number = Volunteer.objects.count() + 1
    rows, zones_of = [], []
    for n, contact in enumerate(contacts, start=first_number):
        language = rng.choices(LANGUAGES, weights=[35, 50, 15])[0]
        first, surname, name = _name(rng, language)
        phone = next(phones) if contact < 0.88 else ""
        email = ""
        if contact < 0.55 or contact >= 0.88:
            email = f"{_ascii(first)}.{_ascii(surname)}{n}@{rng.choice(EMAIL_DOMAINS)}"
            while email in taken_emails:
                email = "x" + email
        # Most signed up recently (the launch drive), some two years ago.
        created_at = now - datetime.timedelta(days=700 * rng.random() ** 1.6, seconds=rng.randrange(86400))
        block = None
        if rng.random() >= 0.07 and cumulative and cumulative[-1] > 0:
            block = blocks[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
        if block is None:
            zip_code = rng.choice(zip_codes)  # "I'd rather not say" still asks a ZIP code
        else:
            zip_code = block.zip_code if rng.random() < 0.85 else ""
        in_campaign = created_at > now - datetime.timedelta(days=60)
        ways = (["get_trained"] if rng.random() < 0.85 else []) + rng.sample(OTHER_WAYS, rng.randrange(3))
        rows.append(Volunteer(
            name=name, phone=phone, email=email, language=language,
            contact_methods=_contact_methods(rng, language, phone, email),
            consent_at=created_at, consent_version=settings.CONSENT_VERSION,
            block_id=block.pk if block else None, address_withheld=block is None, zip_code=zip_code,
            ways_to_help=ways or ["get_trained"],
            # Asked only while the launch-weekend campaign is open.
            weekend_availability=rng.sample(AVAILABILITY, rng.randrange(1, 5))
            if in_campaign and rng.random() < 0.7 else [],
            source=rng.choices(SOURCES, weights=[78, 10, 7, 5])[0],
            created_at=created_at,
            last_contacted_at=created_at + (now - created_at) * rng.random() if rng.random() < 0.3 else None,
        ))
        zones_of.append(block.zone_id if block else None)
    Volunteer.objects.bulk_create(rows, batch_size=BATCH)
    Membership = Volunteer.campaigns.through
    Membership.objects.bulk_create(
        [Membership(volunteer_id=v.pk, campaign_id=campaign.pk)
         for v in rows if v.created_at > now - datetime.timedelta(days=60)],
        batch_size=5000, ignore_conflicts=True,
    )
    report.volunteers = len(rows)
    report.with_email = sum(1 for v in rows if v.email)
    report.phone_only = sum(1 for v in rows if not v.email)
    report.no_block = sum(1 for v in rows if v.block_id is None)
    return [
        PersonRow(v.pk, zone_id, v.language, v.created_at, bool(v.email))
        for v, zone_id in zip(rows, zones_of, strict=True)
    ]

