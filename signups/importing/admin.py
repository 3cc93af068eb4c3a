"""The import screens, under the volunteers in the admin
(/admin/signups/volunteer/import/…): upload, choose columns, preview,
import. Added to VolunteerAdmin's URLs by signups.export_admin.

Who may import: staff who may add and change volunteers (the Organizer
group; a trainer may not). Each upload is seen by the account that made it
only, and rows land only in that account's zones (importing.preview.Scope).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from signups.importing.columns import FIELD_LABELS, FIELD_ORDER, mapping_clean
from signups.importing.models import IMPORT_KEPT_FOR, ImportJob, import_jobs_purge_expired
from signups.importing.reading import ImportFileError, max_bytes, message_for
from signups.importing.refused import refused_csv, refused_table_bytes
from signups.importing.rows import REASONS
from signups.importing.writing import (
    import_job_create,
    import_job_preview_start,
    import_job_write_start,
    job_table,
)
from signups.models import Language

# Rows listed on the preview page; the counts cover all of them and the
# refused ones are all in the download.
ROWS_SHOWN = 300
# Distinct unclear addresses offered a choice on one page.
ADDRESSES_SHOWN = 200
OUTCOME_LABELS = {
    "created": _("New volunteer"),
    "updated": _("Updated"),
    "unchanged": _("Unchanged"),
    "refused": _("Refused"),
}


def can_import(user):
    return (
        user.is_active and user.is_staff
        and user.has_perm("signups.add_volunteer") and user.has_perm("signups.change_volunteer")
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet file"),
        help_text=_("A .csv file (any encoding, commas or semicolons) or an Excel workbook (.xlsx)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Django has it on disk already (past 2.5 MB uploads are streamed
        # to a temporary file), so a 50 MB file never sits in memory.
        if upload.size > max_bytes():
            raise forms.ValidationError(message_for("too_large"), code="too_large")
        return upload


class OptionsForm(forms.Form):
    # Not "language": that is the name of the language column's choice.
    default_language = forms.ChoiceField(
        label=_("Language when the file says none"), choices=Language.choices, initial=Language.ENGLISH
    )
    refuse_without_consent = forms.BooleanField(
        label=_("Refuse rows without consent (otherwise they are imported as not contactable)"),
        required=False,
    )


def import_urls(model_admin):
    site = model_admin.admin_site

    def view(function):
        return site.admin_view(function)

    return [
        path("import/", view(upload_view), name="signups_volunteer_import"),
        path("import/<int:pk>/", view(job_view), name="signups_volunteer_import_job"),
        path("import/<int:pk>/columns/", view(columns_view), name="signups_volunteer_import_columns"),
        path("import/<int:pk>/addresses/", view(addresses_view), name="signups_volunteer_import_addresses"),
        path("import/<int:pk>/confirm/", view(confirm_view), name="signups_volunteer_import_confirm"),
        path("import/<int:pk>/refused.csv", view(refused_view), name="signups_volunteer_import_refused"),
    ]


def _context(request, **extra):
    from django.contrib import admin

    from signups.models import Volunteer

    return {**admin.site.each_context(request), "opts": Volunteer._meta, **extra}


def _own_job(request, pk):
    if not can_import(request.user):
        raise PermissionDenied
    # Another account's upload does not exist for this one.
    return get_object_or_404(ImportJob, pk=pk, user=request.user)


def upload_view(request):
    if not can_import(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_job_create(user=request.user, file_name=upload.name, content=upload.read())
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            return redirect("admin:signups_volunteer_import_job", job.pk)
    import_jobs_purge_expired()
    # One query: the account's uploads of the last day, without the files.
    jobs = list(
        ImportJob.objects.filter(user=request.user)
        .defer("content", "results", "options", "address_picks")
        .order_by("-created_at")[:20]
    )
    return TemplateResponse(
        request, "admin/signups/import/upload.html",
        _context(request, title=_("Import a list"), form=form, jobs=jobs,
                 kept_hours=int(IMPORT_KEPT_FOR.total_seconds() // 3600)),
    )


def _column_choices(table):
    """(value, label) per column: its letter, header and first values, so
    the organizer sees what each column holds beside every choice."""
    choices = [("", gettext("— not in this file —"))]
    for index, header in enumerate(table.headers):
        samples = [cells[index] for _n, cells in table.rows[:3] if cells[index]]
        letter = _column_letter(index)
        label = f"{letter}: {header}" if header else letter
        if samples:
            label += " — " + ", ".join(s[:30] for s in samples)
        choices.append((str(index), label))
    return choices


def _column_letter(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def job_view(request, pk):
    job = _own_job(request, pk)
    if job.is_working:
        return TemplateResponse(
            request, "admin/signups/import/progress.html",
            _context(request, title=_("Import a list"), job=job),
        )
    if job.status == ImportJob.Status.IMPORTED:
        return TemplateResponse(
            request, "admin/signups/import/done.html",
            _context(request, title=_("Import a list"), job=job, counts=job.counts),
        )
    try:
        table = job_table(job)
    except ImportFileError as error:
        return TemplateResponse(
            request, "admin/signups/import/upload.html",
            _context(request, title=_("Import a list"), form=UploadForm(), jobs=[], file_error=error.message),
        )
    if job.status == ImportJob.Status.PREVIEWED and request.GET.get("columns") != "1":
        return _preview_page(request, job, table)
    return _columns_page(request, job, table)


def _columns_page(request, job, table, *, errors=None):
    choices = _column_choices(table)
    fields = [
        {"name": name, "label": FIELD_LABELS[name], "choices": choices, "value": str(job.mapping.get(name, ""))}
        for name in FIELD_ORDER
    ]
    options = OptionsForm(initial={
        "default_language": job.options.get("default_language", Language.ENGLISH),
        "refuse_without_consent": job.options.get("refuse_without_consent", False),
    })
    return TemplateResponse(
        request, "admin/signups/import/columns.html",
        _context(
            request, title=_("Choose the columns"), job=job, fields=fields, options=options,
            row_count=len(table.rows), errors=errors or [],
            failure=message_for(job.error) if job.status == ImportJob.Status.FAILED else "",
        ),
    )


def columns_view(request, pk):
    job = _own_job(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if job.status in (ImportJob.Status.IMPORTED, ImportJob.Status.IMPORTING, ImportJob.Status.PREVIEWING):
        return redirect("admin:signups_volunteer_import_job", job.pk)
    table = job_table(job)
    mapping = mapping_clean(request.POST, column_count=len(table.headers))
    options = OptionsForm(request.POST)
    errors = []
    if not ({"phone", "email"} & set(mapping)):
        errors.append(gettext("Choose the column with the phone number or the one with the email address."))
    if not ({"name", "first_name", "last_name"} & set(mapping)):
        errors.append(gettext("Choose the column with the name."))
    if errors or not options.is_valid():
        job.mapping = mapping
        return _columns_page(request, job, table, errors=errors)
    import_job_preview_start(job=job, mapping=mapping, options=options.cleaned_data)
    return redirect("admin:signups_volunteer_import_job", job.pk)


def _preview_page(request, job, table):
    name_of = _row_names(table, job.mapping)
    shown = []
    unclear = {}
    for result in job.results:
        if result["outcome"] == "refused" and result["reason"] == "address_unclear":
            entry = unclear.setdefault(result["address"], {"address": result["address"], "rows": 0,
                                                           "choices": result["choices"]})
            entry["rows"] += 1
        if result["outcome"] != "unchanged" and len(shown) < ROWS_SHOWN:
            shown.append(_row_display(result, name_of))
    addresses = list(unclear.values())[:ADDRESSES_SHOWN]
    for entry in addresses:
        entry["options"] = [(str(c[0]), _block_label(c[1], c[2])) for c in entry["choices"]]
    return TemplateResponse(
        request, "admin/signups/import/preview.html",
        _context(
            request, title=_("Preview of the import"), job=job, counts=job.counts, rows=shown,
            rows_hidden=max(0, sum(1 for r in job.results if r["outcome"] != "unchanged") - len(shown)),
            addresses=addresses, addresses_hidden=max(0, len(unclear) - len(addresses)),
        ),
    )


def _block_label(street, hundred):
    from zones.models import Block

    return str(Block(street=street, hundred=hundred))


def _row_names(table, mapping):
    def name(cells):
        for field in ("name", "first_name"):
            index = mapping.get(field)
            if index is not None and cells[index]:
                last = mapping.get("last_name")
                if field == "first_name" and last is not None:
                    return f"{cells[index]} {cells[last]}".strip()
                return cells[index]
        return ""

    return {number: name(cells) for number, cells in table.rows}


def _row_display(result, name_of):
    outcome = result["outcome"]
    if outcome == "refused":
        detail = str(REASONS.get(result["reason"], result["reason"]))
    elif outcome == "updated":
        parts = []
        if result.get("fields"):
            parts.append(gettext("changes: {fields}").format(fields=", ".join(_field_names(result["fields"]))))
        if result.get("pending"):
            parts.append(gettext("waiting for the person to confirm: {fields}").format(
                fields=", ".join(_field_names(result["pending"]))))
        detail = "; ".join(parts)
    elif outcome == "created" and not result.get("contactable", True):
        detail = gettext("not contactable until they consent themselves")
    else:
        detail = ""
    return {"row": result["row"], "name": name_of.get(result["row"], ""), "outcome": outcome,
            "outcome_label": OUTCOME_LABELS[outcome], "detail": detail}


def _field_names(fields):
    from signups.models import Volunteer

    names = []
    for field in fields:
        try:
            names.append(str(Volunteer._meta.get_field(field).verbose_name))
        except Exception:
            names.append(field)
    return names


def addresses_view(request, pk):
    """The organizer's picks among the blocks unclear addresses could mean,
    all at once; the preview is made again with them."""
    job = _own_job(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if job.status != ImportJob.Status.PREVIEWED:
        return redirect("admin:signups_volunteer_import_job", job.pk)
    offered = {
        r["address"]: {str(c[0]) for c in r["choices"]}
        for r in job.results if r["outcome"] == "refused" and r["reason"] == "address_unclear"
    }
    picks = dict(job.address_picks)
    first_for_all = request.POST.get("first_for_all") == "1"
    for index, address in enumerate(request.POST.getlist("address")):
        value = request.POST.get(f"pick-{index}", "")
        if address in offered and value in offered[address]:
            picks[address] = value
    if first_for_all:
        for r in job.results:
            if r["outcome"] == "refused" and r["reason"] == "address_unclear" and r["address"] not in picks:
                picks[r["address"]] = str(r["choices"][0][0])
    import_job_preview_start(job=job, mapping=job.mapping, options={}, picks=picks)
    return redirect("admin:signups_volunteer_import_job", job.pk)


def confirm_view(request, pk):
    job = _own_job(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if job.status == ImportJob.Status.PREVIEWED:
        import_job_write_start(job=job)
    return redirect("admin:signups_volunteer_import_job", job.pk)


def refused_view(request, pk):
    job = _own_job(request, pk)
    if job.status == ImportJob.Status.IMPORTED:
        kept = job.content
    elif job.status == ImportJob.Status.PREVIEWED:
        kept = refused_table_bytes(job_table(job), job.results)
    else:
        raise Http404
    response = HttpResponse(refused_csv(kept), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="refused-rows-{job.pk}.csv"'
    return response
