"""Canvassing rules: which blocks a canvasser works today, taps on a tally,
claims and pauses. Views, the admin and commands call these, so each rule
exists once."""

import datetime
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from canvass.models import (
    TALLY_FIELDS,
    BlockClaim,
    BlockPause,
    CanvassTeam,
    DoorTally,
    TallyIncrement,
    claim_duration,
    pause_duration,
)
from canvass.taps import tap_counted, tap_counted_in_one_statement, tap_rights
from signups.models import Volunteer
from zones.models import Block

NOTE_MAX_LENGTH = 1000


class CanvassError(Exception):
    """A refusal, with a message in the active language and a stable code."""

    def __init__(self, message, code):
        super().__init__(message)
        self.message = message
        self.code = code


def teams_of_today(*, user, day):
    """The canvasser's teams that canvass on `day`."""
    return CanvassTeam.objects.on_day(day).for_canvasser(user)


def canvasser_blocks(*, user, day, now=None):
    """[(block, team)] a canvasser works on `day`: the blocks of their teams
    of the day and the blocks those teams claimed, without paused blocks.
    Three queries whatever the number of blocks."""
    now = now or timezone.now()
    teams = {team.pk: team for team in teams_of_today(user=user, day=day).select_related("zone")}
    if not teams:
        return []
    paused = BlockPause.objects.active(now=now).values("block_id")
    assigned = (
        CanvassTeam.blocks.through.objects.filter(canvassteam_id__in=teams)
        .exclude(block_id__in=paused)
        .values_list("block_id", "canvassteam_id")
    )
    claimed = (
        BlockClaim.objects.active(now=now)
        .filter(team_id__in=teams, day=day)
        .exclude(block_id__in=paused)
        .values_list("block_id", "team_id")
    )
    pairs = sorted(set(assigned) | set(claimed))
    blocks = Block.objects.select_related("zone").in_bulk({block_id for block_id, _team in pairs})
    return [(blocks[block_id], teams[team_id]) for block_id, team_id in pairs if block_id in blocks]


def claimable_blocks(*, user, day, now=None):
    """Blocks of the zones of the canvasser's teams of the day that no team
    has for the day (assigned or claimed) and that are not paused."""
    now = now or timezone.now()
    teams = teams_of_today(user=user, day=day)
    zone_ids = set(teams.exclude(zone=None).values_list("zone_id", flat=True)) | set(
        CanvassTeam.blocks.through.objects.filter(canvassteam__in=teams).values_list("block__zone_id", flat=True)
    )
    zone_ids.discard(None)
    if not zone_ids:
        return Block.objects.none()
    teams_of_the_day = CanvassTeam.objects.on_day(day)
    return (
        Block.objects.filter(zone_id__in=zone_ids)
        .exclude(canvass_teams__in=teams_of_the_day)
        .exclude(pk__in=BlockClaim.objects.active(now=now).filter(day=day).values("block_id"))
        .exclude(pk__in=BlockPause.objects.active(now=now).values("block_id"))
        .select_related("zone")
        .order_by("street", "hundred")
    )


def _team_block_of_today(*, user, block_id, team_id, day):
    """Whether the block is the team's by a claim, for a block the canvasser
    may tally, or a refusal: only a canvasser (code "not_canvasser", which
    the views answer with 403), on a team of theirs of the day, on a block
    assigned to it or claimed by it; a pause does not refuse taps already
    made at the door. One query (canvass.taps)."""
    rights = tap_rights(user=user, block_id=block_id, team_id=team_id, day=day)
    if not rights.canvasser:
        # Never shown: the views answer this code with 403.
        raise CanvassError(gettext("This team is not yours today."), "not_canvasser")
    if not rights.team_of_today:
        raise CanvassError(gettext("This team is not yours today."), "not_your_team")
    if not (rights.assigned or rights.claimed):
        raise CanvassError(gettext("This block is not one of your team's blocks today."), "not_your_block")
    return rights.claimed


def _tally_of(*, block_id, team_id, day):
    try:
        return DoorTally.objects.get(block_id=block_id, team_id=team_id, day=day)
    except DoorTally.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            return DoorTally.objects.create(block_id=block_id, team_id=team_id, day=day)
    except IntegrityError:
        # Another phone of the team made it a moment ago.
        return DoorTally.objects.get(block_id=block_id, team_id=team_id, day=day)


