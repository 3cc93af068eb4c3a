"""The volunteers export in the admin: a fresh second factor, then a page
choosing whether phone numbers and email addresses go in, then the file
(signups.exports.volunteers_export_csv).

The action is a POST of the changelist (the selection, or "select all" with
the list's filters in the query string). When the second factor is older
than 15 minutes, the code page comes first; a redirect cannot repeat a POST,
so the selection waits in the session and a GET page (export_resume) shows
the choice again, posting to the same changelist as before.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signups.exports import export_column_choices, volunteers_export
from signups.staff_auth import reverify_url, verified_recently

# The export waiting for a fresh code: {"query", "select_across", "ids",
# "include_phone", "include_email"}. Ids only, never names or numbers.
PENDING_EXPORT_SESSION_KEY = "rz_pending_export"


class VolunteerExportForm(forms.Form):
    include_phone = forms.BooleanField(label=_("Include phone numbers"), required=False)
    include_email = forms.BooleanField(label=_("Include email addresses"), required=False)
    columns = forms.MultipleChoiceField(
        label=_("Other columns"), widget=forms.CheckboxSelectMultiple, required=False
    )
    file_format = forms.ChoiceField(
        label=_("File"),
        choices=[("csv", _("CSV (any spreadsheet program)")), ("xlsx", _("Excel workbook (.xlsx)"))],
        initial="csv",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["columns"].choices = export_column_choices()
        self.fields["columns"].initial = [key for key, _label in export_column_choices()]
        if self.is_bound and "columns_chosen" not in self.data:
            # A post from before the columns could be chosen (or a script):
            # every column but phone and email, as then.
            self.data = self.data.copy()
            self.data.setlist("columns", [key for key, _label in export_column_choices()])

    def choices(self):
        """The export's keyword arguments, from a valid form."""
        data = self.cleaned_data
        return {
            "include_phone": data["include_phone"],
            "include_email": data["include_email"],
            "columns": data["columns"],
            "file_format": data.get("file_format") or "csv",
        }


class VolunteerExportAdminMixin:
    """Adds the export_csv action and its resume page to the volunteer admin."""

    def get_urls(self):
        own = [
            path(
                "export/",
                self.admin_site.admin_view(self.export_resume),
                name="signups_volunteer_export",
            ),
        ]
        # The import screens live under the volunteers too (signups.importing).
        from signups.importing.admin import import_urls

        return own + import_urls(self) + super().get_urls()

    @admin.action(description=_("Export the selected volunteers as a spreadsheet (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        """First answer: the choice of columns. The page posts back with
        `confirm=yes` and the choices; only then is the file made. The
        queryset is the admin's, so an organizer exports only their zones."""
        select_across = request.POST.get("select_across") == "1"
        form = VolunteerExportForm(request.POST if request.POST.get("confirm") == "yes" else None)
        choices = form.choices() if form.is_valid() else {"include_phone": False, "include_email": False}
        if not verified_recently(request):
            request.session[PENDING_EXPORT_SESSION_KEY] = {
                "query": request.GET.urlencode(),
                "select_across": select_across,
                "ids": [] if select_across else [str(pk) for pk in queryset.values_list("pk", flat=True)],
                **choices,
            }
            return HttpResponseRedirect(reverify_url(reverse("admin:signups_volunteer_export")))
        if form.is_bound:
            content, content_type, extension = volunteers_export(volunteers=queryset, user=request.user, **choices)
            filename = f"volunteers-{timezone.localdate():%Y-%m-%d}.{extension}"
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        ids = [] if select_across else request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        return self._export_page(
            request, form=VolunteerExportForm(), query=request.GET.urlencode(),
            select_across=select_across, ids=ids, count=queryset.count(),
        )

    def export_resume(self, request):
        """After the fresh code: the same choice, for the selection kept in
        the session."""
        pending = request.session.pop(PENDING_EXPORT_SESSION_KEY, None)
        if not isinstance(pending, dict) or not self.has_view_permission(request):
            return redirect("admin:signups_volunteer_changelist")
        if pending["select_across"]:
            count = None  # counted again, with the list's filters, on download
        else:
            count = self.get_queryset(request).filter(pk__in=pending["ids"]).count()
        initial = {"include_phone": pending["include_phone"], "include_email": pending["include_email"]}
        if "columns" in pending:
            initial.update(columns=pending["columns"], file_format=pending.get("file_format", "csv"))
        form = VolunteerExportForm(initial=initial)
        return self._export_page(
            request, form=form, query=pending["query"], select_across=pending["select_across"],
            ids=pending["ids"], count=count,
        )

    def _export_page(self, request, *, form, query, select_across, ids, count):
        changelist = reverse("admin:signups_volunteer_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Export volunteers"),
            "opts": self.model._meta,
            "form": form,
            "post_url": f"{changelist}?{query}" if query else changelist,
            "select_across": select_across,
            "ids": ids,
            "count": count,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "cancel_url": changelist,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/signups/volunteer/export_choices.html", context)
