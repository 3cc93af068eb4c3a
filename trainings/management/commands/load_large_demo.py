import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from trainings.large_demo import (
    DEFAULT_DATA_DIR,
    DEFAULT_SESSIONS,
    DEFAULT_VOLUNTEERS,
    LargeDemoError,
    large_demo_load,
)


class Command(BaseCommand):
    help = (
        "Load a large, realistic demo into an empty database: every South Philadelphia "
        "block from the City's street centerline, the pilot zone and the neighborhoods as "
        "zones, fake volunteers (50,000 by default) and training sessions (1,000) with "
        "registrations and check-ins; trained status follows from attendance. Refuses a "
        "database that already holds volunteers unless --append. Same --seed, same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--volunteers", type=int, default=DEFAULT_VOLUNTEERS, metavar="N",
                            help=f"how many volunteers to create (default {DEFAULT_VOLUNTEERS})")
        parser.add_argument("--sessions", type=int, default=DEFAULT_SESSIONS, metavar="N",
                            help=f"how many training sessions to create (default {DEFAULT_SESSIONS})")
        parser.add_argument("--seed", type=int, default=1,
                            help="seed of the random choices: the same seed gives the same data (default 1)")
        parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR), metavar="DIR",
                            help="folder with the South Philadelphia centerline, neighborhoods and ZIP "
                                 f"code files (default {DEFAULT_DATA_DIR})")
        parser.add_argument("--append", action="store_true",
                            help="add to a database that already has volunteers (blocks and zones are "
                                 "updated, not duplicated; new people get unused phones and emails)")

    def handle(self, *args, volunteers, sessions, seed, data_dir, append, **options):
        started = time.perf_counter()
        try:
            report = large_demo_load(
                data_dir=data_dir, volunteers=volunteers, sessions=sessions, seed=seed,
                append=append, say=self.stdout.write,
            )
        except LargeDemoError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Large demo loaded in {time.perf_counter() - started:.1f} s: {report.blocks} blocks, "
            f"{report.zones} zones, {report.volunteers} volunteers, {report.sessions} sessions, "
            f"{report.registrations} registrations, {report.attendances} check-ins, "
            f"{report.trained} trained neighbors."
        ))
        if report.big_session_id:
            self.stdout.write(
                f"Session {report.big_session_id} starts this hour with {report.big_session_registered} "
                f"registered; {report.organizer} and {report.trainers[0]} train it."
            )
        self.stdout.write(
            f"Trainer accounts: {report.trainers[0]} to {report.trainers[-1]} (no password: "
            f"manage.py changepassword {report.trainers[0]})."
        )
        if report.organizer_password:
            self.stdout.write(self.style.SUCCESS(
                f"Demo organizer login: {report.organizer} / {report.organizer_password} "
                f"at {settings.SITE_URL.rstrip('/')}/{settings.ADMIN_URL}"
            ))
            self.stdout.write("This password is shown only once.")
        else:
            self.stdout.write(f"Demo organizer account {report.organizer!r} exists; its password is unchanged.")
