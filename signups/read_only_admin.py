"""An admin for records the app writes and staff only read: the audit log
(signups.audit_admin), the messages sent (messaging.admin_messages), the
progress snapshots (canvass.progress_admin)."""


class ReadOnlyAdminMixin:
    """No add, change or delete, whatever a group or a superuser flag says:
    a record its readers could type in or edit would prove nothing of what
    happened. Who may view stays each admin's own rule."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
