"""Sign-up table mode: one shared tablet, many neighbors, one address.

A church basement or a canvass launch sends every sign-up from one Wi-Fi,
which the per-address rate limit (signups.protection) would soon refuse. An
organizer or trainer, logged in with their second factor, opens the
"sign-up table" page and gets a link and a QR code; opened on the tablet,
it leaves a signed pass in a cookie there for one day. Posts carrying a
valid pass skip the per-address budget; the bot traps and the per-contact
budget still apply, so the tablet cannot be used to pound one neighbor's
phone.

The pass names the staff member who issued it and is checked against their
account at every post: an account deactivated (or no longer organizer or
trainer) ends its passes at once.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from signups.audit import audit_table_pass
from signups.roles import ORGANIZER, TRAINER
from signups.secret_links import secret_link_page

TABLE_COOKIE = "rz_table"
TABLE_PASS_SECONDS = 60 * 60 * 24
_SALT = "rz.signup-table"


def _may_run_a_table(user):
    """Organizers, trainers and superusers; one query, only at a table."""
    return get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__name__in=[ORGANIZER, TRAINER]), pk=user.pk, is_active=True
    ).exists()


def table_pass_issue(*, user):
    """A signed pass for a shared tablet, valid TABLE_PASS_SECONDS."""
    audit_table_pass(user=user)
    return signing.dumps({"u": user.pk}, salt=_SALT, compress=True)


def table_pass_valid(token):
    """True for a pass of ours, less than a day old, whose issuer may still
    run a sign-up table."""
    try:
        data = signing.loads(token or "", salt=_SALT, max_age=TABLE_PASS_SECONDS)
    except signing.BadSignature:
        return False
    user_pk = data.get("u") if isinstance(data, dict) else None
    if not isinstance(user_pk, int):
        return False
    user = get_user_model()(pk=user_pk)
    return _may_run_a_table(user)


def has_table_pass(request):
    # Most posts carry no pass: no query for them.
    token = request.COOKIES.get(TABLE_COOKIE)
    return bool(token) and table_pass_valid(token)


@login_required
@require_safe
@never_cache
def signup_table(request):
    """The staff page: the link and QR code to open on the shared tablet."""
    if not _may_run_a_table(request.user):
        raise PermissionDenied
    from zones.packets import qr_svg

    token = table_pass_issue(user=request.user)
    url = request.build_absolute_uri(reverse("signups:signup_table_open", args=[token]))
    return render(request, "signups/signup_table.html", {"url": url, "qr": qr_svg(url)})


@secret_link_page
@require_safe
def signup_table_open(request, token):
    """Opened on the tablet: keep the pass in a cookie, go to the sign-up
    form. The cookie lasts only as long as the pass."""
    if not table_pass_valid(token):
        raise Http404
    response = redirect("signups:join")
    response.set_cookie(
        TABLE_COOKIE, token, max_age=TABLE_PASS_SECONDS, secure=request.is_secure(), httponly=True, samesite="Lax"
    )
    return response
