"""The production settings, plus the bare view the load benchmark compares
every endpoint with. Only benchmarks/load.py points gunicorn at this module."""

from resistance_zone.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
