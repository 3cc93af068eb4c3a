"""A zone's progress, once a day: blocks per state, sign-ups, trained
neighbors, doors knocked. Sign-ups and doors could be counted again for any
past day from their rows, but which blocks had a trained neighbor on a past
day cannot (trainings lapse, people move and are forgotten): the snapshot is
the chart's memory.

Taken by `manage.py canvass_snapshot` (cron or the systemd timer, daily), or
through the worker (`zone_snapshots_task`). Taking it twice on one day
rewrites that day's row: one row per zone and day, whatever the retries.
"""

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zones.models import Zone

# Snapshot field for each block state (canvass.states.BlockState).
STATE_FIELDS = {
    "not_visited": "blocks_not_visited",
    "visited": "blocks_visited",
    "signups": "blocks_with_signups",
    "refresher": "blocks_needing_refresher",
    "trained": "blocks_with_trained",
    "at_target": "blocks_at_target",
    "paused": "blocks_paused",
}


class ZoneSnapshot(models.Model):
    zone = models.ForeignKey(Zone, verbose_name=_("zone"), related_name="canvass_snapshots", on_delete=models.CASCADE)
    day = models.DateField(pgettext_lazy("canvass", "day"))
    blocks = models.PositiveIntegerField(_("blocks"), default=0)
    blocks_not_visited = models.PositiveIntegerField(_("not visited"), default=0)
    blocks_visited = models.PositiveIntegerField(_("visited, no sign-up yet"), default=0)
    blocks_with_signups = models.PositiveIntegerField(_("with sign-ups, no one trained"), default=0)
    blocks_needing_refresher = models.PositiveIntegerField(_("needing a refresher"), default=0)
    # Below the target: the chart adds at_target to it for "with a trained neighbor".
    blocks_with_trained = models.PositiveIntegerField(_("with a trained neighbor, below target"), default=0)
    blocks_at_target = models.PositiveIntegerField(_("at target"), default=0)
    blocks_paused = models.PositiveIntegerField(_("paused"), default=0)
    target_per_block = models.PositiveSmallIntegerField(_("target of trained neighbors per block"), default=2)
    signups = models.PositiveIntegerField(_("sign-ups"), default=0)
    trained = models.PositiveIntegerField(_("trained neighbors"), default=0)
    doors_knocked = models.PositiveIntegerField(_("doors knocked"), default=0)
    doors_answered = models.PositiveIntegerField(_("doors answered"), default=0)
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)

    class Meta:
        app_label = "canvass"
        verbose_name = _("zone progress snapshot")
        # The admin index entry of the dashboard (canvass.progress_admin).
        verbose_name_plural = _("zone progress")
        ordering = ["zone", "day"]
        constraints = [models.UniqueConstraint(fields=["zone", "day"], name="zone_snapshot_one_per_zone_day")]

    def __str__(self):
        return f"{self.zone} · {self.day}"

    @property
    def blocks_with_a_trained_neighbor(self):
        return self.blocks_with_trained + self.blocks_at_target


def zone_snapshots_take(*, day=None, now=None, zones=None):
    """Write today's (or `day`'s) snapshot of every zone that is not merely
    planned; the same day again rewrites it. Returns the number of zones."""
    from canvass.states import zone_funnels

    now = now or timezone.now()
    day = day or timezone.localdate(now)
    zones = list(zones if zones is not None else Zone.objects.exclude(status=Zone.Status.PLANNED))
    funnels = zone_funnels(zones, now=now)
    with transaction.atomic():
        for zone in zones:
            funnel = funnels[zone.pk]
            values = {STATE_FIELDS[state]: count for state, count in funnel.by_state.items()}
            ZoneSnapshot.objects.update_or_create(
                zone=zone, day=day,
                defaults={
                    **values, "blocks": funnel.blocks, "target_per_block": zone.target_per_block,
                    "signups": funnel.signups, "trained": funnel.trained,
                    "doors_knocked": funnel.doors_knocked, "doors_answered": funnel.doors_answered,
                    "taken_at": now,
                },
            )
    return len(zones)
