"""The list-import phase of `make bench` (benchmarks/run.py calls
bench_list_import): a 10,000-row CSV previewed, then imported, each by the
real worker (`manage.py db_worker --batch` in its own process, as in
production), in under 60 s in all, the worker process under 300 MB
(its peak resident memory)."""

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _ten_thousand_rows_csv():
    # 267-556 numbers: the sign-up benchmark uses 267-555 ones, and a row
    # that finds one of those people is an update, not the new person timed.
    header = "Nombre,Teléfono,Correo,Dirección,Código postal,Idioma,Consentimiento"
    lines = [header]
    for n in range(10_000):
        lines.append(
            f"Vecina Importada {n},+1267556{n:04d},importada{n}@example.org,"
            f"{1100 + (n % 12) * 100 + (n % 40)} S {(4 + n % 5)}th St,19147,"
            f"{'Español' if n % 2 else 'English'},{'Sí' if n % 5 else ''}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _worker_database_url():
    from django.conf import settings

    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        return None
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def bench_list_import(results, *, peak_memory_mb):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from signups.importing.models import ImportJob
    from signups.importing.tasks import import_preview_task, import_write_task
    from signups.importing.writing import import_job_create

    user = get_user_model().objects.create_superuser("bench-importer", password=None)
    job = import_job_create(user=user, file_name="bench.csv", content=_ten_thousand_rows_csv())

    url = _worker_database_url()
    worker_peaks = []

    def worker():
        if url is None:  # SQLite: the worker in this process
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
            return
        # The benchmark's test database, for a worker of its own.
        subprocess.run(
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload",
             "--verbosity", "0"],
            cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, check=True,
        )
        # Linux reports kilobytes: the largest child so far, this worker.
        worker_peaks.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)

    def preview():
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.PREVIEWING)
        import_preview_task.enqueue(job.pk)
        worker()

    def write():
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING)
        import_write_task.enqueue(job.pk)
        worker()

    if url is None:
        preview_memory = peak_memory_mb(preview)
        write_memory = peak_memory_mb(write)
        seconds = None
    else:
        start = time.perf_counter()
        preview()
        preview_seconds = time.perf_counter() - start
        write()
        seconds = time.perf_counter() - start
        preview_memory = write_memory = max(worker_peaks)
    job.refresh_from_db()
    if job.status != ImportJob.Status.IMPORTED or job.counts.get("created") != 10_000:
        raise AssertionError(f"the benchmark import did not import its 10,000 rows: {job.status} {job.counts}")
    if seconds is not None:
        results.append(("list import, 10,000 rows: preview (worker)", preview_seconds, 30, "s"))
        results.append(("list import, 10,000 rows: preview + import", seconds, 60, "s"))
        results.append(("list import worker peak memory (RSS)", preview_memory, 300, "MB"))
    else:
        results.append(("list import peak Python memory (traced)", max(preview_memory, write_memory), 300, "MB"))
