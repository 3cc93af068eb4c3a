"""The import jobs: upload, preview, import (the services the admin screens
and the worker's tasks call).

A file of a few hundred rows is previewed and imported within the request;
a larger one by the worker (importing.tasks), the page showing its
progress. Either way the same functions below run.
"""

from django.conf import settings
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from pagecache.pages import generation_bump
from signups.audit import AuditEntry, acting_as, audit_import
from signups.importing.columns import mapping_guess
from signups.importing.models import ImportJob, import_jobs_purge_expired
from signups.importing.preview import Places, plan_make
from signups.importing.reading import ImportFileError, table_read
from signups.models import Volunteer, message_kinds_by_default
from signups.services import volunteer_upsert
from zones.services import block_get_or_create

# Up to this many rows, the preview and the import run in the request.
INLINE_ROWS = 500
# New people written by one INSERT.
CREATE_BATCH = 1000
# The consent wording version of an imported row: what the person agreed
# to on paper or in another tool is not our wording.
IMPORT_CONSENT_VERSION = "import"
NO_CONSENT_VERSION = "import-no-consent"


def import_job_create(*, user, file_name, content):
    """Keep an upload and guess its columns. Raises ImportFileError (the
    file is then not kept)."""
    import_jobs_purge_expired()
    table = table_read(content=content, file_name=file_name)
    return ImportJob.objects.create(
        user=user,
        file_name=(file_name or "")[-200:],
        content=content,
        mapping=mapping_guess(table.headers),
        options={"default_language": "en"},
        progress_total=len(table.rows),
    )


def job_table(job):
    return table_read(content=bytes(job.content), file_name=job.file_name)


def _runs_inline(job):
    return job.progress_total <= INLINE_ROWS


def import_job_preview_start(*, job, mapping, options, picks=None):
    """Keep the organizer's choices and make the preview: now for a small
    file, by the worker for a large one."""
    job.mapping = mapping
    job.options = {**job.options, **options}
    if picks is not None:
        job.address_picks = picks
    job.status = ImportJob.Status.PREVIEWING
    job.progress_done = 0
    job.error = ""
    job.save(update_fields=["mapping", "options", "address_picks", "status", "progress_done", "error"])
    if _runs_inline(job):
        import_job_preview_run(job_id=job.pk, report_progress=False)
    else:
        from signups.importing.tasks import import_preview_task

        transaction.on_commit(lambda: import_preview_task.enqueue(job.pk))


