# The unaccent extension for accent-insensitive admin search
# (zones.admin_search). CreateExtension does nothing on other databases (it
# checks the connection's vendor), so the SQLite demo migrates as before; on
# PostgreSQL 13+ unaccent is a trusted extension, which the database's owner
# may create without being a superuser.

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("zones", "0002_zone_organizers"),
    ]

    operations = [
        UnaccentExtension(),
    ]
