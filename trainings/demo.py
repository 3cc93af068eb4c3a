"""Demo trainings for `make run`: the topics the organization teaches, a few
upcoming sessions in the pilot zone (one of them today, trained by the demo
organizer, so /trainer/ has a roster to try), and one past session whose
attendance is what makes the demo's trained neighbors trained.

Idempotent: topics are found by English name, an upcoming session is not
added again while one of that topic at that place is still ahead.
"""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from signups.models import Volunteer
from trainings.models import Attendance, Registration, Session, Topic
from trainings.services import session_mark_done

TOPICS = [
    {
        "name_en": "Know your rights: ICE at the door",
        "name_es": "Conoce tus derechos: ICE en la puerta",
        "description_en": "What to say and not say, what a warrant looks like, and who to call.",
        "description_es": "Qué decir y qué no decir, cómo es una orden judicial y a quién llamar.",
        "counts_as_training": True,
        "valid_for_months": 12,
    },
    {
        "name_en": "Know your rights with the police",
        "name_es": "Conoce tus derechos con la policía",
        "description_en": "Stops on the street, in a car and at work.",
        "description_es": "Cuando te detienen en la calle, en el carro o en el trabajo.",
        "counts_as_training": True,
        "valid_for_months": 12,
    },
    {
        "name_en": "Rapid response and accompaniment",
        "name_es": "Respuesta rápida y acompañamiento",
        "description_en": "How to support a neighbor's family during and after a raid.",
        "description_es": "Cómo apoyar a la familia de un vecino durante y después de una redada.",
        "counts_as_training": True,
        "valid_for_months": None,
    },
    {
        "name_en": "Bystander intervention against hate",
        "name_es": "Intervenir ante el odio",
        "description_en": "Stepping in safely when someone is harassed.",
        "description_es": "Cómo intervenir con seguridad cuando acosan a alguien.",
        "counts_as_training": True,
        "valid_for_months": None,
    },
    {
        "name_en": "Train the trainer",
        "name_es": "Formación de capacitadores",
        "description_en": "For neighbors who will lead trainings on their own block.",
        "description_es": "Para vecinos que darán talleres en su propia cuadra.",
        "counts_as_training": False,
        "valid_for_months": None,
    },
]

PLACES = [
    (("St. Thomas Aquinas parish hall", "Salón parroquial de Santo Tomás de Aquino"), "Point Breeze / Newbold",
     "1719 Morris St (side door)"),
    (("Community center", "Centro comunitario"), "Bella Vista", "1101 S 8th St"),
    (("Library meeting room", "Sala de reuniones de la biblioteca"), "Passyunk Square", "1201 S 7th St"),
]


def _at(day_offset, hour, minute=0):
    day = timezone.localdate() + datetime.timedelta(days=day_offset)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@transaction.atomic
def demo_trainings_load(*, zone, trainer=None):
    """Create the demo topics and sessions; returns how many sessions were
    created. `trainer` (the demo organizer) trains today's session."""
    topics = demo_topics_ensure()

    now = timezone.now()
    this_hour = now.replace(minute=0, second=0, microsecond=0)
    plans = [
        # (topic, place, starts, hours, language, capacity)
        (topics[0], PLACES[0], this_hour, 2, Session.Language.BILINGUAL, 40),
        (topics[0], PLACES[1], _at(1, 18, 30), 2, Session.Language.SPANISH, 25),
        (topics[1], PLACES[2], _at(3, 10), 2, Session.Language.ENGLISH, 20),
        (topics[2], PLACES[0], _at(6, 18), 2, Session.Language.BILINGUAL, 4),
        (topics[3], PLACES[1], _at(9, 14), 2, Session.Language.SPANISH, 30),
    ]
    created = 0
    for topic, ((place, place_es), neighborhood, address), starts, hours, language, capacity in plans:
        if Session.objects.upcoming(now=now).filter(topic=topic, location_name_en=place).exists():
            continue
        session = Session.objects.create(
            topic=topic, starts_at=starts, ends_at=starts + datetime.timedelta(hours=hours),
            language=language, location_name_en=place, location_name_es=place_es, neighborhood=neighborhood,
            address=address,
            capacity=capacity, zone=zone,
        )
        if trainer is not None:
            session.trainers.add(trainer)
        created += 1

    demo_people = list(Volunteer.objects.filter(notes="Demo data").order_by("pk"))
    today = Session.objects.upcoming(now=now).filter(topic=topics[0], location_name_en=PLACES[0][0][0]).first()
    if today is not None:
        for volunteer in demo_people[:6]:
            Registration.objects.get_or_create(
                session=today, volunteer=volunteer,
                defaults={"language": "es" if volunteer.language == "es" else "en"},
            )
    _demo_past_session(topics[2], zone, [v for v in demo_people if v.trained_at is not None], trainer)
    demo_organizer_permissions_grant(trainer)
    return created


def demo_topics_ensure():
    """The topics of TOPICS, found by English name or created, in that order.
    Shared with the large demo."""
    topics = []
    for fields in TOPICS:
        topic, _ = Topic.objects.get_or_create(name_en=fields["name_en"], defaults=fields)
        topics.append(topic)
    return topics


def _demo_past_session(topic, zone, attendees, trainer):
    """The demo's trained neighbors are trained because they attended this
    session: attendance is the one source of trained status."""
    (place, place_es), neighborhood, address = PLACES[1]
    if Session.objects.filter(topic=topic, location_name_en=place, ends_at__lt=timezone.now()).exists():
        return
    session = Session.objects.create(
        topic=topic, location_name_en=place, location_name_es=place_es, starts_at=_at(-14, 18), ends_at=_at(-14, 20),
        language=Session.Language.BILINGUAL, neighborhood=neighborhood, address=address, capacity=30, zone=zone,
    )
    for volunteer in attendees:
        Attendance.objects.create(
            session=session, volunteer=volunteer, nonce=uuid.uuid4(), checked_in_at=session.starts_at,
            checked_in_by=trainer,
        )
    session_mark_done(session=session)


def demo_organizer_permissions_grant(user):
    """Beyond the Organizer group: let the demo organizer add and change
    topics and sessions, so a demo can show the whole training flow."""
    if user is None:
        return
    from django.contrib.auth.models import Permission

    codenames = [f"{action}_{model}" for model in ("topic", "session") for action in ("view", "add", "change")]
    codenames += ["view_registration", "view_attendance"]
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="trainings", codename__in=codenames)
    )
