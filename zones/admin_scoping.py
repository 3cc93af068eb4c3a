"""Least privilege in the admin: an organizer sees, changes and exports only
what belongs to the zones they are assigned (Zone.organizers); superusers
see everything.

One mixin for every ModelAdmin holding zone-bound data. It scopes
- the lists (get_queryset, so actions and exports act on the scoped rows),
- single objects (has_view/change/delete_permission(request, obj) say no to
  another zone's object: the change page answers 403 and so do the custom
  admin views that check those permissions), and
- the choices of related fields (a block, zone, session or volunteer of
  another zone cannot be picked, nor typed into a raw-id field).

zones imports nothing from the other apps: the admins declare the path from
their model to Zone as a string (`zone_path = "block__zone"`).
"""

from django.db.models import Q

from zones.models import Block, Zone


def sees_everything(user):
    return user.is_active and user.is_superuser


def zones_for(user):
    """The zones whose people `user` may see."""
    if sees_everything(user):
        return Zone.objects.all()
    if not user.is_authenticated:
        return Zone.objects.none()
    return Zone.objects.filter(organizers=user)


def blocks_for(user):
    if sees_everything(user):
        return Block.objects.all()
    return Block.objects.filter(zone__in=zones_for(user))


def zone_q(user, zone_path):
    """Q on a model reaching Zone through `zone_path` ("" for Zone itself)."""
    lookup = f"{zone_path}__organizers" if zone_path else "organizers"
    return Q(**{lookup: user})


class ZoneScopedAdminMixin:
    #: Path from the admin's model to Zone: "zone", "block__zone",
    #: "session__zone", "" for Zone itself.
    zone_path = "zone"
    #: Fields only a superuser may edit (e.g. who organizes a zone).
    superuser_only_fields = ()
    #: A permission ("app.codename") that also shows the rows belonging to no
    #: zone at all: a neighbor who gave no address, or lives outside every
    #: zone, belongs to no organizer, yet someone must follow up with them.
    unzoned_permission = None

    def scope(self, request, queryset):
        """Narrow any queryset of this admin's model to the user's zones.
        A subquery on the primary key, so multi-valued paths never duplicate
        rows and annotations survive."""
        if sees_everything(request.user):
            return queryset
        allowed_q = zone_q(request.user, self.zone_path)
        if self.unzoned_permission and request.user.has_perm(self.unzoned_permission):
            allowed_q |= Q(**{f"{self.zone_path}__isnull": True})
        allowed = self.model._default_manager.filter(allowed_q)
        return queryset.filter(pk__in=allowed.values("pk"))

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def _in_scope(self, request, obj):
        if obj is None or sees_everything(request.user):
            return True
        return self.scope(request, self.model._default_manager.filter(pk=obj.pk)).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not sees_everything(request.user):
            fields += tuple(f for f in self.superuser_only_fields if f not in fields)
        return fields

    def _limit_choices(self, request, db_field, queryset):
        if sees_everything(request.user) or queryset is None:
            return queryset
        model = db_field.related_model
        if model is Zone:
            return queryset.filter(pk__in=zones_for(request.user).values("pk"))
        if model is Block:
            return queryset.filter(pk__in=blocks_for(request.user).values("pk"))
        # Sessions, volunteers: any model admin registered with a zone_path.
        related_admin = self.admin_site._registry.get(model)
        if isinstance(related_admin, ZoneScopedAdminMixin):
            return related_admin.scope(request, queryset)
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = self._limit_choices(request, db_field, field.queryset)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = self._limit_choices(request, db_field, field.queryset)
        return field
