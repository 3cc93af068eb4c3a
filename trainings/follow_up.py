"""The follow-up list: who signed up in a zone and is not trained yet, blocks
with no trained neighbor first, each with the next training in their
language nearest them; and what an organizer does from it: invite the chosen
people to one session (a message to a segment, through the worker), or see
one person's phone or email (each time an audit entry).

Sessions have a zone and a place but no coordinates, so "nearest" is the
same zone first, then any zone; soonest within each, and a session with
seats left before a full one. A constant number of queries whatever the
zone's size (trainings/tests/test_follow_up.py).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Count, Exists, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from messaging.models import Batch, Kind
from messaging.outbox import messages_queue_many
from messaging.segment_send import SegmentSend
from signups.audit import AuditEntry
from signups.models import Language, Volunteer
from trainings.models import Registration, Session
from zones.models import trained_resident_q

# Upcoming sessions looked at for "next session": more than a zone holds in
# a season, few enough to pick from in Python.
SESSIONS_CONSIDERED = 200

# An invitation is news about the campaign (not a reminder of a training
# the person registered for): it needs their consent to news.
INVITE_KIND = Kind.NEWS


def first_name(name):
    return (name or "").split(" ")[0]


def follow_up_people(zone, *, now=None):
    """The zone's neighbors who signed up and are not trained now (never, or
    their training lapsed), blocks with no trained neighbor first, then the
    blocks with fewest, street by street. Each is annotated with
    `block_trained` and `registered_upcoming` (already registered for a
    session still to come)."""
    now = now or timezone.now()
    trained_on_block = (
        Volunteer.objects.filter(trained_resident_q(now=now), block=OuterRef("block"))
        .order_by().values("block").annotate(n=Count("pk")).values("n")
    )
    upcoming = Registration.objects.filter(
        volunteer=OuterRef("pk"), status=Registration.Status.REGISTERED,
        session__status=Session.Status.SCHEDULED, session__ends_at__gt=now,
    )
    return (
        Volunteer.objects.filter(block__zone=zone)
        .exclude(trained_resident_q(now=now))
        .select_related("block")
        .only("name", "language", "message_kinds", "block__street", "block__hundred", "block__zone_id")
        .annotate(
            block_trained=Coalesce(Subquery(trained_on_block, output_field=models.IntegerField()), Value(0)),
            registered_upcoming=Exists(upcoming),
        )
        .order_by(
            Case(When(block_trained=0, then=Value(0)), default=Value(1)),
            "block_trained", "block__street", "block__hundred", "name", "pk",
        )
    )


def _speaks(volunteer_language, session_language):
    if session_language == Session.Language.BILINGUAL or volunteer_language == Language.BOTH:
        return True
    return volunteer_language == session_language


def upcoming_sessions(*, now=None):
    """Scheduled sessions of a topic that trains, still to start, with their
    seats left: one query."""
    now = now or timezone.now()
    return list(
        Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__gt=now, topic__counts_as_training=True)
        .with_counts().select_related("topic").order_by("starts_at")[:SESSIONS_CONSIDERED]
    )


def next_session_for(volunteer, sessions, *, zone_id):
    """The session `volunteer` should be invited to among `sessions`
    (soonest first): in their language, in their zone before any other, with
    seats before without. None when none fits."""
    spoken = [session for session in sessions if _speaks(volunteer.language, session.language)]

    def rank(session):
        return (session.zone_id != zone_id, session.seats_left <= 0)

    return min(spoken, key=rank, default=None)


@dataclass
class FollowUpRow:
    volunteer: Volunteer
    first_name: str
    next_session: Session | None

    @property
    def accepts_invitations(self):
        return INVITE_KIND.value in (self.volunteer.message_kinds or [])


def follow_up_rows(zone, *, sessions=None, now=None):
    """[FollowUpRow] for the zone: two queries (one with `sessions` given)."""
    sessions = upcoming_sessions(now=now) if sessions is None else sessions
    return [
        FollowUpRow(volunteer=person, first_name=first_name(person.name),
                    next_session=next_session_for(person, sessions, zone_id=zone.pk))
        for person in follow_up_people(zone, now=now)
    ]


# --- Inviting ------------------------------------------------------------------------


def invitation_texts(session):
    """The invitation prefilled in both languages: the topic, day, time and
    the neighborhood (the exact address goes only to who registers), and
    the link to register."""
    texts = {}
    for language in (Language.ENGLISH, Language.SPANISH):
        with translation.override(language):
            when = formats.date_format(timezone.localtime(session.starts_at), "l j F, P")
            link = settings.SITE_URL.rstrip("/") + reverse("trainings:session", args=[session.pk])
            texts[language.value] = str(_(
                "A training near you: {topic}, {when}, {place} ({neighborhood}). Save your seat: {link}"
            )).format(topic=session.topic.name, when=when, place=session.location_name,
                      neighborhood=session.neighborhood, link=link)
    return texts


class FollowUpError(Exception):
    pass


def follow_up_invite(*, user, zone, volunteer_ids, session, texts, nonce):
    """Invite the chosen people of the follow-up list to `session`: one
    Batch (a message to a segment: the organizer's delivery report shows
    it), one message each through the worker, by their channel, in their
    language, to those who agreed to news and did not opt out. The same
    `nonce` (one form) sends once. Only people of the zone's list (signed up
    there, not trained) are reached, whatever ids were posted. Returns
    (batch, created)."""
    existing = SegmentSend.objects.filter(nonce=nonce).select_related("batch").first()
    if existing is not None:
        return existing.batch, False
    if not texts.get("en", "").strip() or not texts.get("es", "").strip():
        raise FollowUpError(_("Write the invitation in English and in Spanish."))
    ids = [int(pk) for pk in volunteer_ids if str(pk).isdigit()]
    people = Volunteer.objects.filter(pk__in=follow_up_people(zone).filter(pk__in=ids).values("pk"))
    if not ids:
        raise FollowUpError(_("Choose at least one person to invite."))
    segment = {"zones": [zone.pk], "follow_up_session": session.pk, "chosen": len(ids)}
    try:
        with transaction.atomic():
            batch = Batch.objects.create(
                text_en=texts["en"], text_es=texts["es"], kind=INVITE_KIND, segment=segment, created_by=user,
            )
            send = SegmentSend.objects.create(batch=batch, nonce=nonce)
            send.zones.set([zone])
            batch.recipients = messages_queue_many(
                people, kind=INVITE_KIND, key_prefix=f"follow-up:{batch.pk}", texts=texts, batch=batch,
            )
            batch.save(update_fields=["recipients"])
            AuditEntry.objects.create(
                actor=user, actor_name=user.get_username(), action=AuditEntry.Action.CREATE,
                model="messaging.batch", object_id=str(batch.pk), row_count=batch.recipients,
                detail=f"follow-up invitation, session {session.pk}, zone {zone.pk}",
            )
    except IntegrityError:
        return SegmentSend.objects.select_related("batch").get(nonce=nonce).batch, False
    return batch, True


# --- Revealing one person's contact ------------------------------------------------------


def follow_up_reveal(*, user, zone, volunteer_id):
    """One person's phone and email, for an organizer about to call them:
    only someone on the zone's follow-up list, and each reveal is written to
    the audit log (who saw whose contact, never the contact itself).
    Returns the Volunteer, or None when they are not on the list."""
    person = follow_up_people(zone).filter(pk=volunteer_id).first() if str(volunteer_id).isdigit() else None
    if person is None:
        return None
    person = Volunteer.objects.only("name", "phone", "email", "language", "block").get(pk=person.pk)
    AuditEntry.objects.create(
        actor=user, actor_name=user.get_username(), action=AuditEntry.Action.REVEAL,
        model="signups.volunteer", object_id=str(person.pk), subject=f"volunteer:{person.pk}", row_count=1,
        detail="contact revealed on the follow-up list",
    )
    return person
