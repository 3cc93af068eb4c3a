import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from zones.importing import SKIP_REASONS, ImportFileError, load_features, zones_import


class Command(BaseCommand):
    help = (
        "Import named polygons (GeoJSON; the name from NAME, name or LISTNAME) as zones "
        "with their boundary, and put in each zone the blocks lying mostly inside it. "
        "Blocks already in another zone stay there unless --reassign. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="GeoJSON FeatureCollection of Polygons/MultiPolygons")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, write nothing"
        )
        parser.add_argument(
            "--reassign", action="store_true",
            help="also move blocks that are already in another zone",
        )

    def handle(self, *args, file, dry_run, reassign, **options):
        try:
            features = load_features(file)
        except ImportFileError as exc:
            raise CommandError(str(exc.message)) from exc
        report = zones_import(
            features=features,
            dry_run=dry_run,
            reassign=reassign,
            progress=lambda items: tqdm(
                items, desc="Polygons", unit=" features", file=sys.stderr,
                disable=not sys.stderr.isatty(),
            ),
        )
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{report.features} features; zones: {report.zones_created} created, "
            f"{report.zones_updated} updated, {report.zones_unchanged} unchanged; "
            f"{report.blocks_assigned} blocks assigned, "
            f"{report.blocks_in_other_zones} left in another zone."
        )
        for reason, count in sorted(report.skipped.items()):
            self.stdout.write(f"  skipped {count}: {SKIP_REASONS[reason]}")
