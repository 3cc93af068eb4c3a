from django.core.management.base import BaseCommand

from canvass.snapshots import zone_snapshots_take


class Command(BaseCommand):
    help = (
        "Take today's progress snapshot of every zone (blocks per state, sign-ups, "
        "trained neighbors, doors knocked) for the charts. Run it daily from cron or "
        "the systemd timer, late in the evening; running it again the same day "
        "rewrites that day's snapshot. --queue hands it to the worker instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="store_true", help="Queue the snapshot for the worker.")

    def handle(self, *args, queue=False, **options):
        if queue:
            from canvass.tasks import zone_snapshots_task

            zone_snapshots_task.enqueue()
            self.stdout.write("Snapshot queued for the worker.")
            return
        zones = zone_snapshots_take()
        self.stdout.write(f"Zones snapshotted: {zones}")
