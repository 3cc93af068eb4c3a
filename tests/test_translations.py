"""A missing Spanish translation is a failing test, not a TODO."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"
DOMAINS = ["django", "djangojs"]


def _catalog(domain):
    path = LOCALE_DIR / f"{domain}.po"
    if domain == "djangojs" and not path.exists():
        pytest.skip("no JavaScript strings yet")
    return polib.pofile(str(path))


def _untranslated(entry):
    if entry.msgid_plural:
        return not entry.msgstr_plural or any(not s.strip() for s in entry.msgstr_plural.values())
    return not entry.msgstr.strip()


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_has_a_spanish_translation(domain):
    missing = [e.msgid for e in _catalog(domain) if not e.obsolete and _untranslated(e)]
    assert missing == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_no_translation_is_fuzzy(domain):
    fuzzy = [e.msgid for e in _catalog(domain) if "fuzzy" in e.flags and not e.obsolete]
    assert fuzzy == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_committed_mo_matches_the_po(domain):
    # Compare content, not file times: a fresh clone gives both files the
    # time of checkout.
    po = _catalog(domain)
    mo = polib.mofile(str(LOCALE_DIR / f"{domain}.mo"))

    def key(entry):
        return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")

    def value(entry):
        if entry.msgid_plural:
            return tuple(sorted((int(k), v) for k, v in entry.msgstr_plural.items()))
        return entry.msgstr

    expected = {key(e): value(e) for e in po.translated_entries()}
    compiled = {key(e): value(e) for e in mo if e.msgid}
    assert compiled == expected


def test_every_source_string_is_in_the_catalog():
    """The catalog is up to date with the code: makemessages would add nothing.

    Re-extracting needs GNU gettext (xgettext); where it is absent, the .po
    checks above still hold."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext is not installed; `make messages` needs it")
    base = Path(settings.BASE_DIR)
    result = subprocess.run(
        [sys.executable, "-c", _EXTRACT],
        cwd=base, capture_output=True, text=True, timeout=300,
        env={**os.environ, "DEBUG": "true"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", "strings missing from the catalog (run `make messages`):\n" + result.stdout


# Extract into a copy of the tree's catalog and list msgids the copy has that
# the committed catalog lacks.
_EXTRACT = r"""
import os, shutil, sys, tempfile
from pathlib import Path
import django, polib
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resistance_zone.settings")
base = Path.cwd()
tmp = Path(tempfile.mkdtemp())
try:
    for name in os.listdir(base):
        if name in {".venv", ".git", "staticfiles", "node_modules", ".hypothesis", "db.sqlite3"}:
            continue
        src = base / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, tmp / name)
    os.chdir(tmp)
    sys.path.insert(0, str(tmp))
    django.setup()
    from django.core.management import call_command
    for domain, extra in (("django", []), ("djangojs", ["static/vendor/*"])):
        call_command("makemessages", locale=["es"], domain=domain, verbosity=0,
                     ignore_patterns=["staticfiles/*", *extra])
        fresh = tmp / "locale/es/LC_MESSAGES" / f"{domain}.po"
        committed = base / "locale/es/LC_MESSAGES" / f"{domain}.po"
        if not fresh.exists():
            continue
        known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(committed))} if committed.exists() else set()
        for e in polib.pofile(str(fresh)):
            if (e.msgctxt, e.msgid) not in known:
                print(f"{domain}: {e.msgid!r}")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
"""
