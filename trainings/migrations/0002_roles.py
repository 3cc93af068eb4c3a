"""Groups for least privilege: Organizer and Trainer.

Lives in trainings because it is the app that sees the models of all three.
Superusers need no group; Trainers get no admin permission at all (their
pages check that they train the session).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ORGANIZER_PERMISSIONS = {
    "signups": [
        "view_volunteer", "add_volunteer", "change_volunteer", "delete_volunteer",
        "view_campaign", "add_campaign", "change_campaign",
        "view_canvassteam", "add_canvassteam", "change_canvassteam", "delete_canvassteam",
        "view_auditentry",
    ],
    "zones": ["view_zone", "change_zone", "view_block", "change_block"],
    "trainings": [
        "view_topic",
        "view_session", "add_session", "change_session",
        "view_registration", "add_registration", "change_registration", "delete_registration",
        "view_attendance", "change_attendance",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them
    # now so this migration can hand them out on a fresh database.
    for app_label in ("signups", "zones", "trainings"):
        app_config = apps.get_app_config(app_label)
        # Historical app configs have no models module; create_permissions
        # skips such apps unless told otherwise (the documented workaround).
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    organizer, _ = Group.objects.get_or_create(name="Organizer")
    for app_label, codenames in ORGANIZER_PERMISSIONS.items():
        organizer.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    Group.objects.get_or_create(name="Trainer")


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Organizer", "Trainer"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("signups", "0003_canvassteam"),
        ("zones", "0002_zone_organizers"),
        ("trainings", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
