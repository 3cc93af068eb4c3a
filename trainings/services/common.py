"""What every trainings service shares: the refusal and the phone's ids."""

import uuid

from django.utils.translation import gettext_lazy as _


class TrainingError(Exception):
    """A refusal: `message` is translated for the page, `code` is stable for
    tests and the phone's script."""

    def __init__(self, message, *, code):
        super().__init__(str(message))
        self.message = message
        self.code = code


def _as_uuid(value):
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise TrainingError(_("This check-in has no valid id. Reload the page."), code="bad_nonce") from None
