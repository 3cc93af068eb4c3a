"""bin/backup-database and bin/restore-check against the test database: a
backup restores with every table and row, old backups are pruned, and the
check fails loudly on a damaged dump, lost rows or no backup at all."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from signups.tests.factories import VolunteerFactory
from trainings.tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("The backup scripts use pg_dump; the SQLite fallback has no PostgreSQL to dump.")


def _run(script, *args):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/tmp", "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, str(ROOT / "bin" / script), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


def _dumps(folder):
    return sorted(folder.glob("resistance-zone-*.dump"))


@pytest.fixture
def people():
    RegistrationFactory.create_batch(3)
    VolunteerFactory.create_batch(2)


def test_a_backup_restores_with_every_table_and_row(tmp_path, people):
    backup = _run("backup-database", "--dir", str(tmp_path))
    assert backup.returncode == 0, backup.stderr
    (dump,) = _dumps(tmp_path)
    counts = json.loads(dump.with_name(dump.name + ".counts.json").read_text())["tables"]
    assert counts["public.signups_volunteer"] == 5
    assert counts["public.trainings_registration"] == 3

    check = _run("restore-check", "--dir", str(tmp_path))

    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith(f"restore-check: ok: {dump.name} restores")


def test_backups_are_readable_by_their_owner_only(tmp_path, people):
    _run("backup-database", "--dir", str(tmp_path))
    for path in tmp_path.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_only_the_newest_backups_are_kept(tmp_path, people):
    for _ in range(3):
        assert _run("backup-database", "--dir", str(tmp_path), "--keep", "2").returncode == 0
    dumps = _dumps(tmp_path)
    assert len(dumps) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [d.name for d in dumps] + [d.name + ".counts.json" for d in dumps]
    )


def test_a_truncated_dump_fails_the_check_and_leaves_no_scratch_database(tmp_path, people):
    _run("backup-database", "--dir", str(tmp_path))
    (dump,) = _dumps(tmp_path)
    data = dump.read_bytes()
    dump.write_bytes(data[: len(data) // 2])

    check = _run("restore-check", "--dir", str(tmp_path))

    assert check.returncode != 0
    assert "FAILED: pg_restore could not restore" in check.stderr
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE %s", [f"{connection.settings_dict['NAME']}_restore_check_%"])
        assert cursor.fetchone()[0] == 0


def test_a_restore_missing_rows_fails_the_check(tmp_path, people):
    _run("backup-database", "--dir", str(tmp_path))
    (dump,) = _dumps(tmp_path)
    counts_file = dump.with_name(dump.name + ".counts.json")
    saved = json.loads(counts_file.read_text())
    # The source had one more volunteer than the dump gives back.
    saved["tables"]["public.signups_volunteer"] += 1
    counts_file.write_text(json.dumps(saved))

    check = _run("restore-check", "--dir", str(tmp_path))

    assert check.returncode != 0
    assert "table public.signups_volunteer has 5 rows, expected 6" in check.stderr


def test_a_dump_made_by_hand_is_compared_with_the_source(tmp_path, people):
    _run("backup-database", "--dir", str(tmp_path))
    (dump,) = _dumps(tmp_path)
    dump.with_name(dump.name + ".counts.json").unlink()
    assert _run("restore-check", "--file", str(dump)).returncode == 0

    VolunteerFactory()  # the site took a sign-up after the dump

    check = _run("restore-check", "--file", str(dump))
    assert check.returncode != 0
    assert "table public.signups_volunteer has 5 rows, expected 6" in check.stderr


def test_no_backup_at_all_fails_the_check(tmp_path):
    check = _run("restore-check", "--dir", str(tmp_path))
    assert check.returncode != 0
    assert "no backup in" in check.stderr
