"""One upload being imported: the file (kept only until it is imported, or
a day), the organizer's column choices, the preview and the progress."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# An upload is deleted a day after it came, imported or not.
IMPORT_KEPT_FOR = datetime.timedelta(days=1)


class ImportJob(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Columns to choose")
        PREVIEWING = "previewing", _("Preview being made")
        PREVIEWED = "previewed", _("Preview ready")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("organizer"), related_name="+", on_delete=models.CASCADE
    )
    file_name = models.CharField(_("file name"), max_length=200)
    # The upload itself, in the database so any worker reads it and a
    # backup of static files never holds it; emptied after the import.
    content = models.BinaryField(_("file"), editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.UPLOADED)
    # {our field: column index}, and the other choices of the mapping page.
    mapping = models.JSONField(_("columns"), default=dict, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    # {address text (as typed) -> block id}: the organizer's picks among
    # the blocks an unclear address could mean.
    address_picks = models.JSONField(_("address choices"), default=dict, blank=True)
    # The preview's (then the import's) outcome per row: a list of
    # {"row", "outcome", "fields", "reason", ...}; see importing.preview.
    results = models.JSONField(_("results"), default=list, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # A translatable error code (importing.reading) when the file or the
    # worker failed; never the file's text.
    error = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now, db_index=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        app_label = "signups"
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        default_permissions = ()

    def __str__(self):
        return self.file_name

    @property
    def is_working(self):
        return self.status in (self.Status.PREVIEWING, self.Status.IMPORTING)

    @property
    def progress_percent(self):
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))


def import_jobs_purge_expired(*, now=None):
    """Delete uploads older than a day (imported or not). Returns how many."""
    now = now or timezone.now()
    deleted, _by_model = ImportJob.objects.filter(created_at__lt=now - IMPORT_KEPT_FOR).delete()
    return deleted
