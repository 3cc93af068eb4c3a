"""The large demo's training sessions, registrations and check-ins."""

import bisect
import datetime
import uuid
from dataclasses import dataclass

from django.utils import timezone

from signups.models import Language
from trainings.large_demo.common import BATCH
from trainings.models import Attendance, Registration, Session
from zones.streets import display_street

PLACE_KINDS = [
    "parish hall", "community center", "library meeting room", "recreation center",
    "school cafeteria", "union hall", "mutual aid kitchen",
]
# Choices read once: an enum's .values is rebuilt on every access.
LANGUAGES = Language.values  # en, es, both
SESSION_LANGUAGES = Session.Language.values  # en, es, bilingual


@dataclass
class _Planned:
    session: Session
    trainer_ids: list
    demand: int  # how many people wanted a seat


def _local(day, hour, minute):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def sessions_create(rng, now, count, people_count, topics, zones, pilot, blocks, organizer, trainers, report):
    """`count` sessions: the first starts this hour in the pilot with a full
    roster (trained by the organizer); of the rest, three in four are past
    (done, a few cancelled) and one in four upcoming."""
    blocks_of_zone = {}
    for block in blocks:
        blocks_of_zone.setdefault(block.zone_id, []).append(block)
    # Zones move at different speeds: some hold many trainings, some few;
    # the pilot, where it all began, holds about three in ten.
    zone_weights = [
        0 if zone.pk == pilot.pk else len(blocks_of_zone.get(zone.pk, [])) * rng.choice([0.1, 0.5, 1, 2])
        for zone in zones
    ]
    zone_weights[zones.index(pilot)] = sum(zone_weights) * 0.4 or 1
    trainer_weights = [1 / n for n in range(1, len(trainers) + 1)]
    planned = []
    for n in range(count):
        if n == 0:
            starts = now.replace(minute=0, second=0, microsecond=0)
            topic, zone, hours, language = topics[0], pilot, 2, Session.Language.BILINGUAL
            # 100 seats for the default 50,000 people, fewer in a small demo;
            # a few more people than seats, so the waitlist shows too.
            capacity = max(10, min(100, people_count // 50))
            status, trainer_ids = Session.Status.SCHEDULED, [organizer.pk, trainers[0].pk]
            demand = capacity + max(2, capacity // 12)
        else:
            topic, hours = rng.choices(list(zip(topics, [2, 2, 3, 1.5, 3])), weights=[35, 25, 15, 15, 10])[0]
            zone = rng.choices(zones, weights=zone_weights)[0] if rng.random() < 0.92 else None
            language = rng.choices(SESSION_LANGUAGES, weights=[20, 45, 35])[0]
            capacity = rng.choice([15, 20, 25, 30, 30, 40, 50, 60])
            past = rng.random() < 0.75
            days = rng.uniform(1, 540) if past else rng.uniform(0.2, 90)
            day = timezone.localdate(now + datetime.timedelta(days=-days if past else days))
            weekend = day.weekday() >= 5
            starts = _local(day, *rng.choice([(10, 0), (14, 0)] if weekend else [(18, 0), (18, 30)]))
            if not past and starts <= now:
                starts += datetime.timedelta(days=1)
            if past:
                status = Session.Status.CANCELLED if rng.random() < 0.04 else Session.Status.DONE
                fill = rng.uniform(0.45, 1.15)
            else:
                status = Session.Status.CANCELLED if rng.random() < 0.03 else Session.Status.SCHEDULED
                # Sessions fill as they come near.
                fill = rng.uniform(0.1, 1.15) * max(0.25, 1 - days / 100)
            demand = round(capacity * fill)
            k = 1 if rng.random() < 0.7 else 2
            trainer_ids = list({u.pk for u in rng.choices(trainers, weights=trainer_weights, k=k)})
        zone_blocks = blocks_of_zone.get(zone.pk if zone else None) or blocks
        venue = rng.choice(zone_blocks)
        area = zone.name_en if zone else "South Philadelphia"
        session = Session(
            topic=topic, starts_at=starts, ends_at=starts + datetime.timedelta(hours=hours),
            language=language, capacity=capacity, zone=zone, status=status,
            location_name_en=f"{area} {rng.choice(PLACE_KINDS)}"[:200], neighborhood=area[:120],
            address=f"{venue.hundred + rng.randrange(1, 99)} {display_street(venue.street)}",
        )
        planned.append(_Planned(session, trainer_ids, demand))
    Session.objects.bulk_create([p.session for p in planned], batch_size=BATCH)
    Trainers = Session.trainers.through
    Trainers.objects.bulk_create(
        [Trainers(session_id=p.session.pk, user_id=uid) for p in planned for uid in p.trainer_ids],
        batch_size=5000,
    )
    report.sessions = len(planned)
    report.sessions_done = sum(1 for p in planned if p.session.status == Session.Status.DONE)
    report.sessions_cancelled = sum(1 for p in planned if p.session.status == Session.Status.CANCELLED)
    report.sessions_upcoming = sum(
        1 for p in planned if p.session.status == Session.Status.SCHEDULED and p.session.ends_at > now
    )
    report.big_session_id = planned[0].session.pk if planned else None
    return planned


_SPEAKS = {
    Session.Language.ENGLISH: {Language.ENGLISH, Language.BOTH},
    Session.Language.SPANISH: {Language.SPANISH, Language.BOTH},
    Session.Language.BILINGUAL: set(LANGUAGES),
}


class _Pools:
    """Who could come to a session: people of its zone (most come from the
    neighborhood) or from anywhere, who had signed up before it started and
    speak its language."""

    def __init__(self, people):
        ordered = sorted(people, key=lambda p: p.created_at)
        self.everyone = ordered
        self.by_zone = {}
        for person in ordered:
            if person.zone_id is not None:
                self.by_zone.setdefault(person.zone_id, []).append(person)
        self.times = {key: [p.created_at for p in pool] for key, pool in self.by_zone.items()}
        self.times[None] = [p.created_at for p in ordered]

    def pick(self, rng, session, count, exclude=()):
        pools = []
        if session.zone_id in self.by_zone:
            pool = self.by_zone[session.zone_id]
            pools.append((0.9, pool, bisect.bisect(self.times[session.zone_id], session.starts_at)))
        pools.append((1.0, self.everyone, bisect.bisect(self.times[None], session.starts_at)))
        speaks = _SPEAKS[session.language]
        chosen, seen = [], set(exclude)
        for _attempt in range(count * 6):
            if len(chosen) >= count:
                break
            draw = rng.random()
            _share, pool, size = next(p for p in pools if draw < p[0])
            if size == 0:
                continue
            person = pool[rng.randrange(size)]
            if person.pk not in seen and person.language in speaks:
                seen.add(person.pk)
                chosen.append(person)
        if len(chosen) < count:
            # Few people to draw from (a small demo): take whoever is left,
            # from a random starting point, rather than keep drawing.
            size = pools[-1][2]
            start = rng.randrange(size) if size else 0
            for person in self.everyone[start:size] + self.everyone[:start]:
                if len(chosen) >= count:
                    break
                if person.pk not in seen and person.language in speaks:
                    seen.add(person.pk)
                    chosen.append(person)
        return chosen


def _registration_language(rng, session, person):
    if session.language in (Session.Language.ENGLISH, Session.Language.SPANISH):
        return session.language
    if person.language == Language.BOTH:
        return rng.choice(["en", "es"])
    return person.language


def registrations_and_attendance_create(rng, now, planned, people, report):
    """Registrations within capacity (the rest waitlisted, a few cancelled),
    and on done sessions the check-ins: most registered people, a few from
    the waitlist, some walk-ins, and a rare undone tap."""
    pools = _Pools(people)
    registrations, attendances = [], []
    for plan in planned:
        session = plan.session
        cancelled = round(plan.demand * rng.uniform(0, 0.1))
        chosen = pools.pick(rng, session, plan.demand + cancelled)
        rng.shuffle(chosen)
        kept = max(0, len(chosen) - cancelled)
        seats = min(session.capacity, kept)
        seated, waiting, gone = chosen[:seats], chosen[seats:kept], chosen[kept:]
        if session.pk == report.big_session_id:
            report.big_session_registered = len(seated)
        # Seats went in order of registration, the waitlist after them.
        times = sorted(
            session.starts_at - datetime.timedelta(hours=rng.uniform(1, 30 * 24)) for _ in chosen
        )
        for person, status, at in zip(
            seated + waiting + gone,
            [Registration.Status.REGISTERED] * len(seated) + [Registration.Status.WAITLISTED] * len(waiting)
            + [Registration.Status.CANCELLED] * len(gone),
            times, strict=True,
        ):
            # After the person signed up, and not in the future.
            at = min(max(at, person.created_at), now)
            registrations.append(Registration(
                session_id=session.pk, volunteer_id=person.pk, status=status,
                language=_registration_language(rng, session, person), created_at=at,
                # The hourly reminder went out to people with an email.
                reminder_sent_at=session.starts_at - datetime.timedelta(hours=23)
                if session.ends_at < now and person.has_email and status == Registration.Status.REGISTERED
                else None,
            ))
        if session.status != Session.Status.DONE:
            continue
        came = [p for p in seated if rng.random() < 0.78] + [p for p in waiting if rng.random() < 0.2]
        walk_ins = pools.pick(
            rng, session, rng.randrange(max(2, session.capacity // 8)), exclude={p.pk for p in chosen}
        )
        came_ids = {p.pk for p in came}
        absent = [p for p in seated if p.pk not in came_ids]
        mistaken = [p for p in absent if rng.random() < 0.02]
        trainer_ids = plan.trainer_ids
        for person, walk_in, undone in (
            [(p, False, False) for p in came] + [(p, True, False) for p in walk_ins]
            + [(p, False, True) for p in mistaken]
        ):
            at = session.starts_at + datetime.timedelta(minutes=rng.uniform(-15, 40))
            attendances.append(Attendance(
                session_id=session.pk, volunteer_id=person.pk, checked_in_at=at, phone_at=at,
                checked_in_by_id=rng.choice(trainer_ids), walk_in=walk_in,
                nonce=uuid.UUID(int=rng.getrandbits(128), version=4),
                # A tap on the wrong name, undone a minute later.
                undone_at=at + datetime.timedelta(minutes=1) if undone else None,
            ))
    Registration.objects.bulk_create(registrations, batch_size=BATCH)
    Attendance.objects.bulk_create(attendances, batch_size=BATCH)
    report.registrations = len(registrations)
    report.waitlisted = sum(1 for r in registrations if r.status == Registration.Status.WAITLISTED)
    report.cancelled_registrations = sum(1 for r in registrations if r.status == Registration.Status.CANCELLED)
    report.attendances = sum(1 for a in attendances if a.undone_at is None)
    report.walk_ins = sum(1 for a in attendances if a.walk_in)
