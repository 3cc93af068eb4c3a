"""Pending changes in the admin: an organizer of the person's zone accepts
or rejects the answers a form post proposed (signups.pending)."""

from django.contrib import admin, messages
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from signups.models import PendingChange
from signups.pending import pending_change_accept, pending_change_described, pending_change_reject
from zones.admin_scoping import ZoneScopedAdminMixin
from zones.admin_search import AccentInsensitiveSearchMixin


class HasPendingChangeFilter(admin.SimpleListFilter):
    """For the volunteers list: who has answers waiting for review."""

    title = _("pending changes")
    parameter_name = "pending"

    def lookups(self, request, model_admin):
        return (("yes", _("Has pending changes")), ("no", _("No pending changes")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pending_change__isnull=False)
        if self.value() == "no":
            return queryset.filter(pending_change__isnull=True)
        return queryset


@admin.register(PendingChange)
class PendingChangeAdmin(AccentInsensitiveSearchMixin, ZoneScopedAdminMixin, admin.ModelAdmin):
    zone_path = "volunteer__block__zone"
    unzoned_permission = "signups.view_unzoned_volunteer"
    list_display = ("volunteer", "proposed", "source", "created_at")
    list_filter = ("source",)
    list_select_related = ("volunteer",)
    search_fields = ("volunteer__name",)
    accent_insensitive_fields = ("volunteer__name",)
    fields = ("volunteer", "proposed", "source", "created_at")
    readonly_fields = fields
    actions = ("accept_selected", "reject_selected")
    # One count per page, not two (as on the volunteers list).
    show_full_result_count = False

    # Proposed by a form post only; reviewed through the actions.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("proposed answers"))
    def proposed(self, pending):
        return format_html_join(
            "", "<div><strong>{}:</strong> {}</div>", pending_change_described(pending)
        )

    @admin.action(description=_("Accept the selected changes"), permissions=["change"])
    def accept_selected(self, request, queryset):
        count = self._review(queryset, pending_change_accept)
        message = ngettext("%(count)d change accepted.", "%(count)d changes accepted.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Reject the selected changes"), permissions=["change"])
    def reject_selected(self, request, queryset):
        count = self._review(queryset, pending_change_reject)
        message = ngettext("%(count)d change rejected.", "%(count)d changes rejected.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @staticmethod
    def _review(queryset, service):
        # One at a time through the service, so each person's row is locked
        # and audited as when they confirm it themselves.
        count = 0
        for pending in queryset:
            service(pending=pending)
            count += 1
        return count