def _applied_once(*, increment_id, tally, field, delta, made_at, user, claimed, now, change):
    """Record the increment, then `change()` the tally, in one transaction;
    False when the id was already applied. The increment goes first: a
    replay fails on its primary key before touching any count, and with
    nothing done yet the transaction needs no savepoint (one round trip
    fewer for every tap)."""
    try:
        with transaction.atomic():
            TallyIncrement.objects.create(
                id=increment_id, tally=tally, field=field, delta=delta, made_at=made_at, made_by=user
            )
            change()
            if claimed:
                _claim_extend(block_id=tally.block_id, team_id=tally.team_id, day=tally.day, now=now)
    except IntegrityError:
        return False
    return True


def _parse_id(value):
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise CanvassError(gettext("This tap could not be read. Reload the page."), "bad_id") from None


def _made_at(value, now):
    """The phone's time of the tap, within reason (a phone clock may be
    wrong; the tally's day is the server's)."""
    if isinstance(value, datetime.datetime):
        made = value
    else:
        try:
            made = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return now
    if timezone.is_naive(made):
        made = timezone.make_aware(made)
    return made if now - datetime.timedelta(days=2) <= made <= now + datetime.timedelta(minutes=5) else now


def tally_increment(*, user, block_id, team_id, field, delta, increment_id, made_at=None, day=None, now=None):
    """Add `delta` (+1 or -1) to one counter of the team's tally of the block
    for `day` (today). Applied once per `increment_id` (made by the phone): a
    replay answers with the tally unchanged. Counts never go below zero.
    Refuses (CanvassError) a counter that does not exist, a team or block
    that is not the canvasser's today, and anyone not a canvasser. A tally
    keeps the team's claim of the block alive. Returns (tally, applied).

    One statement on PostgreSQL (canvass.taps): the rights checked, the
    tap recorded and counted. SQLite (the demo) writes through the ORM."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    if field not in TALLY_FIELDS:
        raise CanvassError(gettext("There is no such box on the tally."), "bad_field")
    try:
        delta = int(delta)
    except (TypeError, ValueError):
        delta = 0
    if delta not in (1, -1):
        raise CanvassError(gettext("A tap adds or takes away one."), "bad_delta")
    increment_id = _parse_id(increment_id)
    made_at = _made_at(made_at, now)
    if tap_counted_in_one_statement():
        # The common tap: one statement (canvass.taps). When it wrote
        # nothing, the rights say why, or the day's first tap on the block
        # makes its tally and is sent again.
        tap = {"user": user, "block_id": block_id, "team_id": team_id, "day": day, "field": field,
               "delta": delta, "increment_id": increment_id, "made_at": made_at, "now": now,
               "claim_until": now + claim_duration()}
        counted = tap_counted(**tap)
        if counted is None:
            _team_block_of_today(user=user, block_id=block_id, team_id=team_id, day=day)
            _tally_of(block_id=block_id, team_id=team_id, day=day)
            counted = tap_counted(**tap)
        if counted is None:  # taken off the team this very moment
            raise CanvassError(gettext("This team is not yours today."), "not_your_team")
        columns, applied = counted
        return DoorTally(**columns), applied
    claimed = _team_block_of_today(user=user, block_id=block_id, team_id=team_id, day=day)
    tally = _tally_of(block_id=block_id, team_id=team_id, day=day)

    def add():
        # F(): two phones tapping the same block add up; neither overwrites
        # the other's count.
        DoorTally.objects.filter(pk=tally.pk).update(**{field: Greatest(F(field) + delta, 0)}, updated_at=now)

    applied = _applied_once(
        increment_id=increment_id, tally=tally, field=field, delta=delta, made_at=made_at,
        user=user, claimed=claimed, now=now, change=add,
    )
    tally.refresh_from_db()
    return tally, applied


def tally_note_add(*, user, block_id, team_id, note, increment_id, made_at=None, day=None, now=None):
    """Add a note for organizers to the team's tally of the block: appended,
    so two canvassers' notes both stay. Once per `increment_id`."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    note = " ".join(str(note or "").split())
    if not note:
        raise CanvassError(gettext("Write the note first."), "empty_note")
    if len(note) > NOTE_MAX_LENGTH:
        raise CanvassError(
            gettext("Keep the note under {count} characters.").format(count=NOTE_MAX_LENGTH), "long_note"
        )
    increment_id = _parse_id(increment_id)
    claimed = _team_block_of_today(user=user, block_id=block_id, team_id=team_id, day=day)
    tally = _tally_of(block_id=block_id, team_id=team_id, day=day)

    def append():
        # Locked: two notes arriving at once must both be kept.
        locked = DoorTally.objects.select_for_update().get(pk=tally.pk)
        locked.note = f"{locked.note}\n{note}".strip()
        locked.save(update_fields=["note", "updated_at"])

    applied = _applied_once(
        increment_id=increment_id, tally=tally, field="note", delta=0, made_at=_made_at(made_at, now),
        user=user, claimed=claimed, now=now, change=append,
    )
    tally.refresh_from_db()
    return tally, applied


