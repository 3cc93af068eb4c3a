from django.conf import settings
from django.core.management.base import BaseCommand

from signups.demo import demo_organizer_ensure, demo_signups_load, demo_steps_run
from trainings.demo import demo_trainings_load
from zones.demo import demo_zones_load


class Command(BaseCommand):
    help = (
        "Load the demo: South Philadelphia's blocks, the pilot zone, the "
        "launch-weekend campaign, a dozen fake volunteers and a demo organizer "
        "account, who also canvasses today with a demo team and dispatches the "
        "pilot's rapid response. Safe to run again: it creates nothing twice and never "
        "changes the organizer's password."
    )

    def handle(self, *args, **options):
        zone, zone_created, blocks_created, blocks_updated = demo_zones_load()
        self.stdout.write(
            f"Zone {zone.slug}: {'created' if zone_created else 'up to date'}; "
            f"blocks: {blocks_created} created, {blocks_updated} updated, "
            f"{zone.blocks.count()} in the pilot."
        )
        campaign, campaign_created, volunteers_created = demo_signups_load()
        self.stdout.write(
            f"Campaign {campaign.slug}: {'created' if campaign_created else 'up to date'}; "
            f"demo volunteers: {volunteers_created} created."
        )

        user, password = demo_organizer_ensure()
        # Organizers see only the zones they are assigned.
        zone.organizers.add(user)
        # After the zone and volunteers they refer to, and the organizer who
        # trains today's demo session.
        sessions_created = demo_trainings_load(zone=zone, trainer=user)
        self.stdout.write(f"Demo training sessions: {sessions_created} created.")
        # Canvassing and rapid response (signups.demo.demo_step_register):
        # after the trainings, whose attendance makes responders trained.
        for line in demo_steps_run(zone=zone, organizer=user):
            self.stdout.write(line)
        if password:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo organizer login: {user.username} / {password} "
                    f"at {settings.SITE_URL.rstrip('/')}/{settings.ADMIN_URL}"
                )
            )
            self.stdout.write("This password is shown only once.")
            self.stdout.write(
                "At the first login you set up the second step: scan the QR code with an "
                "authenticator app (FreeOTP, Aegis, Google Authenticator) and keep the backup codes."
            )
        else:
            self.stdout.write(
                f"Demo organizer account {user.username!r} exists; its password is unchanged."
            )
