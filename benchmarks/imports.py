"""The list-import phase of `make bench` (benchmarks/run.py calls
bench_list_import): a 10,000-row CSV previewed, then imported, each by the
real worker (`db_worker --batch`, as in production), in under 60 s in all
and under 300 MB of Python memory at its peak."""

import time


def _ten_thousand_rows_csv():
    header = "Nombre,Teléfono,Correo,Dirección,Código postal,Idioma,Consentimiento"
    lines = [header]
    for n in range(10_000):
        lines.append(
            f"Vecina Importada {n},+1267555{n:04d},importada{n}@example.org,"
            f"{1100 + (n % 12) * 100 + (n % 40)} S {(4 + n % 5)}th St,19147,"
            f"{'Español' if n % 2 else 'English'},{'Sí' if n % 5 else ''}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def bench_list_import(results, *, peak_memory_mb):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from signups.importing.models import ImportJob
    from signups.importing.tasks import import_preview_task, import_write_task
    from signups.importing.writing import import_job_create

    user = get_user_model().objects.create_superuser("bench-importer", password=None)
    job = import_job_create(user=user, file_name="bench.csv", content=_ten_thousand_rows_csv())

    def worker():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    def preview():
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.PREVIEWING)
        import_preview_task.enqueue(job.pk)
        worker()

    def write():
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING)
        import_write_task.enqueue(job.pk)
        worker()

    start = time.perf_counter()
    preview_memory = peak_memory_mb(preview)
    preview_seconds = time.perf_counter() - start
    start = time.perf_counter()
    write_memory = peak_memory_mb(write)
    write_seconds = time.perf_counter() - start
    job.refresh_from_db()
    if job.status != ImportJob.Status.IMPORTED or job.counts.get("created") != 10_000:
        raise AssertionError(f"the benchmark import did not import its 10,000 rows: {job.status} {job.counts}")
    results.append(("list import, 10,000 rows: preview (worker, traced)", preview_seconds, 30, "s"))
    results.append(("list import, 10,000 rows: preview + import (traced)", preview_seconds + write_seconds, 60, "s"))
    results.append(("list import peak Python memory", max(preview_memory, write_memory), 300, "MB"))
