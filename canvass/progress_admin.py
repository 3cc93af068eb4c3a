"""Zone progress in the admin: the funnel of block states with doors,
sign-ups and trained neighbors, and the charts over time. One page per zone
(linked from the zone's change page) and a dashboard of every zone the
organizer organizes (the "Zone progress" entry of the admin index).

Organizers see their own zones only (zones.admin_scoping); whoever may view
zones may view their progress: no new permission to grant. Constant queries
at any number of blocks (canvass/tests/test_progress_query_budget.py).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from canvass.charts import zone_series
from canvass.snapshots import ZoneSnapshot
from canvass.states import zone_funnels
from signups.read_only_admin import ReadOnlyAdminMixin
from zones.admin_scoping import zones_for


def may_see_progress(user):
    return user.is_active and user.is_staff and user.has_perm("zones.view_zone")


def zone_progress_rows(zones):
    """[{zone, funnel, series}] for `zones`: six queries for any number."""
    zones = list(zones)
    funnels = zone_funnels(zones)
    series = zone_series(zones, blocks_per_zone={pk: funnel.blocks for pk, funnel in funnels.items()})
    return [{"zone": zone, "funnel": funnels[zone.pk], "series": series[zone.pk]} for zone in zones]


@admin.register(ZoneSnapshot)
class ZoneProgressAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The snapshots are the charts' memory, written by canvass_snapshot:
    read here, never typed in. The list is the dashboard."""

    def has_module_permission(self, request):
        return may_see_progress(request.user)

    def has_view_permission(self, request, obj=None):
        if not may_see_progress(request.user):
            return False
        return obj is None or zones_for(request.user).filter(pk=obj.zone_id).exists()

    def get_urls(self):
        return [
            path("zone/<int:zone_id>/", self.admin_site.admin_view(self.zone_view), name="canvass_zone_progress"),
        ] + super().get_urls()

    def _page(self, request, template, context):
        return TemplateResponse(request, template, {
            **self.admin_site.each_context(request), "opts": self.model._meta, **context,
        })

    def changelist_view(self, request, extra_context=None):
        """Every zone of the organizer: funnel and charts."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = zone_progress_rows(zones_for(request.user).order_by("name_en"))
        return self._page(request, "admin/canvass/progress_dashboard.html", {
            "title": _("Zone progress"), "rows": rows,
        })

    def zone_view(self, request, zone_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        zone = get_object_or_404(zones_for(request.user), pk=zone_id)
        row = zone_progress_rows([zone])[0]
        return self._page(request, "admin/canvass/zone_progress.html", {
            "title": _("Progress of %(zone)s") % {"zone": zone.name}, "row": row, "zone": zone,
        })
