from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZonesConfig(AppConfig):
    name = "zones"
    verbose_name = _("Zones and blocks")

    def ready(self):
        # Accent-insensitive admin search on the SQLite demo
        # (zones.admin_search): each new connection gets UNACCENT.
        from django.db import connections
        from django.db.backends.signals import connection_created

        from zones.admin_search import register_sqlite_unaccent

        connection_created.connect(register_sqlite_unaccent, dispatch_uid="rz.sqlite.unaccent")
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:
                register_sqlite_unaccent(sender=None, connection=connection)

        # Forget cached pages when the places they show change: the map's
        # blocks and counts, and who organizes a zone (the map's scope); the
        # trainings list names zones.
        from pagecache.pages import generation_follows, generations_read_with_staff_session

        generation_follows("coverage", models=["zones.Block", "zones.Zone"], m2m=["zones.Zone.organizers"])
        # The map's ETag is "coverage": most staff requests are its 304s.
        generations_read_with_staff_session("coverage")
        generation_follows("trainings", models=["zones.Zone"])