def _claim_extend(*, block_id, team_id, day, now):
    BlockClaim.objects.filter(block_id=block_id, team_id=team_id, day=day).update(
        expires_at=now + claim_duration()
    )


def block_claim(*, user, block_id, team_id, day=None, now=None):
    """The team takes an unassigned, unpaused block of its zone for `day`,
    for CANVASS_CLAIM_HOURS (extended by each tally). A lapsed claim of
    another team is taken over; a live one refuses (code "claimed")."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    team = teams_of_today(user=user, day=day).filter(pk=team_id).first()
    if team is None:
        raise CanvassError(gettext("This team is not yours today."), "not_your_team")
    if not claimable_blocks(user=user, day=day, now=now).filter(pk=block_id).exists():
        existing = BlockClaim.objects.active(now=now).filter(block_id=block_id, day=day, team=team).first()
        if existing is not None:
            return existing
        raise CanvassError(gettext("Another team has this block today, or it is paused."), "claimed")
    with transaction.atomic():
        claim = BlockClaim.objects.select_for_update().filter(block_id=block_id, day=day).first()
        if claim is not None and claim.is_active(now=now) and claim.team_id != team.pk:
            raise CanvassError(gettext("Another team has this block today, or it is paused."), "claimed")
        if claim is None:
            try:
                with transaction.atomic():
                    return BlockClaim.objects.create(
                        block_id=block_id, team=team, day=day, claimed_by=user,
                        claimed_at=now, expires_at=now + claim_duration(),
                    )
            except IntegrityError:
                raise CanvassError(
                    gettext("Another team has this block today, or it is paused."), "claimed"
                ) from None
        claim.team = team
        claim.claimed_by = user
        claim.claimed_at = now
        claim.expires_at = now + claim_duration()
        claim.save(update_fields=["team", "claimed_by", "claimed_at", "expires_at"])
        return claim


def block_pause(*, block, by, now=None):
    """Take `block` off every canvass list for BLOCK_PAUSE_HOURS and tell
    its zone's organizers (an email each, through the worker). A block
    already paused keeps its pause; returns (pause, created)."""
    from messaging.outbox import staff_notify

    now = now or timezone.now()
    with transaction.atomic():
        # Locked: two canvassers pausing at once make one pause, one notice.
        Block.objects.select_for_update().filter(pk=block.pk).first()
        current = BlockPause.objects.active(now=now).filter(block=block).first()
        if current is not None:
            return current, False
        pause = BlockPause.objects.create(block=block, paused_by=by, started_at=now, ends_at=now + pause_duration())
        organizers = block.zone.organizers.filter(is_active=True) if block.zone_id else []
        staff_notify(
            organizers,
            key=f"block-paused:{pause.pk}",
            template="canvass/block_paused",
            # Names render in each organizer's language; nothing about who
            # was seen or why, only the block and the time.
            context={"block": block, "zone": block.zone, "ends_at": pause.ends_at,
                     "hours": settings.BLOCK_PAUSE_HOURS,
                     "url": settings.SITE_URL.rstrip("/") + reverse("admin:canvass_blockpause_change", args=[pause.pk])},
        )
        return pause, True


def block_pause_lift(*, pause, by, now=None):
    """End a pause before its time (an organizer's call)."""
    now = now or timezone.now()
    if not pause.is_active(now=now):
        return pause
    pause.lifted_at = now
    pause.lifted_by = by
    pause.save(update_fields=["lifted_at", "lifted_by"])
    return pause


def tallies_for(pairs, *, day):
    """{(block_id, team_id): DoorTally} for the (block, team) pairs, one query."""
    block_ids = {block.pk for block, _team in pairs}
    team_ids = {team.pk for _block, team in pairs}
    tallies = DoorTally.objects.filter(day=day, block_id__in=block_ids, team_id__in=team_ids)
    return {(t.block_id, t.team_id): t for t in tallies}


def qr_signups_for(block_ids, *, day):
    """{block_id: count} of people who signed up through the public form for
    a block on `day` (its packet's QR code gives the form the block): counted
    from the sign-ups themselves, so nothing about them enters the tally."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    rows = (
        Volunteer.objects.filter(
            block_id__in=block_ids, source=Volunteer.Source.FORM, created_at__gte=start, created_at__lt=end
        )
        .values("block_id")
        .annotate(n=Count("pk"))
    )
    return {row["block_id"]: row["n"] for row in rows}
