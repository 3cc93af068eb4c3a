"""Canvassing: teams, the blocks they knock on, and what the doors said.

Counts only. A DoorTally is one block, one day, one team: how many doors were
knocked, answered and so on. Nothing here names a house number, a resident or
a single door; a lost phone or a seized laptop says how many doors answered on
a block, never which ones (DESIGN.md, block state).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from signups.models import Campaign, Volunteer
from zones.models import Block, Zone

# The tally's counters, in the order the phone and the paper packet show them.
TALLY_FIELDS = (
    "knocked",
    "answered",
    "not_home",
    "no_thanks",
    "flyer_left",
    "come_back",
    "signups_on_spot",
)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def day_name(day):
    """"saturday" for a Saturday: the CanvassTeam.Day of a date."""
    return WEEKDAYS[day.weekday()]


class CanvassTeamQuerySet(models.QuerySet):
    def on_day(self, day):
        """Teams that canvass on `day` (a date): their campaign runs then
        and their day is that weekday."""
        return self.filter(day=day_name(day), campaign__starts_on__lte=day, campaign__ends_on__gte=day)

    def for_canvasser(self, user):
        if user.is_superuser:
            return self
        return self.filter(canvassers=user)


class CanvassTeam(models.Model):
    """Volunteers who knock on the same blocks on one day of a campaign.

    Moved here from signups (canvass/0001, signups/0009: same table). zones
    reaches it only through Block.canvass_teams (the canvass packet lists
    the teams). `members` are the volunteers knocking (names for the packet);
    `canvassers` the staff accounts that log in to tally for the team."""

    class Day(models.TextChoices):
        # Translators: a canvass day; context keeps it apart from Django's
        # own weekday names, which are lower case in Spanish dates.
        SATURDAY = "saturday", pgettext_lazy("canvass day", "Saturday")
        SUNDAY = "sunday", pgettext_lazy("canvass day", "Sunday")
        # Weekday evenings too: a block the weekend missed, a follow-up.
        MONDAY = "monday", pgettext_lazy("canvass day", "Monday")
        TUESDAY = "tuesday", pgettext_lazy("canvass day", "Tuesday")
        WEDNESDAY = "wednesday", pgettext_lazy("canvass day", "Wednesday")
        THURSDAY = "thursday", pgettext_lazy("canvass day", "Thursday")
        FRIDAY = "friday", pgettext_lazy("canvass day", "Friday")

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        related_name="canvass_teams",
        on_delete=models.PROTECT,
    )
    name = models.CharField(_("team name"), max_length=100)
    day = models.CharField(pgettext_lazy("canvass", "day"), max_length=10, choices=Day)
    members = models.ManyToManyField(
        Volunteer, verbose_name=_("members"), related_name="canvass_teams", blank=True
    )
    blocks = models.ManyToManyField(
        Block, verbose_name=_("blocks"), related_name="canvass_teams", blank=True
    )
    # The zone whose organizers see the team even before it has blocks: a
    # team saved with none vanished from its own organizer's list, since
    # only its blocks tied it to a zone. Its members' names stay in zone.
    zone = models.ForeignKey(
        Zone,
        verbose_name=_("zone"),
        related_name="canvass_teams",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    canvassers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("canvassers"),
        related_name="canvass_teams",
        blank=True,
        # They log in to tally: staff accounts, with a second factor.
        limit_choices_to={"is_staff": True},
        help_text=_("Staff accounts in the Canvasser group who tally for this team on their phones."),
    )
    notes = models.TextField(_("organizer notes"), blank=True)

    objects = CanvassTeamQuerySet.as_manager()

    class Meta:
        # The table keeps the name it had in signups: moving the model
        # moved no row (SeparateDatabaseAndState).
        db_table = "signups_canvassteam"
        verbose_name = _("canvass team")
        verbose_name_plural = _("canvass teams")
        ordering = ["campaign", "day", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "day", "name"], name="canvass_team_unique_name_per_day"
            )
        ]

    def __str__(self):
        return _("{name} ({day})").format(name=self.name, day=self.get_day_display())


class DoorTally(models.Model):
    """What one team's doors said on one block on one day: counts only."""

    block = models.ForeignKey(
        Block, verbose_name=_("block"), related_name="door_tallies", on_delete=models.PROTECT
    )
    team = models.ForeignKey(
        CanvassTeam, verbose_name=_("canvass team"), related_name="door_tallies", on_delete=models.PROTECT
    )
    day = models.DateField(pgettext_lazy("canvass", "day"))
    knocked = models.PositiveIntegerField(pgettext_lazy("canvass tally", "Doors knocked"), default=0)
    answered = models.PositiveIntegerField(pgettext_lazy("canvass tally", "Answered"), default=0)
    not_home = models.PositiveIntegerField(pgettext_lazy("canvass tally", "Not home"), default=0)
    no_thanks = models.PositiveIntegerField(pgettext_lazy("canvass tally", "No thanks"), default=0)
    flyer_left = models.PositiveIntegerField(pgettext_lazy("canvass tally", "Flyer left"), default=0)
    come_back = models.PositiveIntegerField(pgettext_lazy("canvass tally", "Come back later"), default=0)
    signups_on_spot = models.PositiveIntegerField(
        pgettext_lazy("canvass tally", "Signed up on the spot"), default=0
    )
    note = models.TextField(
        _("note for organizers"),
        blank=True,
        help_text=_("About the block, never about a person or a house."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("door tally")
        verbose_name_plural = _("door tallies")
        ordering = ["-day", "block"]
        constraints = [
            models.UniqueConstraint(fields=["block", "team", "day"], name="door_tally_one_per_block_team_day")
        ]

    def __str__(self):
        return _("{block}, {team}, {day}").format(block=self.block, team=self.team.name, day=self.day)


class TallyIncrement(models.Model):
    """One tap, applied once. The phone makes the id, so a tap sent again
    after a lost answer (or replayed from the offline queue) finds its row
    and changes nothing. Holds a counter name and +1/-1, nothing about the
    door."""

    id = models.UUIDField(primary_key=True, editable=False)
    tally = models.ForeignKey(DoorTally, related_name="increments", on_delete=models.CASCADE)
    # "note": a note for organizers was added (its text is on the tally).
    field = models.CharField(max_length=20, choices=[(name, name) for name in (*TALLY_FIELDS, "note")])
    delta = models.SmallIntegerField()
    made_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("tally increment")
        verbose_name_plural = _("tally increments")
        constraints = [
            models.CheckConstraint(
                condition=(Q(field="note", delta=0) | (~Q(field="note") & Q(delta__in=[-1, 1]))),
                name="tally_increment_is_one_tap_or_a_note",
            ),
        ]


class BlockClaimQuerySet(models.QuerySet):
    def active(self, *, now=None):
        return self.filter(expires_at__gt=now or timezone.now())


class BlockClaim(models.Model):
    """A team took a block nobody was assigned, for one day. It lapses
    CANVASS_CLAIM_HOURS after the last tally, so a block a team walked away
    from goes back to everyone."""

    block = models.ForeignKey(Block, verbose_name=_("block"), related_name="canvass_claims", on_delete=models.CASCADE)
    team = models.ForeignKey(
        CanvassTeam, verbose_name=_("canvass team"), related_name="claims", on_delete=models.CASCADE
    )
    day = models.DateField(pgettext_lazy("canvass", "day"))
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("claimed by"), null=True, related_name="+", on_delete=models.SET_NULL
    )
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))

    objects = BlockClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("block claim")
        verbose_name_plural = _("block claims")
        # One row per block and day; a lapsed claim is taken over in place.
        constraints = [models.UniqueConstraint(fields=["block", "day"], name="block_claim_one_per_block_day")]

    def __str__(self):
        return _("{block}: {team}").format(block=self.block, team=self.team.name)

    def is_active(self, *, now=None):
        return self.expires_at > (now or timezone.now())


