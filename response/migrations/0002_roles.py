"""The Dispatcher group, and the Organizer group's right to prepare alert
templates on a database whose groups exist already (signups.roles grants
them only when it creates a group)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

ORGANIZER_CODENAMES = ["view_alerttemplate", "add_alerttemplate", "change_alerttemplate"]


def forwards(apps, schema_editor):
    using = schema_editor.connection.alias
    create_permissions(global_apps.get_app_config("response"), verbosity=0, using=using, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.using(using).get_or_create(name="Dispatcher")
    organizer = Group.objects.using(using).filter(name="Organizer").first()
    if organizer is not None:
        organizer.permissions.add(*Permission.objects.using(using).filter(
            content_type__app_label="response", codename__in=ORGANIZER_CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("response", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
