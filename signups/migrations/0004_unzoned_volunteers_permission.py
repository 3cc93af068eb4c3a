from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_to_organizers(apps, schema_editor):
    """Organizers follow up with the people no zone holds (no address given,
    or an address outside every zone). The group may not exist yet (the
    roles migration of trainings may run after this one, and get_or_creates
    it too)."""
    using = schema_editor.connection.alias
    create_permissions(global_apps.get_app_config("signups"), verbosity=0, using=using, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.using(using).filter(
        content_type__app_label="signups", codename="view_unzoned_volunteer"
    ).first()
    organizers, _created = Group.objects.using(using).get_or_create(name="Organizer")
    organizers.permissions.add(permission)


class Migration(migrations.Migration):

    dependencies = [
        ("signups", "0003_canvassteam"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="volunteer",
            options={
                "ordering": ["-created_at"],
                "permissions": [("view_unzoned_volunteer", "Can see volunteers who belong to no zone")],
                "verbose_name": "volunteer",
                "verbose_name_plural": "volunteers",
            },
        ),
        migrations.RunPython(grant_to_organizers, migrations.RunPython.noop),
    ]
