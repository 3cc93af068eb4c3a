"""Racing requests in tests: a few calls released at the same moment, each
on its own database connection, as two phones or a double click would be."""

import threading

import pytest
from django.db import connection, connections


def require_postgresql():
    """Races need PostgreSQL's row locks. `make test` runs on SQLite only on
    its loud fallback outside CI; there these tests are skipped, never faked."""
    if connection.vendor != "postgresql":
        pytest.skip("This race needs PostgreSQL (the SQLite fallback has no row locks; CI always runs PostgreSQL).")


def run_at_once(*calls):
    """Run each call in its own thread, all released together. Returns
    (results, errors) in the order the calls finished."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except Exception as error:  # noqa: BLE001 - the test asserts on errors
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
