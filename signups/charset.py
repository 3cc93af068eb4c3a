"""Refuse, early and quietly, a request whose text we cannot read.

Every form of ours is UTF-8 (`<meta charset="utf-8">`, and browsers send
form posts without a charset). A request that declares another charset
(`application/x-www-form-urlencoded; charset=latin-1`, utf-16, utf-7,
shift_jis, or a name no codec knows), or a form body whose bytes are not
UTF-8, comes from a script or a broken client. Left to Django, the CSRF
check reads request.POST, which raises BadRequest; the error page's own
CSRF decorator reads it again and raises again, and the request ends as a
500 with a long traceback in the log, before any rate limit has counted it.

So this middleware, placed before everything that reads a form, answers
such a request with a short 400 page in both languages. It never logs the
body, nor the charset (text chosen by the sender).
"""

import codecs
import logging
from urllib.parse import unquote_to_bytes

from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# UTF-8 under any of its names, and ASCII, which is a part of it.
_READABLE = {"utf-8", "ascii"}
_FORM = "application/x-www-form-urlencoded"


def _declared_charset_is_readable(charset):
    try:
        return codecs.lookup(charset).name in _READABLE
    except LookupError:
        return False


def _form_body_is_utf8(body):
    # The body itself is percent-encoded ASCII; what it encodes must be
    # UTF-8, or Django would quietly turn the letters into "�".
    try:
        unquote_to_bytes(body.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def request_is_readable(request):
    """Whether this request's declared charset and form body are UTF-8.
    May read the body of a urlencoded form (Django keeps it for request.POST)."""
    charset = request.content_params.get("charset")
    if charset is not None:
        if not _declared_charset_is_readable(charset):
            return False
        # Django refuses a form whose charset is spelled other than
        # "utf-8" ("UTF8", "us-ascii"); these are all UTF-8 to us.
        request.encoding = "utf-8"
    if request.method == "POST" and request.content_type == _FORM:
        return _form_body_is_utf8(request.body)
    return True


class RefuseUnreadableBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            readable = request_is_readable(request)
        except (RequestDataTooBig, BadRequest):
            readable = False
        if not readable:
            return self.refusal()
        return self.get_response(request)

    @staticmethod
    def refusal():
        # Rendered without the request: the page shows nothing of it, and
        # nothing on the way (context processors, CSRF) can read its body.
        response = HttpResponseBadRequest(render_to_string("errors/unreadable_body.html"))
        # One short line instead of Django's "Bad Request: <path>": a path
        # may hold a registration link's secret token.
        logger.warning("Refused a request whose body is not UTF-8")
        response._has_been_logged = True
        return response
