"""A brand-new person's sign-up in one statement (volunteer_upsert's first try).

Most sign-ups are someone we have never seen. Through the ORM that was a
locked lookup, the insert, its audit entry, the campaign link and a commit:
about 3 ms of Python per sign-up, most of it the ORM building its queries.
Here one hand-written statement inserts the row only when no volunteer has
this phone or email (the same test as the full path's lookup), links the
campaign and writes the audit entry exactly as signups.audit does for a
created row. Nothing is written when someone is found or a racing insert
wins: the caller then takes the full path, which merges (a double tap still
makes one record). What the model signals would do besides, this does
itself: the generations that follow Volunteer. When a receiver it does not
know is connected, it steps aside (signups/tests/test_volunteer_insert.py).
"""

import functools
import re

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.utils import timezone

from zones.prepared import execute_prepared

# The receivers of a created Volunteer this statement stands in for:
# the audit log's, the page cache's generation bump, and the roster's,
# which ignores a new person.
KNOWN_RECEIVERS = {
    ("signups.audit", "_remember_old"),
    ("signups.audit", "_on_save"),
    ("pagecache.pages", "_bumper.<locals>.receiver"),
    ("trainings.apps", "TrainingsConfig.ready.<locals>.person_changed"),
}


def _receivers(signal, sender):
    found = signal._live_receivers(sender)
    found = found[0] if isinstance(found, tuple) else found
    return {(r.__module__, r.__qualname__) for r in found}


def fast_path_possible(model):
    """Whether every receiver of a created `model` row is one this path
    stands in for (checked per call: cheap, and a receiver connected later
    is seen)."""
    if connection.vendor != "postgresql":
        return False
    through = model.campaigns.through
    names = _receivers(pre_save, model) | _receivers(post_save, model)
    return names <= KNOWN_RECEIVERS and not _receivers(m2m_changed, through)


def _base_type(field, connection):
    # The column's type without its length: a cast to varchar(200) would
    # cut a longer value instead of refusing it.
    return re.sub(r"\(\d+\)", "", field.cast_db_type(connection))


@functools.cache
def _insert_sql(model, alias, *, by_phone, by_email, with_campaign):
    """(statement, fields whose values it takes first): built once per
    shape, since building it cost more than running it."""
    from signups.audit import AuditEntry

    connection = connections[alias]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    fields = [f for f in model._meta.local_concrete_fields if not f.primary_key]
    columns = ", ".join(quote(f.column) for f in fields)
    selected = ", ".join(f"%s::{_base_type(f, connection)}" for f in fields)
    # "NOT phone = ''" says what the unique index's predicate says: without
    # it the plan kept for every phone (zones.prepared) cannot use that
    # partial index, and read all of the table instead.
    conditions = [
        *(["(phone = %s AND NOT phone = '')"] if by_phone else []),
        *(["UPPER(email::text) = UPPER(%s)"] if by_email else []),
    ]
    sql = (
        f"WITH new AS (INSERT INTO {table} ({columns}) SELECT {selected}"
        f" WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {' OR '.join(conditions)})"
        " ON CONFLICT DO NOTHING RETURNING id)"
    )
    if with_campaign:
        field = model.campaigns.field
        through = quote(model.campaigns.through._meta.db_table)
        sql += (
            f", link AS (INSERT INTO {through} ({quote(field.m2m_column_name())}, {quote(field.m2m_reverse_name())})"
            " SELECT new.id, %s FROM new)"
        )
    sql += (
        f", audit AS (INSERT INTO {quote(AuditEntry._meta.db_table)}"
        " (at, actor_id, actor_name, action, model, object_id, subject, changed_fields, row_count, detail)"
        " SELECT %s, %s, %s, %s, %s, new.id::text, 'volunteer:' || new.id, '[]'::jsonb, NULL, '' FROM new)"
        " SELECT id FROM new"
    )
    return sql, fields


def volunteer_insert_new(volunteer, *, campaign):
    """Insert `volunteer` (an unsaved, cleaned instance) when nobody has its
    phone or email; link `campaign`; write its audit entry. Returns True
    with volunteer.pk set, or False when nothing was written."""
    from pagecache.pages import GENERATIONS, generation_bump
    from signups.audit import AuditEntry, current_actor

    model = type(volunteer)
    connection = connections[DEFAULT_DB_ALIAS]
    sql, fields = _insert_sql(
        model, connection.alias, by_phone=bool(volunteer.phone), by_email=bool(volunteer.email),
        with_campaign=campaign is not None,
    )
    params = [f.get_db_prep_save(f.pre_save(volunteer, add=True), connection) for f in fields]
    params += [value for value in (volunteer.phone, volunteer.email) if value]
    if campaign is not None:
        params.append(campaign.pk)
    actor = current_actor()
    params += [
        timezone.now(), actor.pk if actor is not None else None,
        actor.get_username() if actor is not None else "",
        AuditEntry.Action.CREATE.value, model._meta.label_lower,
    ]
    # A savepoint inside a caller's transaction (a walk-in), so that a
    # failed statement leaves it usable; on its own, one statement commits
    # by itself.
    with transaction.atomic() if connection.in_atomic_block else _nothing(), connection.cursor() as cursor:
        execute_prepared(cursor, sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    volunteer.pk = row[0]
    volunteer._state.adding = False
    volunteer._state.db = connection.alias
    following = [name for name, models in GENERATIONS.items() if model._meta.label in models]
    generation_bump(*following)
    return True


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
