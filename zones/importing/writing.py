"""Writing an import: compare what was merged with what is stored, then
create and update in one transaction with bulk operations (a few queries
whatever the number of features), so a failure leaves the database as it was
and a second run changes nothing."""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from pagecache.pages import generation_bump
from zones.importing.merging import block_moves, block_values
from zones.importing.parsing import street_segments, zone_polygons
from zones.models import Block, Zone


@dataclass
class BlockImportReport:
    features: int = 0
    segments: int = 0
    skipped: Counter = field(default_factory=Counter)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False

    @property
    def blocks(self):
        return self.created + self.updated + self.unchanged


@dataclass
class ZoneImportReport:
    features: int = 0
    skipped: Counter = field(default_factory=Counter)
    zones_created: int = 0
    zones_updated: int = 0
    zones_unchanged: int = 0
    blocks_assigned: int = 0
    blocks_in_other_zones: int = 0
    dry_run: bool = False


def blocks_import(*, features, zone=None, dry_run=False, progress=None):
    """Create or update one Block per (street, hundred) found in `features`
    (GeoJSON features of street centerline segments).

    - Segments of the same hundred-block are merged into one geometry.
    - Cross streets come from the named streets whose segments touch the
      block's two ends; a value found replaces the stored one, none found
      keeps what an organizer may have typed.
    - With `zone`, every imported block is put in that zone.
    - Features that cannot be used are skipped and counted by reason
      (SKIP_REASONS); they never stop the import.
    - `dry_run` computes the same report and writes nothing.
    - `progress` wraps the feature iterable (a tqdm bar, say).

    All writes happen in one transaction: it all lands or none of it.
    Returns a BlockImportReport.
    """
    report = BlockImportReport(features=len(features), dry_run=dry_run)
    wanted = block_values(*street_segments(features, report, progress))

    existing = {
        (block.street, block.hundred): block
        for block in Block.objects.filter(street__in={street for street, _h in wanted})
    }
    to_create, to_update = [], []
    for key, values in wanted.items():
        block = existing.get(key)
        if block is None:
            to_create.append(Block(street=key[0], hundred=key[1], zone=zone, **values))
            continue
        changed = False
        for name, value in values.items():
            if name != "geometry" and not value:
                continue
            if getattr(block, name) != value:
                setattr(block, name, value)
                changed = True
        if zone is not None and block.zone_id != zone.pk:
            block.zone = zone
            changed = True
        if changed:
            to_update.append(block)
        else:
            report.unchanged += 1
    report.created = len(to_create)
    report.updated = len(to_update)

    if not dry_run:
        with transaction.atomic():
            Block.objects.bulk_create(to_create, batch_size=500)
            Block.objects.bulk_update(
                to_update, ["geometry", "from_street", "to_street", "zone"], batch_size=500
            )
            # Bulk writes send no signals: the map must still redraw.
            generation_bump("coverage")
    return report


def zones_import(*, features, dry_run=False, reassign=False, progress=None):
    """Create or update one Zone per named polygon (NAME, name or LISTNAME)
    in `features`, keyed by the slug of its name, and store its boundary.

    Blocks whose line lies mostly inside a zone's polygon (more than half its
    length) join that zone. A block already in another zone stays there
    (an organizer put it there) unless `reassign`. Names and status of an
    existing zone are left as organizers edited them.

    One transaction; `dry_run` writes nothing. Returns a ZoneImportReport.
    """
    report = ZoneImportReport(features=len(features), dry_run=dry_run)
    polygons = zone_polygons(features, report, progress)

    existing = {zone.slug: zone for zone in Zone.objects.filter(slug__in=list(polygons))}
    to_create, to_update = [], []
    for slug, (name, geometry, _polygon_shape) in polygons.items():
        zone = existing.get(slug)
        if zone is None:
            to_create.append(Zone(slug=slug, name_en=name, name_es=name, boundary=geometry))
        elif zone.boundary != geometry:
            zone.boundary = geometry
            to_update.append(zone)
        else:
            report.zones_unchanged += 1
    report.zones_created = len(to_create)
    report.zones_updated = len(to_update)
    moves = block_moves(polygons, existing, reassign=reassign, report=report)
    report.blocks_assigned = sum(len(moved) for moved in moves.values())

    if not dry_run:
        with transaction.atomic():
            Zone.objects.bulk_create(to_create)
            Zone.objects.bulk_update(to_update, ["boundary"])
            zone_ids = dict(Zone.objects.filter(slug__in=list(moves)).values_list("slug", "id"))
            for slug, moved in moves.items():
                Block.objects.filter(pk__in=[block.pk for block in moved]).update(
                    zone_id=zone_ids[slug]
                )
            generation_bump("coverage", "trainings")
    return report
