"""What the two import commands share: reading the file and a progress bar."""

import sys

from django.core.management.base import CommandError
from tqdm import tqdm

from zones.importing import SKIP_REASONS, ImportFileError, load_features


def features_from(path):
    try:
        return load_features(path)
    except ImportFileError as exc:
        raise CommandError(str(exc.message)) from exc


def terminal_progress(description):
    """A progress bar on the terminal; silent when stderr is not one (cron, CI)."""
    return lambda items: tqdm(
        items, desc=description, unit=" features", file=sys.stderr, disable=not sys.stderr.isatty()
    )


def write_skipped(command, report):
    for reason, count in sorted(report.skipped.items()):
        command.stdout.write(f"  skipped {count}: {SKIP_REASONS[reason]}")
