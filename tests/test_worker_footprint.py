"""A gunicorn worker carries only what serving pages needs. The load
benchmark holds each worker under 150 MB of resident memory; shapely with
numpy (imports) and segno (QR codes on printed packets and the 2FA set-up)
would be about 30 MB of it, in every worker, for pages seldom opened."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOADED = (
    "import os, sys; os.environ['DJANGO_SETTINGS_MODULE'] = 'resistance_zone.settings';"
    "import resistance_zone.wsgi;"
    "from django.urls import resolve; resolve('/en/');"
    "print(' '.join(sorted(m for m in ('numpy', 'shapely', 'segno') if m in sys.modules)))"
)


def test_a_web_worker_starts_without_the_heavy_libraries():
    result = subprocess.run(
        [sys.executable, "-c", LOADED], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", "DEBUG": "true"},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


MASTER_WARM_UP = (
    "import gc, os, runpy, types; os.environ['DJANGO_SETTINGS_MODULE'] = 'resistance_zone.settings';"
    "import resistance_zone.wsgi;"
    "conf = runpy.run_path('gunicorn.conf.py');"
    "conf['when_ready'](types.SimpleNamespace(cfg=types.SimpleNamespace(preload_app=True)));"
    "import zones.address as a;"
    "print(a._parser_instance is not None, gc.get_freeze_count() > 100000, gc.get_threshold()[0] >= 10000)"
)


def test_the_gunicorn_master_loads_the_address_tables_once_and_freezes_them():
    # Loaded in each worker, the tables cost every worker its own copy and
    # every full garbage collection a 30 ms walk through them (the slowest
    # sign-ups under load). The young generation is collected seldom: at
    # Python's default it took 4-8 % of a request's CPU.
    result = subprocess.run(
        [sys.executable, "-c", MASTER_WARM_UP], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", "DEBUG": "true"},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]
