from django.core.management.base import BaseCommand

from messaging.retention import message_bodies_erase


class Command(BaseCommand):
    help = "Blank the text of messages older than MESSAGE_BODY_DAYS (the rows and their statuses stay)."

    def handle(self, *args, **options):
        self.stdout.write(f"Erased the text of {message_bodies_erase()} messages.")
