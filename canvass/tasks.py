"""The worker's canvass tasks (django.tasks; run by `manage.py db_worker`)."""

from django.tasks import task

from canvass.snapshots import zone_snapshots_take


@task()
def zone_snapshots_task():
    """Today's progress snapshot of every zone (canvass.snapshots)."""
    return zone_snapshots_take()
