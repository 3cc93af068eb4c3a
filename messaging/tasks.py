"""The worker's tasks (django.tasks; run by `manage.py db_worker`)."""

from django.tasks import task

from messaging import delivery


@task()
def messages_deliver(message_ids):
    """Hand each queued message of `message_ids` to its channel's provider,
    once (messaging.delivery)."""
    delivery.messages_deliver(message_ids)
