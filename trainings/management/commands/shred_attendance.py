from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from trainings.retention import attendance_details_shred


class Command(BaseCommand):
    help = (
        "For sessions that ended more than DAYS days ago (default: the "
        "ATTENDANCE_DETAIL_DAYS setting), keep who attended but empty the "
        "check-in time, the time on the phone, who checked them in and whether "
        "they walked in, and delete undone check-ins. Dry run unless --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=None, metavar="DAYS")
        parser.add_argument("--commit", action="store_true", help="Shred (default: only count).")

    def handle(self, *args, older_than, commit, **options):
        days = settings.ATTENDANCE_DETAIL_DAYS if older_than is None else older_than
        if days < 1:
            raise CommandError("--older-than must be at least 1 day.")
        counts = attendance_details_shred(older_than_days=days, commit=commit)
        verb = "Shredded" if commit else "Would shred (dry run; add --commit)"
        self.stdout.write(
            f"{verb}: details of {counts['shredded']} check-ins and "
            f"{counts['undone_deleted']} undone check-ins, at sessions that ended "
            f"more than {days} days ago."
        )
