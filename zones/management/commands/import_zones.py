from django.core.management.base import BaseCommand

from zones.importing import zones_import
from zones.management.commands._importing import features_from, terminal_progress, write_skipped


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
        features = features_from(file)
        report = zones_import(
            features=features,
            dry_run=dry_run,
            reassign=reassign,
            progress=terminal_progress("Polygons"),
        )
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{report.features} features; zones: {report.zones_created} created, "
            f"{report.zones_updated} updated, {report.zones_unchanged} unchanged; "
            f"{report.blocks_assigned} blocks assigned, "
            f"{report.blocks_in_other_zones} left in another zone."
        )
        write_skipped(self, report)
