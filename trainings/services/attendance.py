"""Attendance: check-in, undo, walk-ins, and the attendance export."""

import csv
import io

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from signups.audit import audit_export
from signups.exports import phone_for_people, spreadsheet_cell
from signups.models import Volunteer
from trainings.models import Attendance, Registration, Session
from trainings.services.common import TrainingError, _as_uuid
from trainings.services.status import volunteer_training_status_refresh
from zones.prepared import execute_prepared


def attendance_record(*, session, volunteer, nonce, at=None, by=None, walk_in=False):
    """Check `volunteer` in to `session`.

    `nonce` is the id the phone made for this check-in: sending it again
    (a retry, a duplicated offline replay) returns the first row and changes
    nothing. A person already checked in (say by another trainer at the same
    moment) keeps the one check-in. `at` is the phone's time.

    Refuses a cancelled session (`session_cancelled`) and a nonce already used
    for someone else (`nonce_reused`). When the session is already done, the
    person's trained status is recomputed.

    The insert comes first and the database's unique constraints (one row
    per nonce, one standing check-in per person and session) decide: a
    first check-in is one transaction of two inserts (the row and its audit
    entry), with no lookup before it. Only a replay or a race pays for the
    lookup of the row that was there first.
    """
    nonce = _as_uuid(nonce)
    if session.status == Session.Status.CANCELLED:
        # A replay of a check-in made before the cancellation is still its own.
        return _attendance_already_there(session=session, volunteer=volunteer, nonce=nonce, cancelled=True)
    attendance = Attendance(
        session=session,
        volunteer=volunteer,
        nonce=nonce,
        phone_at=at,
        checked_in_by=by if by is not None and by.is_authenticated else None,
        walk_in=walk_in,
    )
    try:
        with transaction.atomic():
            attendance.save()
            if session.status == Session.Status.DONE:
                volunteer_training_status_refresh(volunteers=[volunteer])
    except IntegrityError:
        # The same nonce replayed, or another trainer checking in the same
        # person: theirs is ours.
        return _attendance_already_there(session=session, volunteer=volunteer, nonce=nonce)
    return attendance


def _attendance_already_there(*, session, volunteer, nonce, cancelled=False):
    """The check-in that made ours conflict: the one with this nonce, else
    the person's standing one in this session. One query."""
    rows = list(
        Attendance.objects.filter(
            Q(nonce=nonce) | Q(session=session, volunteer=volunteer, undone_at__isnull=True)
        )
    )
    previous = next((row for row in rows if row.nonce == nonce), None)
    if previous is not None:
        if previous.session_id != session.pk or previous.volunteer_id != volunteer.pk:
            raise TrainingError(_("This check-in was already used for someone else."), code="nonce_reused")
        return previous
    if cancelled:
        raise TrainingError(_("This training was cancelled."), code="session_cancelled")
    if rows:
        return rows[0]
    raise IntegrityError("a check-in conflicted with a row that is gone")


def attendance_undo(*, session, nonce, by=None):
    """Undo the check-in made with `nonce` in `session` (a mistaken tap).

    Undoing twice, or undoing a check-in this server never saw, changes
    nothing and returns None. The row is kept, marked undone, so a late replay
    of the same check-in does not bring it back."""
    nonce = _as_uuid(nonce)
    with transaction.atomic():
        attendance = (
            Attendance.objects.select_for_update()
            .filter(session=session, nonce=nonce)
            .select_related("volunteer")
            .first()
        )
        if attendance is None or attendance.undone_at is not None:
            return None
        attendance.undone_at = timezone.now()
        attendance.save(update_fields=["undone_at"])
        if session.status == Session.Status.DONE:
            volunteer_training_status_refresh(volunteers=[attendance.volunteer])
    return attendance


def attendance_record_walk_in(
    *, session, nonce, name, phone="", email="", language="en", address="", zip_code="", consent, at=None, by=None,
    message_kinds=None,
):
    """A walk-in: find or create the Volunteer (as the sign-up form does),
    place them on their block when the address resolves, and check them in.

    Replaying the same nonce returns the first check-in without touching the
    volunteer again. Refuses without consent (`consent_required`)."""
    previous = Attendance.objects.filter(nonce=_as_uuid(nonce)).first()
    if previous is not None:
        if previous.session_id != session.pk:
            raise TrainingError(_("This check-in was already used for someone else."), code="nonce_reused")
        return previous
    if not consent:
        raise TrainingError(_("We need the person's consent to keep their contact."), code="consent_required")
    with transaction.atomic():
        volunteer = volunteer_for_training(
            name=name, phone=phone, email=email, language=language, address=address,
            zip_code=zip_code, source=Volunteer.Source.WALK_IN, message_kinds=message_kinds,
        )
        # Someone who registered and then used the walk-in form (their name
        # was missed on the roster) is not a walk-in.
        registered = (
            Registration.objects.filter(session=session, volunteer=volunteer)
            .exclude(status=Registration.Status.CANCELLED)
            .exists()
        )
        return attendance_record(
            session=session, volunteer=volunteer, nonce=nonce, at=at, by=by, walk_in=not registered
        )


