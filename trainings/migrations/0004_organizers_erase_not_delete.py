"""Organizers do not delete volunteers: a person leaves through the forget-me
erasure (signups.retention_admin), which also clears their audit trail."""

from django.db import migrations


def remove_delete(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="signups", codename="delete_volunteer").first()
    organizer = Group.objects.filter(name="Organizer").first()
    if organizer and permission:
        organizer.permissions.remove(permission)


def restore_delete(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="signups", codename="delete_volunteer").first()
    organizer = Group.objects.filter(name="Organizer").first()
    if organizer and permission:
        organizer.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("trainings", "0003_trainers_are_staff")]

    operations = [migrations.RunPython(remove_delete, restore_delete)]
