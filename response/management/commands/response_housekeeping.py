"""`manage.py response_housekeeping`, every few minutes from cron or a
systemd timer: pages the dispatchers of incidents open 6 hours, and erases
the details of incidents closed RAPID_DETAIL_DAYS ago."""

from django.core.management.base import BaseCommand

from response.decisions import incidents_page_stale
from response.geography import centroids_refresh
from response.retention import incident_details_erase


class Command(BaseCommand):
    help = "Page dispatchers of incidents open 6 hours; erase old incidents' details; refresh block centroids."

    def handle(self, *args, **options):
        centroids = centroids_refresh()
        paged = incidents_page_stale()
        erased = incident_details_erase()
        self.stdout.write(f"centroids refreshed: {centroids}, incidents paged: {paged}, details erased: {erased}")
