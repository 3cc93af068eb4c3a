"""The Canvasser group, kept in existence like signups.roles' groups.

A canvasser is a staff user (second factor) in the Canvasser group with no
admin permission at all: their pages check that the block belongs to one of
their teams of the day (canvass.services.canvasser_blocks).
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

CANVASSER = "Canvasser"


def _content_type_follows_the_move(*, using, apps):
    """CanvassTeam moved from signups (canvass/0001). On a database migrated
    from scratch, trainings/0002_roles may have made a signups.canvassteam
    content type after canvass/0001 ran; its grants go to the canvass
    permissions of the same name and the stale type goes."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    stale = ContentType.objects.using(using).filter(app_label="signups", model="canvassteam").first()
    if stale is None:
        return
    current = ContentType.objects.using(using).filter(app_label="canvass", model="canvassteam").first()
    if current is None:
        stale.app_label = "canvass"
        stale.save(update_fields=["app_label"])
        return
    for old in Permission.objects.using(using).filter(content_type=stale):
        new = Permission.objects.using(using).filter(content_type=current, codename=old.codename).first()
        if new is not None:
            for group in old.group_set.all():
                group.permissions.add(new)
            for user in old.user_set.all():
                user.user_permissions.add(new)
    stale.delete()


def roles_ensure(*, using=DEFAULT_DB_ALIAS, apps=global_apps):
    Group = apps.get_model("auth", "Group")
    try:
        create_permissions(global_apps.get_app_config("canvass"), verbosity=0, using=using, apps=apps)
    except LookupError:
        pass
    _content_type_follows_the_move(using=using, apps=apps)
    Group.objects.using(using).get_or_create(name=CANVASSER)


def _after_migrate(sender, using=DEFAULT_DB_ALIAS, apps=global_apps, plan=None, **kwargs):
    try:
        apps.get_model("auth", "Group")
        apps.get_model("canvass", "DoorTally")
    except LookupError:
        return
    roles_ensure(using=using, apps=apps)


def is_canvasser(user):
    """Superusers and members of the Canvasser group (one query, kept on the
    user object for the rest of the request)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_rz_is_canvasser", None)
    if cached is None:
        cached = user.groups.filter(name=CANVASSER).exists()
        user._rz_is_canvasser = cached
    return cached
