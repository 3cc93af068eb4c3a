from django.core.management.base import BaseCommand, CommandError

from signups.retention import volunteers_purge_inactive


class Command(BaseCommand):
    help = (
        "Remove volunteers with no sign-up, change, contact, registration or "
        "attendance in the last DAYS days, cancelled or waitlisted registrations "
        "of sessions that ended before then, and older failed-login records. "
        "Dry run unless --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, required=True, metavar="DAYS")
        parser.add_argument("--commit", action="store_true", help="Delete (default: only count).")

    def handle(self, *args, older_than, commit, **options):
        if older_than < 1:
            raise CommandError("--older-than must be at least 1 day.")
        counts = volunteers_purge_inactive(older_than_days=older_than, commit=commit)
        verb = "Deleted" if commit else "Would delete (dry run; add --commit)"
        self.stdout.write(
            f"{verb}: {counts['volunteers']} volunteers, {counts['registrations']} "
            f"expired registrations, {counts['login_records']} login records."
        )