def volunteer_for_training(*, name, phone, email, language, address, zip_code, source, message_kinds=None):
    """Find the person by phone or email, or create them, exactly as sign-up
    does (signups.services.volunteer_upsert); the address places them on
    their block. Returns the Volunteer. Refusals are signups' SignupError.

    `message_kinds`: the kinds of messages ticked (None: not asked). The
    RSVP and walk-in forms ask which to add; leaving one unticked there
    takes nothing away (the join form and the person's own page do)."""
    from signups.services import volunteer_upsert
    from zones.services import block_for_address

    block, resolved = block_for_address(text=address) if address else (None, None)
    volunteer, _created = volunteer_upsert(
        name=name,
        phone=phone,
        email=email,
        language=language,
        block=block,
        # The house number found the block; it is kept only if the
        # organization chose to keep street addresses.
        street_address=f"{resolved.house_number} {resolved.street}"
        if resolved and settings.KEEP_STREET_ADDRESSES
        else "",
        zip_code=zip_code,
        source=source,
        consent_version=settings.CONSENT_VERSION,
        message_kinds=message_kinds,
        message_kinds_only_add=True,
    )
    return volunteer


def attendance_export_csv(*, session, user=None):
    """The attendance of one session as a CSV document (bytes), UTF-8 with a
    byte-order mark so spreadsheet programs read accents in names right.

    `user` is who asked: every export of attendance leaves through here."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [gettext("Name"), gettext("Phone"), gettext("Email"), gettext("Language"),
         gettext("Checked in at"), gettext("Walk-in")]
    )
    rows = Attendance.objects.active().filter(session=session).select_related("volunteer").order_by("volunteer__name")
    for attendance in rows:
        volunteer = attendance.volunteer
        writer.writerow(
            spreadsheet_cell(value)
            for value in [
                volunteer.name,
                # As in the volunteers CSV: "(215) 555-0101", which a
                # spreadsheet keeps as text, not +12155550101 as a number.
                phone_for_people(volunteer.phone),
                volunteer.email,
                volunteer.get_language_display(),
                # Empty once the details are shredded (trainings.retention).
                timezone.localtime(attendance.checked_in_at).strftime("%Y-%m-%d %H:%M")
                if attendance.checked_in_at
                else "",
                _yes_no(attendance.walk_in),
            ]
        )
    audit_export(
        user=user, model="trainings.attendance", row_count=len(rows),
        detail=f"attendance CSV of session {session.pk}",
    )
    return out.getvalue().encode("utf-8")


def _yes_no(value):
    # None: shredded, no longer known.
    if value is None:
        return ""
    return gettext("yes") if value else gettext("no")


# --- The trainer's tap, in two statements ----------------------------------------
#
# On launch day every trainer taps names at once, and building the ORM's
# queries was most of a check-in's time (about 1 ms per query here, against
# 0.03 ms for the statement itself). The common case, a first check-in of a
# registered person in a scheduled session, is therefore two hand-written
# statements: the lookup (the person registered, the session this trainer's),
# then one that inserts the check-in, writes its audit entry exactly as
# signups.audit does for a created row, and counts the session's check-ins.
# A conflict (a replay, or another trainer first) and every other case go
# through attendance_record. What the model signals would do, this does
# itself: the audit entry, and the generations that follow Attendance
# (trainings/tests/test_check_in_fast_path.py fails when a receiver is added
# that this path does not know).


def _tables():
    from django.contrib.auth import get_user_model

    from signups.audit import AuditEntry

    trainers = Session.trainers.through
    return {
        "registration": Registration._meta.db_table,
        "session": Session._meta.db_table,
        "trainers": trainers._meta.db_table,
        "trainer_user": trainers._meta.get_field(get_user_model()._meta.model_name).column,
        "trainer_session": trainers._meta.get_field("session").column,
        "volunteer": Volunteer._meta.db_table,
        "attendance": Attendance._meta.db_table,
        "audit": AuditEntry._meta.db_table,
    }


def check_in_lookup(*, session_id, volunteer_id, trainer):
    """(session status, person's name) when `volunteer_id` is registered
    (in any status, as the roster lists them) for `session_id` and
    `trainer` trains it; else None."""
    from django.db import connection

    t = _tables()
    with connection.cursor() as cursor:
        execute_prepared(
            cursor,
            f'SELECT s.status, v.name FROM "{t["registration"]}" r'
            f' JOIN "{t["session"]}" s ON s.id = r.session_id'
            f' JOIN "{t["trainers"]}" st ON st."{t["trainer_session"]}" = s.id AND st."{t["trainer_user"]}" = %s'
            f' JOIN "{t["volunteer"]}" v ON v.id = r.volunteer_id'
            " WHERE r.session_id = %s AND r.volunteer_id = %s LIMIT 1",
            [trainer.pk, session_id, volunteer_id],
        )
        return cursor.fetchone()


def check_in_in_one_statement():
    """Whether this database runs check_in_tap's statement (data-changing
    WITH): PostgreSQL. SQLite, the demo's, checks in through the ORM."""
    from django.db import connection

    return connection.vendor == "postgresql"


