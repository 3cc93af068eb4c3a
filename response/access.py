"""Who runs which incidents: superusers all; a dispatcher the incidents of
the zones a superuser gave them; an organizer those of the zones they
organize (they approve the broadcasts too). Nobody else."""

from signups.roles import DISPATCHER, ORGANIZER
from zones.models import Zone


def _groups(user):
    cached = getattr(user, "_rz_response_groups", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=[DISPATCHER, ORGANIZER]).values_list("name", flat=True))
        user._rz_response_groups = cached
    return cached


def is_dispatch_staff(user):
    """May open the dispatch pages at all."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(_groups(user))


def dispatch_zone_ids(user):
    """The ids of the zones whose incidents `user` runs (None: every zone)."""
    if user.is_superuser:
        return None
    cached = getattr(user, "_rz_dispatch_zone_ids", None)
    if cached is not None:
        return cached
    groups = _groups(user)
    ids = set()
    if DISPATCHER in groups:
        ids |= set(user.dispatch_zones.values_list("zone_id", flat=True))
    if ORGANIZER in groups:
        ids |= set(Zone.objects.filter(organizers=user).values_list("pk", flat=True))
    user._rz_dispatch_zone_ids = ids
    return ids


def incidents_for(user, queryset):
    """`queryset` (of Incident) cut to what `user` runs."""
    if not is_dispatch_staff(user):
        return queryset.none()
    ids = dispatch_zone_ids(user)
    return queryset if ids is None else queryset.filter(zone_id__in=ids)


def zones_for(user):
    ids = dispatch_zone_ids(user)
    return Zone.objects.all() if ids is None else Zone.objects.filter(pk__in=ids)


def dispatchers_of(zone):
    """The staff to page about an incident of `zone`: its dispatchers; its
    organizers when it has none; superusers for a block of no zone."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    if zone is None:
        return users.filter(is_superuser=True)
    dispatchers = users.filter(groups__name=DISPATCHER, dispatch_zones__zone=zone).distinct()
    if dispatchers.exists():
        return dispatchers
    return users.filter(groups__name=ORGANIZER, organized_zones=zone).distinct()
