"""No module of the project's apps is over 400 lines: past that, a file holds
more than one thing (public pages and the trainer's, parsing and writing) and
is split along its seam. Migrations and tests are left out: a migration is
written by Django, and a feature's tests read best in one place."""

from pathlib import Path

from django.apps import apps
from django.conf import settings

MOST_LINES = 400
ROOT = Path(settings.BASE_DIR).resolve()
LEFT_OUT = {"migrations", "tests"}


def project_app_dirs():
    """The folders of the installed apps that live in this repository (not
    Django's, not a library's in the virtualenv)."""
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(ROOT) and ".venv" not in path.relative_to(ROOT).parts:
            yield path


def app_modules():
    for app_dir in project_app_dirs():
        for module in sorted(app_dir.rglob("*.py")):
            if not LEFT_OUT & set(module.relative_to(app_dir).parts[:-1]):
                yield module


def line_count(path):
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _line in handle)


def test_every_app_of_the_project_is_read():
    names = {path.name for path in project_app_dirs()}
    assert {"pagecache", "zones", "signups", "messaging", "trainings"} <= names


def test_no_module_of_the_apps_is_over_400_lines():
    too_long = {
        str(module.relative_to(ROOT)): lines
        for module in app_modules()
        if (lines := line_count(module)) > MOST_LINES
    }
    assert too_long == {}, f"split these along their seams: {too_long}"