def _progress_reporter(job_id):
    """progress(done) that the admin page sees while the job runs. Inside
    the import's transaction, an UPDATE on our own connection would show
    only at commit; on PostgreSQL a second connection writes it at once
    (the job row is not locked by the import: the import updates it only
    after the last row)."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return lambda done: ImportJob.objects.filter(pk=job_id).update(progress_done=done)
    side = connections.create_connection("default")

    def report(done):
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportJob._meta.db_table} SET progress_done = %s WHERE id = %s", [done, job_id]
            )

    report.close = side.close
    return report


def _fail(job_id, code):
    ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.FAILED, error=code)


def import_job_preview_run(*, job_id, report_progress=True):
    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PREVIEWING).first()
    if job is None:
        return  # already done by another run, or imported meanwhile
    try:
        table = job_table(job)
    except ImportFileError as error:
        _fail(job_id, error.code)
        return
    places = Places(job.options.get("places"))
    progress = _progress_reporter(job_id) if report_progress else None
    try:
        plan = plan_make(
            table=table, mapping=job.mapping, options=job.options, user=job.user,
            picks=job.address_picks, places=places, progress=progress,
            keep_street_addresses=settings.KEEP_STREET_ADDRESSES,
        )
    finally:
        if hasattr(progress, "close"):
            progress.close()
    job.results = plan.results
    job.counts = plan.counts()
    job.options = {**job.options, "places": places.known}
    job.status = ImportJob.Status.PREVIEWED
    job.progress_done = len(table.rows)
    job.save(update_fields=["results", "counts", "options", "status", "progress_done"])


def import_job_write_start(*, job):
    """Import a previewed job: now for a small file, by the worker for a
    large one. A second click finds it importing and does nothing."""
    started = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
        status=ImportJob.Status.IMPORTING, progress_done=0
    )
    if not started:
        return False
    if _runs_inline(job):
        import_job_write_run(job_id=job.pk, report_progress=False)
    else:
        from signups.importing.tasks import import_write_task

        transaction.on_commit(lambda: import_write_task.enqueue(job.pk))
    return True


def import_job_write_run(*, job_id, report_progress=True):
    """Import the file in one transaction: the plan is made again against
    the database as it is now (someone may have signed up since the
    preview), then each row it creates or changes goes through
    volunteer_upsert, as a sign-up would. Refused rows stay out."""
    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.IMPORTING).select_related("user").first()
    if job is None:
        return
    try:
        table = job_table(job)
    except ImportFileError as error:
        _fail(job_id, error.code)
        return
    with acting_as(job.user), transaction.atomic():
        # In a request (a small file), nobody watches; and the request may
        # hold the job row, which a second connection would wait for.
        progress = _progress_reporter(job_id) if report_progress else (lambda done: None)
        places = Places(job.options.get("places"))
        plan = plan_make(
            table=table, mapping=job.mapping, options=job.options, user=job.user,
            picks=job.address_picks, places=places,
            keep_street_addresses=settings.KEEP_STREET_ADDRESSES,
        )
        try:
            _plan_write(plan, progress=progress, user=job.user)
        finally:
            if hasattr(progress, "close"):
                progress.close()
        counts = plan.counts()
        audit_import(
            user=job.user, file_name=job.file_name, row_count=counts["created"] + counts["updated"],
            detail=(
                f"{counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged, {counts['refused']} refused"
            ),
        )
        # The file goes now; the outcome per row stays for the day, so the
        # refused rows can still be downloaded, fixed and uploaded again.
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.IMPORTED, results=plan.results, counts=counts,
            content=_refused_cells(table, plan), progress_done=len(table.rows), imported_at=timezone.now(),
            options={k: v for k, v in job.options.items() if k != "places"},
        )


def _refused_cells(table, plan):
    """What the day's refused-rows download needs of the file: the header
    and the refused rows, as a CSV; nothing of the imported ones."""
    from signups.importing.refused import refused_table_bytes

    return refused_table_bytes(table, plan.results)


def _plan_write(plan, *, progress, user):
    """Write the plan: people found in the database through
    volunteer_upsert, one by one (its merge rules and pending changes);
    people nobody has yet in bulk (_volunteers_create_many)."""
    blocks = {}

    def real_block(block):
        if isinstance(block, tuple):
            if block not in blocks:
                blocks[block] = block_get_or_create(street=block[0], hundred=block[1])
            return blocks[block]
        return block

    writes = sorted(plan.writes.items())
    done = 0
    for _number, (answers, block, street_address, creates) in writes:
        if creates:
            continue
        _upsert(answers, real_block(block), street_address)
        done += 1
        if done % 250 == 0:
            progress(done)
    new = [(answers, real_block(block), street) for _n, (answers, block, street, creates) in writes if creates]
    for start in range(0, len(new), CREATE_BATCH):
        _volunteers_create_many(new[start:start + CREATE_BATCH], user=user)
        progress(done + min(start + CREATE_BATCH, len(new)))


def _upsert(answers, block, street_address):
    volunteer, created = volunteer_upsert(
        name=answers.name,
        phone=answers.phone,
        email=answers.email,
        language=answers.language,
        block=block,
        zip_code=answers.zip_code,
        street_address=street_address,
        source=Volunteer.Source.IMPORT,
        consent_at=answers.consent_at if answers.consent else None,
        consent_version=IMPORT_CONSENT_VERSION if answers.consent else NO_CONSENT_VERSION,
    )
    if created and not answers.consent:
        # Not contactable: no reminder, news or alert reaches them until
        # they consent themselves.
        volunteer.message_kinds = []
        volunteer.save(update_fields=["message_kinds"])
    return volunteer


def _volunteers_create_many(rows, *, user):
    """Create the people of `rows` (RowAnswers, Block, street address),
    whom the plan found in no record, as volunteer_upsert's create branch
    does (same normalized answers, checked by the same full_clean in the
    preview), in one INSERT, with their audit entries in another.

    Why not volunteer_upsert for each: its five round trips a person (find,
    savepoint, insert, audit, release) made 10,000 rows take minutes. The
    database still has the last word: when a phone or email of the batch
    was taken since the plan was made (someone signed up meanwhile), the
    batch's INSERT fails in its savepoint and the batch goes through
    volunteer_upsert one by one, which finds and merges that person."""
    now = timezone.now()
    volunteers = [
        Volunteer(
            name=answers.name, phone=answers.phone, email=answers.email, language=answers.language,
            block=block, street_address=street_address if block is not None else "",
            zip_code=answers.zip_code, source=Volunteer.Source.IMPORT,
            consent_at=(answers.consent_at or now) if answers.consent else now,
            consent_version=IMPORT_CONSENT_VERSION if answers.consent else NO_CONSENT_VERSION,
            # Without consent: not contactable until they consent themselves.
            message_kinds=message_kinds_by_default() if answers.consent else [],
            created_at=now,
        )
        for answers, block, street_address in rows
    ]
    try:
        with transaction.atomic():
            Volunteer.objects.bulk_create(volunteers)
    except IntegrityError:
        for answers, block, street_address in rows:
            _upsert(answers, block, street_address)
        return
    # The entries the audit's post_save would have written, one per person.
    AuditEntry.objects.bulk_create(
        AuditEntry(
            at=now, actor=user, actor_name=user.get_username(), action=AuditEntry.Action.CREATE,
            model="signups.volunteer", object_id=str(v.pk), subject=f"volunteer:{v.pk}",
        )
        for v in volunteers
    )
    # What each save would have told the page cache (signups.apps).
    generation_bump("coverage")
