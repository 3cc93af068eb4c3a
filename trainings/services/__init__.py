"""Every change to registrations, attendance and trained status goes through
here: views, forms, the admin and commands call these functions so each rule
exists once.

Split by entity (registrations, attendance, status); everything is
importable from `trainings.services` as before.
"""

from trainings.services.attendance import (
    attendance_export_csv,
    attendance_record,
    attendance_record_walk_in,
    attendance_undo,
    volunteer_for_training,
)
from trainings.services.common import TrainingError
from trainings.services.registrations import (
    registration_calendar,
    registration_cancel,
    registration_create,
    registration_language,
    registration_link_resend,
    registration_rsvp,
)
from trainings.services.reminders import registration_reply, registration_send_reminders
from trainings.services.status import (
    session_mark_done,
    volunteer_training_status_refresh,
    volunteer_training_status_refresh_all,
)

__all__ = [
    "TrainingError",
    "attendance_export_csv",
    "attendance_record",
    "attendance_record_walk_in",
    "attendance_undo",
    "registration_calendar",
    "registration_cancel",
    "registration_create",
    "registration_language",
    "registration_link_resend",
    "registration_reply",
    "registration_rsvp",
    "registration_send_reminders",
    "session_mark_done",
    "volunteer_for_training",
    "volunteer_training_status_refresh",
    "volunteer_training_status_refresh_all",
]
