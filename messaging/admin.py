"""The messaging app's admin pages, each in its own module (imported here,
where Django's autodiscovery looks)."""

from messaging import admin_batch  # noqa: F401 (organizer messages to a segment)
from messaging import admin_messages  # noqa: F401 (the messages sent, read-only)
