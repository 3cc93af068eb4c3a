"""Organizers' admin for topics and sessions, and the trainings part of the
volunteer admin.

Registrations and attendance are shown, not edited, here: seats, the
waitlist and trained status follow rules that live in trainings.services, and
an inline form would write around them. Organizers act through the public
pages, the trainer's roster and the admin actions, which call the services.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from signups.admin import VolunteerAdmin
from signups.models import Language, Volunteer
from trainings.follow_up_admin import follow_up_urls
from trainings.models import Attendance, Registration, Session, Topic
from trainings.services import (
    TrainingError,
    attendance_export_csv,
    session_mark_done,
    volunteer_training_status_refresh,
)
from zones.admin_scoping import ZoneScopedAdminMixin
from zones.admin_search import AccentInsensitiveSearchMixin

# Empty rows on the printed sign-in sheet, for walk-ins.
SIGN_IN_SHEET_EMPTY_ROWS = 15


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_es", "counts_as_training", "valid_for_months")
    list_filter = ("counts_as_training",)
    search_fields = ("name_en", "name_es")
    fieldsets = (
        (None, {"fields": ("counts_as_training", "valid_for_months")}),
        (_("English"), {"fields": ("name_en", "description_en")}),
        (_("Spanish"), {"fields": ("name_es", "description_es")}),
    )


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    can_delete = False
    fields = ("volunteer", "status", "language_name", "created_at", "reminder_sent_at", "confirmed_at")
    readonly_fields = fields
    ordering = ("status", "created_at")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("language"))
    def language_name(self, registration):
        # The field keeps a bare code ("es"): organizers read its name.
        if registration.language in Language.values:
            return Language(registration.language).label
        return registration.language

    def get_queryset(self, request):
        # Each row is titled with str(registration), which names the session
        # and its topic: joined here, or two queries per row.
        return super().get_queryset(request).select_related("volunteer", "session__topic")


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    can_delete = False
    fields = (
        "volunteer", "checked_in_at", "phone_at", "checked_in_by", "walk_in", "undone_at",
        "details_shredded_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # session__topic for each row's title, as in RegistrationInline.
        return super().get_queryset(request).select_related("volunteer", "checked_in_by", "session__topic")


@admin.register(Session)
class SessionAdmin(AccentInsensitiveSearchMixin, ZoneScopedAdminMixin, admin.ModelAdmin):
    zone_path = "zone"
    list_display = (
        "topic", "starts_at", "language", "neighborhood", "zone", "capacity",
        "seats_left_display", "waitlist_display", "attended_display", "status", "sheet_links",
    )
    list_filter = ("status", "language", "zone", "topic")
    search_fields = ("location_name_en", "location_name_es", "neighborhood", "topic__name_en", "topic__name_es")
    accent_insensitive_fields = search_fields
    date_hierarchy = "starts_at"
    # Topic and zone for every row come with the list's one query; the counts
    # are subqueries of that same query (SessionQuerySet.with_counts).
    list_select_related = ("topic", "zone")
    filter_horizontal = ("trainers",)
    inlines = (RegistrationInline, AttendanceInline)
    actions = ("mark_done",)
    fieldsets = (
        (None, {"fields": ("topic", "status", "starts_at", "ends_at", "language", "capacity", "zone")}),
        (_("Place"), {"fields": ("location_name_en", "location_name_es", "neighborhood", "address")}),
        (_("Trainers"), {"fields": ("trainers", "private_roster")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(description=_("seats left"), ordering="seats_left")
    def seats_left_display(self, session):
        return session.seats_left

    @admin.display(description=_("waitlist"), ordering="waitlist_count")
    def waitlist_display(self, session):
        return session.waitlist_count

    @admin.display(description=_("checked in"), ordering="attended_count")
    def attended_display(self, session):
        return session.attended_count

    @admin.display(description=_("print and export"))
    def sheet_links(self, session):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:trainings_session_sheet", args=[session.pk]),
            gettext("Sign-in sheet"),
            reverse("admin:trainings_session_csv", args=[session.pk]),
            gettext("Attendance (CSV)"),
        )

    def save_model(self, request, obj, form, change):
        # Status "done" trains the attendees: it goes through the service,
        # like the trainer's button, so the rule exists once.
        previous = Session.objects.filter(pk=obj.pk).values_list("status", flat=True).first() if change else None
        becomes_done = obj.status == Session.Status.DONE and previous != Session.Status.DONE
        if becomes_done:
            obj.status = previous or Session.Status.SCHEDULED
        super().save_model(request, obj, form, change)
        if becomes_done:
            session_mark_done(session=obj)
        elif previous == Session.Status.DONE and obj.status != Session.Status.DONE:
            volunteer_training_status_refresh(
                volunteers=Volunteer.objects.filter(attendances__session=obj).distinct()
            )

    @admin.action(description=_("Mark the selected sessions done (attendees become trained)"))
    def mark_done(self, request, queryset):
        done = 0
        for session in queryset:
            try:
                session_mark_done(session=session)
                done += 1
            except TrainingError as error:
                self.message_user(request, f"{session}: {error.message}", level="error")
        self.message_user(
            request,
            ngettext("%(count)d session marked done.", "%(count)d sessions marked done.", done) % {"count": done},
        )

    def get_urls(self):
        own = [
            path(
                "<int:pk>/sign-in-sheet/",
                self.admin_site.admin_view(self.sign_in_sheet),
                name="trainings_session_sheet",
            ),
            path(
                "<int:pk>/attendance.csv",
                self.admin_site.admin_view(self.attendance_csv),
                name="trainings_session_csv",
            ),
        ]
        # The follow-up list of a zone (trainings.follow_up_admin).
        return own + follow_up_urls(self) + super().get_urls()

    def _session_or_404(self, request, pk):
        session = get_object_or_404(Session.objects.select_related("topic"), pk=pk)
        if not self.has_view_permission(request, session):
            raise PermissionDenied
        return session

    def sign_in_sheet(self, request, pk):
        """A printable sheet for when phones fail: the registered names and
        empty rows for walk-ins."""
        session = self._session_or_404(request, pk)
        registrations = (
            Registration.objects.filter(session=session)
            .exclude(status=Registration.Status.CANCELLED)
            .select_related("volunteer")
            .order_by("status", "volunteer__name")
        )
        return render(
            request,
            "trainings/sign_in_sheet.html",
            {
                "session": session,
                "registrations": registrations,
                "empty_rows": range(SIGN_IN_SHEET_EMPTY_ROWS),
            },
        )

    def attendance_csv(self, request, pk):
        session = self._session_or_404(request, pk)
        content = attendance_export_csv(session=session, user=request.user)
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        filename = f"attendance-{session.pk}-{timezone.localtime(session.starts_at):%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


# --- The volunteer admin, with trainings ---------------------------------------


class TrainedFilter(admin.SimpleListFilter):
    title = _("trained")
    parameter_name = "trained"

    def lookups(self, request, model_admin):
        return (
            ("yes", _("Trained")),
            ("refresher", _("Needs a refresher")),
            ("no", _("Not trained")),
        )

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.trained()
        if self.value() == "refresher":
            return queryset.needing_refresher()
        if self.value() == "no":
            return queryset.filter(trained_at__isnull=True)
        return queryset


class VolunteerAttendanceInline(admin.TabularInline):
    model = Attendance
    verbose_name = _("training attended")
    verbose_name_plural = _("trainings attended")
    extra = 0
    can_delete = False
    fields = ("session", "checked_in_at", "walk_in", "undone_at", "details_shredded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Each row is titled with str(attendance), which names the person
        # and the session's topic: joined here, or two queries per row.
        return super().get_queryset(request).select_related("session__topic", "volunteer")


class VolunteerRegistrationInline(admin.TabularInline):
    model = Registration
    verbose_name = _("training registration")
    verbose_name_plural = _("training registrations")
    extra = 0
    can_delete = False
    fields = ("session", "status", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # The person for each row's title, as in VolunteerAttendanceInline.
        return super().get_queryset(request).select_related("session__topic", "volunteer")


class VolunteerWithTrainingsAdmin(VolunteerAdmin):
    """signups' VolunteerAdmin, plus each person's trainings and whether they
    are trained (from attendance, see trainings.services)."""

    inlines = (*VolunteerAdmin.inlines, VolunteerRegistrationInline, VolunteerAttendanceInline)

    def get_list_display(self, request):
        return (*super().get_list_display(request), "training_status")

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), TrainedFilter)

    @admin.display(description=_("training"))
    def training_status(self, volunteer):
        # From trained_at / trained_until, already in the row: no query.
        if volunteer.is_trained:
            return gettext("Trained")
        if volunteer.needs_refresher:
            return gettext("Needs a refresher")
        return gettext("Not trained")


if admin.site.is_registered(Volunteer):
    admin.site.unregister(Volunteer)
admin.site.register(Volunteer, VolunteerWithTrainingsAdmin)
