"""Run the real worker (django-tasks-db's db_worker) over what is queued."""

from django.core.management import call_command


def worker_run_queued():
    """Process every task queued so far, as `manage.py db_worker --batch`
    does, in this process and this test's database."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
