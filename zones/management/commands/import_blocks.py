from django.core.management.base import BaseCommand, CommandError

from zones.importing import blocks_import
from zones.management.commands._importing import features_from, terminal_progress, write_skipped
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
        features = features_from(file)
        report = blocks_import(
            features=features,
            zone=zone_obj,
            dry_run=dry_run,
            progress=terminal_progress("Segments"),
        )
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{report.features} features, {report.segments} segments used; "
            f"blocks: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged."
        )
        write_skipped(self, report)
