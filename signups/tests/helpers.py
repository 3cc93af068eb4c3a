"""What a person's browser posts to /<lang>/join/."""

import time

from django.conf import settings

from signups.protection import HONEYPOT_FIELD, STARTED_FIELD, form_started_token


def join_data(**overrides):
    """A complete, valid sign-up; `overrides` change or (with None) remove fields."""
    data = {
        "name": "María Pérez Gómez",
        "phone": "215-555-0123",
        "email": "",
        "language": "es",
        "contact_methods": ["text", "whatsapp"],
        "address": "1123 S. Ninth Street, Apt 2",
        "zip_code": "",
        "block": "",
        "ways_to_help": ["get_trained", "knock_doors"],
        "weekend_availability": ["sat_am"],
        "consent": "on",
    }
    data.update(_bot_trap_fields())
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def _bot_trap_fields():
    # The public forms' bot traps (signups.protection): an empty honeypot and
    # a start time long enough ago for a person to have filled the form.
    started = time.time() - 10 * max(settings.FORM_MIN_FILL_SECONDS, 1)
    return {HONEYPOT_FIELD: "", STARTED_FIELD: form_started_token(started)}
