"""Organizers type paper tally sheets in, see claims, and lift pauses: an
Organizer group that already exists gets those permissions here (signups.roles
gives them to a group it creates)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTED = [
    "view_canvassteam", "add_canvassteam", "change_canvassteam", "delete_canvassteam",
    "view_doortally", "add_doortally", "change_doortally",
    "view_blockclaim", "view_blockpause", "change_blockpause",
]


def grant(apps, schema_editor):
    db = schema_editor.connection.alias
    app_config = apps.get_app_config("canvass")
    # Historical app configs have no models module; create_permissions skips
    # them unless told otherwise (as trainings/0002_roles does).
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=db)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    organizer = Group.objects.using(db).filter(name="Organizer").first()
    if organizer is not None:
        organizer.permissions.add(
            *Permission.objects.using(db).filter(content_type__app_label="canvass", codename__in=GRANTED)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('canvass', '0002_tallies_claims_pauses'),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
