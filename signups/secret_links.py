"""Pages reached through a secret link (a registration, a confirmation of
changes): the link is a bearer secret, so its page must not hand it on."""

from functools import wraps

from django.views.decorators.cache import never_cache


def secret_link_page(view):
    """Not cached anywhere, not indexed, and no Referer: a link followed from
    the page (or a resource it loads) must not carry its secret address
    elsewhere, our own logs included."""

    @never_cache
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapped
