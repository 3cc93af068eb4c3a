"""The worker's part of an import: a large file's preview and import
(django.tasks; run by `manage.py db_worker`). Each task is safe to run
twice: it acts only on a job still in the state that asked for it."""

import logging

from django.tasks import task

from signups.importing import writing

logger = logging.getLogger(__name__)


def _guarded(function, job_id):
    try:
        function(job_id=job_id)
    except Exception:
        # The page must not wait forever; the log names the job, never a
        # row of it (exc_info would print the values being imported).
        logger.error("Import job %s failed", job_id)
        writing._fail(job_id, "worker_failed")


@task()
def import_preview_task(job_id):
    _guarded(writing.import_job_preview_run, job_id)


@task()
def import_write_task(job_id):
    _guarded(writing.import_job_write_run, job_id)
