from django.core.management.base import BaseCommand

from trainings.services import registration_send_reminders


class Command(BaseCommand):
    help = (
        "Email a reminder to everyone registered (with an email address) for a "
        "training that starts within the next 24 hours, in their language. Each "
        "registration gets one reminder however often this runs: run it from cron, "
        "every hour."
    )

    def handle(self, *args, **options):
        sent = registration_send_reminders()
        self.stdout.write(f"Reminders sent: {sent}")
