"""Neighbors signing up at the same moment, with the same phone (a double
tap, two people sharing a number), make one volunteer and no error: on
PostgreSQL (production) and on the SQLite file of the demo, where writers
must wait their turn instead of failing with "database is locked"."""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from signups.models import Volunteer
from signups.tests.helpers import join_data
from tests.races import require_postgresql

SIGNUPS = 8


def identical_signups(count):
    """Post the same sign-up `count` times at once, each from its own
    thread and database connection. Returns (status codes, errors)."""
    barrier = threading.Barrier(count)
    statuses, errors = [], []

    def sign_up():
        try:
            client = Client(raise_request_exception=True)
            barrier.wait(timeout=10)
            statuses.append(client.post("/en/join/", join_data(address="", address_withheld="on", zip_code="19147")).status_code)
        except Exception as error:  # noqa: BLE001 - the test reports every error
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses, errors


# Run by the SQLite test in a fresh interpreter, so that the settings read
# DATABASE_URL=sqlite:///<file> whatever database the suite itself uses. The
# cache is the demo's too, in the same file: rate-limit counts are writes.
_SQLITE_SCRIPT = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("createcachetable")
from django.test.utils import setup_test_environment
setup_test_environment()
from signups.models import Volunteer
from tests.test_sqlite_concurrency import identical_signups, SIGNUPS
statuses, errors = identical_signups(SIGNUPS)
print(json.dumps({"statuses": statuses, "errors": errors, "volunteers": Volunteer.objects.count()}))
"""


@pytest.mark.django_db(transaction=True)
def test_identical_signups_at_once_make_one_volunteer_on_postgresql():
    require_postgresql()
    statuses, errors = identical_signups(SIGNUPS)
    assert errors == []
    assert statuses == [302] * SIGNUPS
    assert Volunteer.objects.count() == 1


def test_identical_signups_at_once_make_one_volunteer_on_the_sqlite_demo(tmp_path):
    database = tmp_path / "demo.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "CACHE_URL": "dbcache://rz_cache",
           "DJANGO_SETTINGS_MODULE": "resistance_zone.settings"}
    done = subprocess.run(
        [sys.executable, "-c", _SQLITE_SCRIPT], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    assert result["statuses"] == [302] * SIGNUPS
    assert result["volunteers"] == 1
    assert Path(database).exists()
