"""The messages sent, in the admin: read-only, an organizer sees only the
messages of their zones' people, and numbers and emails are masked (the
list is for "did it go out, and why not", not for contacting anyone).
Staff notices are for superusers only. The self-service link inside a
text is masked too: it is that person's key to their settings."""

import re

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from messaging.models import Channel, Message
from signups.read_only_admin import ReadOnlyAdminMixin
from signups.templatetags.protection import mask_email, mask_phone
from zones.admin_scoping import ZoneScopedAdminMixin, sees_everything

_SELF_SERVICE_LINK = re.compile(r"(/(?:en|es)/me/)[^/\s]+/?")
_UNSUBSCRIBE_LINK = re.compile(r"(/(?:en|es)/unsubscribe/)[^/\s]+/?")


def text_masked(text):
    """`text` with the secret part of its links replaced by •••."""
    text = _SELF_SERVICE_LINK.sub(r"\1•••/", text or "")
    return _UNSUBSCRIBE_LINK.sub(r"\1•••/", text)


@admin.register(Message)
class MessageAdmin(ReadOnlyAdminMixin, ZoneScopedAdminMixin, admin.ModelAdmin):
    zone_path = "volunteer__block__zone"
    unzoned_permission = "signups.view_unzoned_volunteer"
    list_display = ("created_at", "recipient", "kind", "channel", "language", "status", "error_code", "batch")
    list_filter = ("status", "channel", "kind", "language")
    list_select_related = ("volunteer", "staff_user", "batch")
    show_full_result_count = False
    date_hierarchy = "created_at"
    fields = (
        "recipient", "channel", "kind", "language", "status", "error_code", "provider_id", "subject",
        "text", "batch", "reply_topic", "created_at", "not_before", "expires_at", "sent_at", "delivered_at",
        "failed_at", "attempts", "body_erased_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not sees_everything(request.user):
            queryset = queryset.filter(staff_user__isnull=True)
        return queryset

    @admin.display(description=_("to"))
    def recipient(self, message):
        if message.staff_user_id:
            return message.staff_user.get_username()
        if message.volunteer is None:
            return _("(forgotten)")
        if message.channel == Channel.EMAIL:
            return mask_email(message.volunteer.email)
        return mask_phone(message.volunteer.phone)

    @admin.display(description=_("text"))
    def text(self, message):
        return text_masked(message.body) if message.body else _("(erased)")
