"""Forget-me in the admin: one action, one confirmation page, then the person
is gone (signups.retention.volunteer_erase)."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from signups.retention import volunteer_erase


class ForgetMeAdminMixin:
    """Offers erase_volunteers to whoever may change volunteers. Organizers
    have no plain delete permission: removing a person goes through the
    erasure, which also clears their audit trail."""

    def has_erase_permission(self, request):
        return self.has_change_permission(request)


@admin.action(description=_("Erase the selected people completely (on their request)"), permissions=["erase"])
def erase_volunteers(modeladmin, request, queryset):
    """First answer: a page saying what will be erased. The page posts back
    with `confirm=yes`; only then are the people erased, one transaction
    each. The queryset is the admin's, so an organizer erases only people of
    their own zones."""
    if request.POST.get("confirm") == "yes":
        count = 0
        for volunteer in queryset:
            volunteer_erase(volunteer=volunteer, user=request.user)
            count += 1
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d person was erased. Their audit entries now carry only an anonymous id.",
                "%(count)d people were erased. Their audit entries now carry only an anonymous id.",
                count,
            ) % {"count": count},
            messages.SUCCESS,
        )
        return None
    related = {rel.get_accessor_name() for rel in queryset.model._meta.related_objects}
    counts = {
        f"{name}_count": Count(name, distinct=True)
        for name in ("registrations", "attendances")
        if name in related
    }
    people = list(queryset.annotate(**counts).order_by("name"))
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Erase these people completely?"),
        "opts": modeladmin.model._meta,
        "people": people,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action": "erase_volunteers",
        "media": modeladmin.media,
    }
    return TemplateResponse(request, "admin/signups/volunteer/erase_confirmation.html", context)
