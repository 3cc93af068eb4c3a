#!/usr/bin/env python
"""Benchmarks with speed and memory targets: `make bench`.

Targets are checked here, never in timed unit tests (a loaded CI machine
would make those flaky). Each benchmark runs on a throwaway test database
(test_<NAME> of DATABASE_URL, PostgreSQL under `make bench`), at the scale the
campaign must hold: all South Philadelphia's blocks, thousands of neighbors.
Prints one line per benchmark and exits 1 when a target is missed.
"""

import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resistance_zone.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1")
os.environ.setdefault("CACHE_URL", "locmemcache://")
os.environ.setdefault("EMAIL_URL", "memorymail://")
os.environ.setdefault("SMS_URL", "memory://")
os.environ.setdefault("QUIET_HOURS", "00:00-00:00")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402

from benchmarks.imports import bench_list_import  # noqa: E402
from benchmarks.messages import bench_messages  # noqa: E402
from benchmarks.response import bench_response  # noqa: E402

SHARED_DATA = ROOT.parent / "shared" / "data" / "philadelphia"
VOLUNTEERS = 5000


def timed(function, *, repeat):
    """Median seconds of `repeat` calls (after one warm-up call)."""
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def timed_once(function):
    """(seconds, result) of one call: for work too big to repeat."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def peak_memory_mb(function):
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def build_world():
    """The demo grid of South Philadelphia, and VOLUNTEERS neighbors on it, a
    third of them trained."""
    from django.utils import timezone

    from signups.models import Volunteer
    from zones.demo import demo_zones_load
    from zones.models import Block

    demo_zones_load()
    blocks = list(Block.objects.values_list("pk", flat=True))
    now = timezone.now()
    Volunteer.objects.bulk_create(
        Volunteer(
            name=f"Bench Neighbor {n}",
            phone=f"+1215{n:07d}",
            language="es" if n % 2 else "en",
            consent_at=now,
            consent_version=settings.CONSENT_VERSION,
            block_id=blocks[n % len(blocks)],
            ways_to_help=["get_trained"],
            trained_at=now if n % 3 == 0 else None,
        )
        for n in range(VOLUNTEERS)
    )
    return len(blocks)


def bench_coverage(results):
    from zones.coverage import zone_coverage_summaries
    from zones.models import Block, Zone

    zones = list(Zone.objects.all())
    results.append(("zone coverage summaries (all zones)", timed(lambda: zone_coverage_summaries(zones=zones), repeat=10), 0.1, "s"))
    results.append(("every block with coverage (list)", timed(lambda: list(Block.objects.with_coverage()), repeat=5), 0.3, "s"))


def bench_map_geojson(results):
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    from tests.auth import login_with_otp

    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench-password-123")
    client = Client()
    login_with_otp(client, user)

    def fetch():
        # The cold path: the payload is cached once built (pagecache.pages).
        cache.clear()
        response = client.get("/en/zones/blocks.geojson")
        assert response.status_code == 200, response.status_code
        return response

    size_kb = len(b"".join(fetch().streaming_content) if fetch().streaming else fetch().content) / 1024
    results.append(("map GeoJSON, all blocks (one response)", timed(fetch, repeat=5), 0.6, "s"))
    results.append(("map GeoJSON size", size_kb, 1024, "KB"))


def bench_signup(results):
    from django.test import Client

    from signups.models import Volunteer
    from signups.tests.helpers import join_data

    client = Client()
    counter = iter(range(10_000))

    def sign_up():
        n = next(counter)
        # One address per neighbor: the per-IP rate limit is not what we measure.
        response = client.post(
            "/es/join/",
            join_data(name=f"Vecina {n}", phone=f"+1267555{n:04d}"),
            REMOTE_ADDR=f"10.9.{n // 250}.{n % 250}",
        )
        assert response.status_code == 302, response.status_code

    before = Volunteer.objects.count()
    results.append(("sign-up POST (resolve address, upsert)", timed(sign_up, repeat=30), 0.1, "s"))
    assert Volunteer.objects.count() == before + 31


def bench_address(results):
    from zones.address import address_lookup_forget, resolve_address

    addresses = [f"{100 * h + 23} S {n}th St" for h in range(6, 26) for n in range(4, 14)]
    resolve_address(addresses[0])  # the parser loads once per process
    address_lookup_forget()  # the resolver, not its per-process memory
    start = time.perf_counter()
    for text in addresses:
        resolve_address(text)
    per_address = (time.perf_counter() - start) / len(addresses)
    results.append(("address -> block, per address", per_address * 1000, 2, "ms"))


def bench_address_as_typed(results):
    """The resolver over the inputs of zones/tests/test_address_as_typed.py:
    units first, Spanish words, typos (the fuzzy matcher), junk."""
    from zones.address import address_lookup, address_lookup_forget
    from zones.tests.test_address_as_typed import NOT_FOUND, OFFERED, PLACED

    texts = [text for text, *_rest in PLACED + OFFERED] + NOT_FOUND
    address_lookup(texts[0])  # the parser and the centerline load once per process

    rounds = 5
    times = {text: [] for text in texts}
    start = time.perf_counter()
    for _ in range(rounds):
        address_lookup_forget()  # each round reads every input afresh
        for text in texts:
            began = time.perf_counter()
            address_lookup(text)
            times[text].append(time.perf_counter() - began)
    per_address = (time.perf_counter() - start) / (rounds * len(texts))
    # Each input's median, so one garbage-collector pause does not count
    # as a slow address.
    worst = max(statistics.median(seconds) for seconds in times.values())
    results.append((f"address as typed, per address ({len(texts)} inputs)", per_address * 1000, 2, "ms"))
    results.append(("address as typed, slowest input (its median)", worst * 1000, 2, "ms"))


def bench_import(results):
    from zones.importing import blocks_import, load_features

    path = SHARED_DATA / "south_philly_street_centerline.geojson"
    if not path.exists():
        print(f"skip import benchmark: {path} is absent")
        return

    def run():
        blocks_import(features=load_features(path), dry_run=True)

    start = time.perf_counter()
    memory = peak_memory_mb(run)
    elapsed = time.perf_counter() - start
    results.append(("import_blocks dry run, 5,749 segments (traced)", elapsed, 20, "s"))
    results.append(("import_blocks peak Python memory", memory, 150, "MB"))


def main():
    setup_test_environment()
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    old = setup_databases(verbosity=0, interactive=False)
    results = []
    try:
        blocks = build_world()
        print(f"world: {blocks} blocks, {VOLUNTEERS} neighbors, database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
        for bench in (bench_coverage, bench_map_geojson, bench_signup, bench_address, bench_address_as_typed, bench_import):
            bench(results)
        bench_list_import(results, peak_memory_mb=peak_memory_mb)
        # Rapid response: it imports every South Philadelphia block.
        bench_response(results, timed=timed, timed_once=timed_once)
        # Last: it adds people up to a 50,000-person segment.
        bench_messages(results, timed_once=timed_once, peak_memory_mb=peak_memory_mb)
    finally:
        teardown_databases(old, verbosity=0)
    failed = 0
    for name, value, target, unit, *at_least in results:
        # A row ending in ">=" is a floor (a rate), the others a ceiling.
        ok = value >= target if at_least == [">="] else value <= target
        failed += not ok
        print(f"{'ok  ' if ok else 'SLOW'} {name:50} {value:10.3f} {unit:3} (target {at_least[0] if at_least else '<='} {target} {unit})")
    print(f"{len(results) - failed} met, {failed} missed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
