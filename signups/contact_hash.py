"""A keyed hash of a phone number or an email: what the app keeps of a
contact it must recognise without keeping it (an opted-out number, a person
who asked to be forgotten).

Keyed (HMAC) rather than a plain hash: the few million phone numbers of a
city are quick to hash one by one, so a plain SHA-256 of a number is the
number. With the key kept out of the database, a stolen database dump does
not give the numbers back. CONTACT_HASH_KEY defaults to one derived from
SECRET_KEY; set it on its own so rotating SECRET_KEY does not forget who
opted out.
"""

import hashlib
import hmac

from django.conf import settings


def contact_normalized(value):
    """The form a contact is hashed in: E.164 phones as they are stored, emails
    lower-cased, surrounding space dropped."""
    return (value or "").strip().lower()


def contact_hash(value):
    """Hex HMAC-SHA256 of the normalized contact; "" for an empty one."""
    value = contact_normalized(value)
    if not value:
        return ""
    key = settings.CONTACT_HASH_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
