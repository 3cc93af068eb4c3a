"""The Organizer, Trainer and Dispatcher groups, kept in existence.

The data migration trainings/0002_roles creates them on a new database;
this post_migrate hook (connected in SignupsConfig.ready) recreates them
whenever the tables were emptied since (`manage.py flush`, transactional
tests). A group that exists keeps the permissions an administrator gave it:
a permission taken away is not put back on the next deploy (a migration
grants a new one). Named by
strings only: signups imports nothing from trainings.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

ORGANIZER = "Organizer"
TRAINER = "Trainer"
# Runs rapid-response incidents on the /<lang>/dispatch/ pages, only in the
# zones a superuser gave them (response.DispatcherZone): no admin
# permission at all, like trainers.
DISPATCHER = "Dispatcher"
# People leave only through the forget-me erasure, so no delete_volunteer.
ORGANIZER_PERMISSIONS = {
    "signups": [
        "view_volunteer", "add_volunteer", "change_volunteer", "view_unzoned_volunteer",
        "view_campaign", "add_campaign", "change_campaign",
        "view_auditentry",
        "view_pendingchange", "change_pendingchange",
    ],
    "zones": ["view_zone", "change_zone", "view_block", "change_block"],
    # Messages to the people of their zones, and the delivery reports.
    "messaging": ["view_batch", "add_batch"],
    # Named by app label only: signups imports nothing from canvass.
    "canvass": [
        "view_canvassteam", "add_canvassteam", "change_canvassteam", "delete_canvassteam",
        "view_doortally", "add_doortally", "change_doortally",
        "view_blockclaim", "view_blockpause", "add_blockpause", "change_blockpause",
    ],
    # The words rapid-response alerts start from (named by label only).
    "response": ["view_alerttemplate", "add_alerttemplate", "change_alerttemplate"],
    "trainings": [
        "view_topic",
        "view_session", "add_session", "change_session",
        "view_registration", "add_registration", "change_registration", "delete_registration",
        "view_attendance", "change_attendance",
    ],
}


def roles_ensure(*, using=DEFAULT_DB_ALIAS, apps=global_apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_label in ORGANIZER_PERMISSIONS:
        try:
            # The real app config (it has a models module), the given apps
            # registry for the models (historical ones during migrate).
            create_permissions(global_apps.get_app_config(app_label), verbosity=0, using=using, apps=apps)
        except LookupError:
            continue
    organizer, created = Group.objects.using(using).get_or_create(name=ORGANIZER)
    if created:
        for app_label, codenames in ORGANIZER_PERMISSIONS.items():
            organizer.permissions.add(
                *Permission.objects.using(using).filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )
    Group.objects.using(using).get_or_create(name=TRAINER)
    Group.objects.using(using).get_or_create(name=DISPATCHER)


def _after_migrate(sender, using=DEFAULT_DB_ALIAS, apps=global_apps, plan=None, **kwargs):
    # Skip while the migrations that create these tables have not run (a
    # partial `migrate` to an early state).
    try:
        apps.get_model("auth", "Group")
        apps.get_model("trainings", "Session")
    except LookupError:
        return
    roles_ensure(using=using, apps=apps)
