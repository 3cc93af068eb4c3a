"""Django's cached-database sessions, read with the staff identity they name
in one round trip to the cache (SESSION_ENGINE).

When this worker has served the session before, it knows which person and
device the session named (signups.staff_identity's hints) and reads the
session, that person's kept identity and its generations together, with
the page generations staff pages read most (READ_WITH_STAFF_SESSION: the
map's). What was read beside the session is handed to
staff_identity.staff_user, which uses it only if the session still names
that person and device, and to those pages (pagecache.pages.generations).
Everything else is Django's: a session missing from the cache is read from
its table and kept again, and writing, expiring and deleting are unchanged.
"""

from django.conf import settings
from django.contrib.sessions.backends import cached_db

from pagecache.pages import READ_WITH_STAFF_SESSION, generation_keys
from signups.staff_identity import identity_keys_for_session


def _one_cache_for_both():
    # The identity lives in the page cache (pagecache.pages): one read only
    # when the session cache is that same cache.
    pages_alias = "best_effort" if "best_effort" in settings.CACHES else "default"
    return settings.SESSION_CACHE_ALIAS == pages_alias


class SessionStore(cached_db.SessionStore):
    # (hint, {key: value}) read with the session, for staff_user; or none.
    rz_identity_read = (None, None)
    # {key: value} read with the session: the identity's and the
    # generations of pagecache.pages.READ_WITH_STAFF_SESSION; or None.
    rz_read_with_session = None

    def load(self):
        hinted = identity_keys_for_session(self.session_key) if _one_cache_for_both() else None
        if hinted is None:
            return super().load()
        hint, identity_keys = hinted
        keys = [*identity_keys, *generation_keys(READ_WITH_STAFF_SESSION)]
        try:
            found = self._cache.get_many([self.cache_key, *keys])
        except Exception:
            return super().load()  # as Django does: from the table
        data = found.pop(self.cache_key, None)
        if data is None:
            return super().load()
        self.rz_identity_read = (hint, found)
        self.rz_read_with_session = found
        return data
