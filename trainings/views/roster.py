"""The roster's list of people and the empty walk-in form, both rendered
once and kept in the shared cache; what differs per response (the CSRF token,
each form's nonce) is filled in on the way out."""

import itertools
import unicodedata
import uuid

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from pagecache.pages import CSRF_PLACEHOLDER, cached, per_response
from trainings.forms import WalkInForm
from trainings.models import Attendance, Registration


def _fold(text):
    """Lower case without accents, as the roster's script compares names:
    a trainer types "maria lopez" for "María Peña López"."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _roster_people(session, query):
    """Everyone the trainer may check in, with their check-in, and the counts,
    in two queries however long the roster is."""
    # Only the columns the page shows: a person's row carries a dozen dates
    # the roster never reads, each converted to a time zone on load.
    shown = ("volunteer__name", "volunteer__phone", "volunteer__email", "volunteer__language")
    registrations = list(
        Registration.objects.filter(session=session)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("volunteer")
        .only("session_id", "status", *shown)
        .order_by("volunteer__name", "pk")
    )
    attendances = {
        a.volunteer_id: a
        for a in Attendance.objects.active().filter(session=session).select_related("volunteer")
        .only("session_id", "nonce", "walk_in", "undone_at", *shown)
    }
    rows = []
    registered_ids = set()
    for registration in registrations:
        registered_ids.add(registration.volunteer_id)
        rows.append(
            {
                "volunteer": registration.volunteer,
                "waitlisted": registration.status == Registration.Status.WAITLISTED,
                "attendance": attendances.get(registration.volunteer_id),
            }
        )
    walk_ins = [a for a in attendances.values() if a.volunteer_id not in registered_ids]
    for attendance in sorted(walk_ins, key=lambda a: a.volunteer.name.lower()):
        rows.append({"volunteer": attendance.volunteer, "waitlisted": False, "attendance": attendance})
    registered_count = sum(1 for r in registrations if r.status == Registration.Status.REGISTERED)
    private = session.roster_is_private(registered_count)
    if query:
        words = _fold(query).split()
        for row in rows:
            name = _fold(row["volunteer"].name)
            row["match"] = all(word in name for word in words)
    else:
        for row in rows:
            row["match"] = not private
    counts = {
        "checked_in": len(attendances),
        "registered": registered_count,
        "walk_ins": sum(1 for a in attendances.values() if a.walk_in),
    }
    return rows, counts, private


# Every row's no-JavaScript check-in form carries a nonce of its own, made
# fresh for each response (a nonce shared by two pages could replay a
# check-in that was undone in between).
_NONCE_PLACEHOLDER = "rz-per-row-check-in-nonce"


def roster_rows(request, session, urls, query="", *, fill=True):
    """(the roster's list as HTML, counts, private).

    Without a search, the list is the same for every trainer of the session
    until someone on it changes: it is rendered once and kept in the shared
    cache under the session's roster generation (bumped by its check-ins,
    registrations and the session itself, see trainings.apps) and the
    "rosters" one (bumped when a person's name or contact changes). The CSRF
    token and each row's nonce are filled in per response."""

    def build():
        rows, counts, private = _roster_people(session, query)
        context = {
            "rows": rows, "urls": urls,
            "csrf_token": CSRF_PLACEHOLDER, "new_nonce": _NONCE_PLACEHOLDER,
        }
        return render_to_string("trainings/_roster_rows.html", context, request), counts, private

    if query:
        html, counts, private = build()
    else:
        key = f"roster:{session.pk}:{translation.get_language()}"
        html, counts, private = cached(key, [f"roster-{session.pk}", "rosters"], build)
    if fill:  # else the caller keeps the page and fills it (roster_fill)
        html = roster_fill(request, html)
    return mark_safe(html), counts, private  # our own template, escaped there


def fresh_nonces():
    """A maker of check-in nonces for one response, each a UUID no other
    response makes: 90 random bits drawn once for the response (a version 4
    UUID's first 24 hex digits), then the row's number. A uuid4() per row
    was a tenth of a 100-person roster's time."""
    random_part = uuid.uuid4().hex
    head = f"{random_part[0:8]}-{random_part[8:12]}-{random_part[12:16]}-{random_part[16:20]}-{random_part[20:24]}"
    rows = itertools.count()
    return lambda: f"{head}{next(rows):08x}"


def roster_fill(request, html):
    """A kept roster page or list, made this response's: its CSRF token,
    a fresh nonce per row and for the walk-in form."""
    token = get_token(request)
    nonce = fresh_nonces()
    return per_response(html, {
        CSRF_PLACEHOLDER: lambda: token, _NONCE_PLACEHOLDER: nonce, _WALK_IN_NONCE_PLACEHOLDER: nonce,
    })


_WALK_IN_NONCE_PLACEHOLDER = "rz-per-response-walk-in-nonce"


def walk_in_form_html(*, fill=True):
    """The roster's empty walk-in form, the same on every roster but for its
    nonce: crispy-forms took half of a roster's time to draw it, so it is
    drawn once per language and kept in the cache."""

    def build():
        form = WalkInForm(initial={"nonce": _WALK_IN_NONCE_PLACEHOLDER, "language": translation.get_language()})
        return render_to_string("trainings/_walk_in_form.html", {"form": form})

    html = cached(f"walk-in-form:{translation.get_language()}", [], build)
    if fill:
        html = per_response(html, {_WALK_IN_NONCE_PLACEHOLDER: uuid.uuid4})
    return mark_safe(html)  # our own template
