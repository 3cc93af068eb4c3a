"""The worker's half of "send me my link" (django.tasks, run by
`manage.py db_worker`)."""

from django.tasks import task

from messaging.self_service import self_service_link_send


@task()
def self_service_link_request(volunteer_id):
    """Queue the link for `volunteer_id`; None (nobody has that phone or
    email) does nothing. The request enqueues this task either way, so its
    answer and its timing say nothing of whether we know the person. Only
    an id is queued: the task table holds no phone or email."""
    self_service_link_send(volunteer_id=volunteer_id)
