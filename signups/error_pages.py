"""Error pages (handler400/403/404/500 in resistance_zone/urls.py).

Django's own handlers carry @requires_csrf_token, which runs the CSRF check
again and so reads request.POST: when the body is what made the request
fail, the error page fails too and the visitor gets a bare 500. Our error
templates have no form and need no token, so these render them without it,
never touching the body.
"""

from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template.loader import render_to_string


def bad_request(request, exception=None):
    return HttpResponseBadRequest(render_to_string("400.html", request=request))


def permission_denied(request, exception=None):
    return HttpResponseForbidden(render_to_string("403.html", request=request))


def page_not_found(request, exception=None):
    return HttpResponseNotFound(render_to_string("404.html", request=request))


def server_error(request):
    # No request: whatever broke may be in what the context processors read.
    return HttpResponseServerError(render_to_string("500.html"))
