"""Pages reached through a secret link (a registration, a confirmation of
changes): the link is a bearer secret, so its page must not hand it on."""

from functools import wraps

from django.views.decorators.cache import never_cache


def secret_link_page(view):
    """Not cached anywhere, not indexed, and no Referer to another host: a
    link followed from the page must not carry its secret address elsewhere.

    `same-origin`, not `no-referrer`: under no-referrer a browser posts the
    page's own forms ("I can't come", "confirm these changes") with
    `Origin: null`, which Django's CSRF check refuses, so nobody could use
    them. Our own host's logs record no Referer (gunicorn.conf.py,
    deploy/nginx.conf), and the secret paths are redacted from them."""

    @never_cache
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapped
