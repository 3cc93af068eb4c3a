import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from zones.importing import SKIP_REASONS, ImportFileError, blocks_import, load_features
from zones.models import Zone


class Command(BaseCommand):
    help = (
        "Import street centerline segments (GeoJSON, the City's schema in upper or "
        "lower case) as blocks: one block per street and hundred, segments merged, "
        "cross streets derived. Safe to run again: it updates and never duplicates. "
        "Features without a name, a hundred or a line are skipped and counted."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="GeoJSON FeatureCollection of LineStrings")
        parser.add_argument("--zone", metavar="SLUG", help="put every imported block in this zone")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, write nothing"
        )

    def handle(self, *args, file, zone, dry_run, **options):
        zone_obj = None
        if zone:
            zone_obj = Zone.objects.filter(slug=zone).first()
            if zone_obj is None:
                raise CommandError(f"No zone with the slug {zone!r}. Create it in the admin first.")
        try:
            features = load_features(file)
        except ImportFileError as exc:
            raise CommandError(str(exc.message)) from exc
        report = blocks_import(
            features=features,
            zone=zone_obj,
            dry_run=dry_run,
            progress=lambda items: tqdm(
                items, desc="Segments", unit=" features", file=sys.stderr,
                disable=not sys.stderr.isatty(),
            ),
        )
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{report.features} features, {report.segments} segments used; "
            f"blocks: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged."
        )
        for reason, count in sorted(report.skipped.items()):
            self.stdout.write(f"  skipped {count}: {SKIP_REASONS[reason]}")