def claim_duration():
    return datetime.timedelta(hours=settings.CANVASS_CLAIM_HOURS)


class BlockPauseQuerySet(models.QuerySet):
    def active(self, *, now=None):
        return self.filter(lifted_at__isnull=True, ends_at__gt=now or timezone.now())


class BlockPause(models.Model):
    """A block taken off every canvass list for safety (enforcement activity
    nearby, say). Records when and who paused or lifted it, nothing about
    the residents or what was seen."""

    block = models.ForeignKey(Block, verbose_name=_("block"), related_name="canvass_pauses", on_delete=models.CASCADE)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("paused by"), null=True, related_name="+", on_delete=models.SET_NULL
    )
    started_at = models.DateTimeField(_("paused at"), default=timezone.now)
    ends_at = models.DateTimeField(_("pause ends at"))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lifted by"), null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )

    objects = BlockPauseQuerySet.as_manager()

    class Meta:
        verbose_name = _("block pause")
        verbose_name_plural = _("block pauses")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["block", "ends_at"])]

    def __str__(self):
        return str(self.block)

    def is_active(self, *, now=None):
        return self.lifted_at is None and self.ends_at > (now or timezone.now())


def pause_duration():
    return datetime.timedelta(hours=settings.BLOCK_PAUSE_HOURS)


# A zone's daily progress (the charts' memory) lives with its service;
# imported here so Django sees the model.
from canvass.snapshots import ZoneSnapshot  # noqa: E402, F401
