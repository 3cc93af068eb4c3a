"""The apps' arrows point down (../shared/DESIGN.md): each app imports only
the apps below it, `pagecache` imports none, and no app imports the settings
package `resistance_zone`, which holds settings, root URLs and WSGI only."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# What each app may import, besides itself. Apps not yet written are listed
# so the rule is in place the day they land.
MAY_IMPORT = {
    "pagecache": set(),
    "zones": {"pagecache"},
    "signups": {"pagecache", "zones"},
    "messaging": {"pagecache", "zones", "signups"},
    "trainings": {"pagecache", "zones", "signups", "messaging"},
    "canvass": {"pagecache", "zones", "signups", "messaging"},
    "response": {"pagecache", "zones", "signups", "messaging"},
}
PROJECT_PACKAGES = set(MAY_IMPORT) | {"resistance_zone"}


def imported_project_packages(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in PROJECT_PACKAGES:
                yield top, node.lineno


def app_modules(app):
    folder = ROOT / app
    for path in sorted(folder.rglob("*.py")):
        # An app's tests may set up what other apps own (a session to
        # register for); the rule is about the running code.
        if "tests" in path.relative_to(folder).parts or "migrations" in path.relative_to(folder).parts:
            continue
        yield path


@pytest.mark.parametrize("app", [app for app in MAY_IMPORT if (ROOT / app).is_dir()])
def test_an_app_imports_only_the_apps_below_it(app):
    allowed = MAY_IMPORT[app] | {app}
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {package}"
        for path in app_modules(app)
        for package, line in imported_project_packages(path)
        if package not in allowed
    ]
    assert wrong == []
