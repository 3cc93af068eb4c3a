from django.core.management.base import BaseCommand

from trainings.services import registration_send_reminders


class Command(BaseCommand):
    help = (
        "Queue the training reminders that are due (the day before and two hours "
        "before), by each person's channel and in their language, for the worker "
        "to send. Each reminder is queued once however often this runs: run it "
        "from cron every 15 minutes."
    )

    def handle(self, *args, **options):
        queued = registration_send_reminders()
        self.stdout.write(f"Reminders queued: {queued}")
