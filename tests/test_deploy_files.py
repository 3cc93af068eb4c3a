"""docs/deploy.md shows the files of deploy/ as they are, and those files
name scripts and settings that exist: a guide whose copy of a unit file
drifted from the real one would be followed, not the file."""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
GUIDE = (ROOT / "docs" / "deploy.md").read_text()


def _shown_in_guide():
    return dict(re.findall(r"^`(deploy/[^`]+)`:\n\n```\w*\n(.*?)^```$", GUIDE, re.S | re.M))


def test_the_guide_shows_every_deploy_file_as_it_is():
    shown = _shown_in_guide()
    files = {f"deploy/{path.name}": path.read_text() for path in DEPLOY.iterdir()}
    assert sorted(shown) == sorted(files)
    for name, text in files.items():
        assert shown[name] == text, f"{name} differs from its copy in docs/deploy.md"


def test_the_units_run_what_the_repository_has():
    commands = re.findall(r"/srv/resistance-zone/(\S+)", (DEPLOY / "resistance-zone.service").read_text())
    commands += re.findall(r"^ExecStart=\S+ (bin/\S+)$", (DEPLOY / "resistance-zone-backup.service").read_text(), re.M)
    repository_files = [c for c in commands if not c.startswith(".venv/")]
    assert "gunicorn.conf.py" in repository_files
    assert "bin/backup-database" in repository_files and "bin/restore-check" in repository_files
    for path in repository_files:
        assert (ROOT / path).is_file(), path
    for script in ("bin/backup-database", "bin/restore-check", "deploy/manage"):
        assert os.access(ROOT / script, os.X_OK), script


def test_nginx_sends_requests_where_gunicorn_listens():
    upstream_ports = set(re.findall(r"^\s+server [\d.]+:(\d+)", (DEPLOY / "nginx.conf").read_text(), re.M))
    bind = re.search(r"^GUNICORN_BIND=[\d.]+:(\d+)$", (DEPLOY / "resistance-zone.env.example").read_text(), re.M)
    assert upstream_ports == {bind.group(1)}


def test_the_environment_example_names_only_variables_the_app_or_gunicorn_reads():
    readers = (ROOT / "resistance_zone" / "settings.py").read_text() + (ROOT / "gunicorn.conf.py").read_text()
    names = re.findall(r"^#?([A-Z_]+)=", (DEPLOY / "resistance-zone.env.example").read_text(), re.M)
    assert names
    for name in names:
        assert f'"{name}"' in readers, f"{name} is read by neither settings.py nor gunicorn.conf.py"
