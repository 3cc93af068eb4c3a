"""PostgreSQL going away: a plain 503 page in both languages, never a 500.

While the database does not answer (stopped, restarting, failing over),
every page that needs it answers 503 with Retry-After, the same page in
English and Spanish, saying nothing of the request or the error. The
middleware catches what a view raises and logs one line; the 500 handler
catches what middleware raises on the way (the session, the logged-in
user). Neither keeps any state: the next request opens a new connection
(persistent connections are health-checked, settings.CONN_HEALTH_CHECKS),
so the site is back as soon as PostgreSQL is, without a restart.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from signups import error_pages

logger = logging.getLogger(__name__)

# What the database driver raises when it cannot reach PostgreSQL, or loses
# it in the middle of a request.
DATABASE_AWAY = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable_response():
    # No request in the template: the context processors read the session
    # and the user, which live in the database.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Not for a proxy or a browser to keep: the site is back in a minute.
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_AWAY):
            # The class only: the driver's message names the database host.
            logger.warning("The database did not answer (%s): answered 503.", type(exception).__name__)
            return database_unavailable_response()
        return None


def server_error(request):
    """handler500: the 503 page when the error was the database going away
    (raised by a middleware, before or after the view), else the 500 page."""
    if isinstance(sys.exc_info()[1], DATABASE_AWAY):
        return database_unavailable_response()
    return error_pages.server_error(request)
