"""One-click unsubscribe from our emails (RFC 8058).

Every email a person did not ask for carries
    List-Unsubscribe: <https://…/<lang>/unsubscribe/<token>/>
    List-Unsubscribe-Post: List-Unsubscribe=One-Click
and the mail program POSTs "List-Unsubscribe=One-Click" to that URL, with
no cookie and no CSRF token: the signed token is the key. It holds the
keyed hash of the email (signups.contact_hash), not the email, so it keeps
working after the person is forgotten, and the POST records an OptOut for
that hash (the same as a STOP). A GET (a person clicking, or a mail
scanner following links) only shows a button: scanners must not
unsubscribe anyone.
"""

from django.conf import settings
from django.core import signing
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from messaging.models import OptOut
from signups.contact_hash import contact_hash
from signups.secret_links import secret_link_page

_SALT = "messaging.unsubscribe"


def unsubscribe_token(email):
    return signing.dumps(contact_hash(email), salt=_SALT, compress=False)


def unsubscribe_url(email, *, language):
    with translation.override(language):
        path = reverse("unsubscribe:unsubscribe", args=[unsubscribe_token(email)])
    return settings.SITE_URL.rstrip("/") + path


def _hash_of_token(token):
    try:
        hashed = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return hashed if isinstance(hashed, str) and len(hashed) == 64 else None


@secret_link_page
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    hashed = _hash_of_token(token)
    if hashed is None:
        return render(request, "messaging/unsubscribe.html", {"state": "unknown"}, status=404)
    if request.method == "POST":
        OptOut.objects.get_or_create(contact_hash=hashed, defaults={"source": OptOut.Source.UNSUBSCRIBE})
        return render(request, "messaging/unsubscribe.html", {"state": "done"})
    already = OptOut.objects.filter(contact_hash=hashed).exists()
    return render(request, "messaging/unsubscribe.html", {"state": "done" if already else "ask"})


__all__ = ["unsubscribe", "unsubscribe_token", "unsubscribe_url"]
