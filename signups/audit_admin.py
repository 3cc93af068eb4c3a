"""The audit log in the admin: read only, for everyone, superusers included.

Registered from SignupsConfig.ready. No add, change or delete, whatever a
group or a superuser flag says: a log its readers can edit proves nothing.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from signups.audit import AuditEntry
from signups.read_only_admin import ReadOnlyAdminMixin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "actor_name", "action", "model", "object_id", "subject", "changed_fields_display", "row_count")
    list_filter = ("action", "model")
    search_fields = ("actor_name", "subject", "object_id")
    date_hierarchy = "at"
    list_per_page = 100
    actions = None

    @admin.display(description=_("changed fields"))
    def changed_fields_display(self, entry):
        return ", ".join(entry.changed_fields)