def check_in_tap(*, session_id, volunteer_id, trainer, nonce, at):
    """A trainer's tap on a registered person's name, in one statement on
    PostgreSQL: the lookup (check_in_lookup's), and for a scheduled session
    the check-in. None when the person is not on this trainer's session's
    list; else (session status, person's name, checked_in), checked_in being
    (the check-in's nonce, the counts {"checked_in", "walk_ins"}):
    - with this check-in, written;
    - for a replay of this very check-in (its nonce, for this person and
      session: an offline queue sending it again) or a person checked in
      already under another nonce (a second trainer's tap, a phone's old
      queue), that check-in's nonce and the counts as they stand, having
      written nothing, as attendance_record answers both;
    - None when nothing was written and attendance_record decides: a session
      not scheduled, a nonce that is someone else's, a row the statement
      could not see, or a database other than PostgreSQL."""
    from django.db import connection

    from pagecache.pages import GENERATIONS, generation_bump
    from signups.audit import AuditEntry, current_actor

    if not check_in_in_one_statement():
        found = check_in_lookup(session_id=session_id, volunteer_id=volunteer_id, trainer=trainer)
        return None if found is None else (*found, None)
    t = _tables()
    nonce = _as_uuid(nonce)
    now = timezone.now()
    actor = current_actor()  # who the audit log names, as for any save
    standing = f'FROM "{t["attendance"]}" WHERE session_id = %(session)s AND undone_at IS NULL'
    sql = (
        f'WITH found AS (SELECT s.status, v.name FROM "{t["registration"]}" r'
        f' JOIN "{t["session"]}" s ON s.id = r.session_id'
        f' JOIN "{t["trainers"]}" st ON st."{t["trainer_session"]}" = s.id AND st."{t["trainer_user"]}" = %(trainer)s'
        f' JOIN "{t["volunteer"]}" v ON v.id = r.volunteer_id'
        " WHERE r.session_id = %(session)s AND r.volunteer_id = %(volunteer)s LIMIT 1),"
        f' new AS (INSERT INTO "{t["attendance"]}"'
        " (session_id, volunteer_id, checked_in_at, phone_at, checked_in_by_id, walk_in, nonce, undone_at, details_shredded_at)"
        " SELECT %(session)s, %(volunteer)s, %(now)s::timestamptz, %(at)s::timestamptz, %(trainer)s, false,"
        " %(nonce)s::uuid, NULL, NULL FROM found WHERE found.status = %(scheduled)s"
        " ON CONFLICT DO NOTHING RETURNING id),"
        f' audit AS (INSERT INTO "{t["audit"]}"'
        " (at, actor_id, actor_name, action, model, object_id, subject, changed_fields, row_count, detail)"
        " SELECT %(now)s::timestamptz, %(actor)s::bigint, %(actor_name)s::text, %(create)s::text,"
        " 'trainings.attendance', new.id::text, %(subject)s::text, '[]'::jsonb, NULL, '' FROM new)"
        " SELECT found.status, found.name, (SELECT id FROM new),"
        f" (SELECT count(*) {standing}), (SELECT count(*) {standing} AND walk_in),"
        # The nonce's owner (NULL: unused, true: this person here, a replay:
        # a tenth of the taps when signal comes and goes), and the person's
        # standing check-in, whatever its nonce.
        f' (SELECT session_id = %(session)s AND volunteer_id = %(volunteer)s FROM "{t["attendance"]}"'
        " WHERE nonce = %(nonce)s::uuid),"
        f" (SELECT nonce {standing} AND volunteer_id = %(volunteer)s)"
        " FROM found"
    )
    with connection.cursor() as cursor:
        execute_prepared(cursor, sql, {
            "session": session_id, "volunteer": volunteer_id, "trainer": trainer.pk, "nonce": nonce,
            "now": now, "at": at, "scheduled": Session.Status.SCHEDULED.value,
            "actor": actor.pk if actor else None, "actor_name": actor.get_username() if actor else "",
            "create": AuditEntry.Action.CREATE.value, "subject": f"volunteer:{volunteer_id}",
        })
        row = cursor.fetchone()
    if row is None:
        return None
    status, name, new_id, checked_in, walk_ins, nonce_is_this_persons, standing_nonce = row
    if new_id is not None:
        # The statement sees the table as it was before its own insert.
        following = [generation for generation, models in GENERATIONS.items() if "trainings.Attendance" in models]
        generation_bump(*following, f"roster-{session_id}")
        return status, name, (nonce, {"checked_in": checked_in + 1, "walk_ins": walk_ins})
    counts = {"checked_in": checked_in, "walk_ins": walk_ins}
    if status != Session.Status.SCHEDULED:
        return status, name, None
    if nonce_is_this_persons:
        return status, name, (nonce, counts)
    if nonce_is_this_persons is None and standing_nonce is not None:
        return status, name, (standing_nonce, counts)
    return status, name, None
