"""django-tasks-db's db_worker, plus recovering what killed workers left
(messaging.recovery) and blanking old message texts (messaging.retention):
at start, then every MESSAGE_RECOVER_INTERVAL seconds
while it runs. Same name and options, so `manage.py db_worker` (make run,
the systemd unit, the tests) is this. Django takes the command of the app
listed first; messaging comes before django_tasks_db in INSTALLED_APPS, as
staticfiles' runserver comes before Django's own."""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from messaging.recovery import messages_recover
from messaging.retention import message_bodies_erase


def _housekeeping():
    messages_recover()
    message_bodies_erase()


def _recover_every(interval, stop):
    """The recovery thread (its own database connection, closed after each run)."""
    while not stop.wait(interval):
        close_old_connections()
        try:
            _housekeeping()
        except Exception:  # noqa: BLE001 - a failed run is retried at the next interval
            logging.getLogger("messaging.recovery").exception("Recovering messages failed")
        finally:
            connection.close()


class Command(DatabaseWorkerCommand):
    help = DatabaseWorkerCommand.help + ", recovering messages killed workers left behind"

    def handle(self, *args, **options):
        _housekeeping()
        stop = threading.Event()
        if not options.get("batch"):
            interval = settings.MESSAGE_RECOVER_INTERVAL
            threading.Thread(target=_recover_every, args=(interval, stop), daemon=True,
                             name="messages-recover").start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
