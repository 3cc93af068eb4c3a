"""A logging filter that cuts secret tokens out of paths in log messages.

Django logs every 4xx with its path ("Not Found: /en/trainings/r/<token>/",
"Method Not Allowed (GET): …/cancel/"), and whoever holds a registration's
token can cancel the seat. gunicorn's access log uses this same function
(gunicorn.conf.py); nginx's does the same redaction (deploy/nginx.conf).
"""

import logging
import re

# The paths whose last part is a bearer secret: a registration's link, a
# one-time confirmation of changes, a sign-up table pass, a person's own
# settings page (messaging.self_service), a verifier's report link
# (response). gunicorn's access log uses this
# module too; deploy/nginx.conf repeats the list in its map.
_SECRET_PATH = re.compile(r"(/trainings/r/|/join/confirm/|/signup-table/|/me/|/respond/)[^/?#\s\"']+")


def redact_secret_paths(text):
    return _SECRET_PATH.sub(r"\1[token]", text)


class RewriteMessage(logging.Filter):
    """A filter that rewrites each record's message with `rewrite` (text ->
    text), once formatted, so no argument slips past it."""

    @staticmethod
    def rewrite(text):
        return text

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's business
            return True
        cleaned = self.rewrite(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class RedactSecretPaths(RewriteMessage):
    rewrite = staticmethod(redact_secret_paths)
