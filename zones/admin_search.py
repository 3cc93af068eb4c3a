"""Admin search that ignores accents and case: "Ortiz" finds "Ortíz",
"MUÑOZ" finds "Muñoz". Organizers type names the way they hear them, on
keyboards without ñ, and the people they look for wrote theirs with accents
(or without, on a phone).

PostgreSQL: the `unaccent` lookup of django.contrib.postgres, on both sides
of the comparison (the extension is created by zones/migrations/0003).
SQLite (the demo): the same lookup calls an UNACCENT function that
zones.apps registers on every SQLite connection (fold_accents below), so the
comparison also happens in the database, without reading the rows into
Python. Other databases: plain icontains.

One mixin for every admin; each names the fields it folds, because phone
numbers, emails and slugs have no accents and keep their plain lookups.
"""

import unicodedata

from django.db import connections
from django.db.models import CharField


def fold_accents(text):
    """"Muñoz" -> "munoz": letters without their accents, case folded. The
    SQLite UNACCENT; deterministic, so SQLite may use it anywhere."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def unaccent_available(using="default"):
    vendor = connections[using].vendor
    # The lookup exists once django.contrib.postgres is installed.
    return vendor in ("postgresql", "sqlite") and "unaccent" in CharField.get_lookups()


def register_sqlite_unaccent(sender, connection, **kwargs):
    """connection_created receiver (zones.apps)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("UNACCENT", 1, fold_accents, deterministic=True)


class AccentInsensitiveSearchMixin:
    #: Entries of search_fields compared without accents or case.
    accent_insensitive_fields = ()

    def get_search_fields(self, request):
        # Rewritten here rather than in get_search_results, so Django's own
        # search (several words, quoted phrases, duplicate detection) and
        # every get_search_results override above it work unchanged.
        fields = tuple(super().get_search_fields(request))
        folded = set(self.accent_insensitive_fields)
        if not folded or not unaccent_available():
            return fields
        return tuple(f"{field}__unaccent__icontains" if field in folded else field for field in fields)
