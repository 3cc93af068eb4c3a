"""The hand-written hot statements, planned once per database connection.

PostgreSQL plans a statement each time it receives one as text. The
statements a crowd sends over and over (a door tap, a check-in, a sign-up
and its block lookup) are written by hand to be one round trip each, and
planning them took more of the server's CPU than running them: 0.48 ms of
planning against 0.20 ms of execution for a tap. `execute_prepared` sends
such a statement once per connection as PREPARE and then only EXECUTE with
the values; the connections live across requests (CONN_MAX_AGE), so a
worker prepares each statement once.

A prepared statement belongs to its connection, outlives a rolled-back
transaction, and is gone with the connection: the names this process
prepared are kept per connection and forgotten when Django opens a new one.
A pooler that shares server connections between clients (PgBouncer in
transaction mode) would break this; docs/deploy.md connects gunicorn to
PostgreSQL directly.

On another database (SQLite, the demo) the statement is run as it is.
"""

import hashlib
import re

from django.db.backends.signals import connection_created

# %(name)s, %s and %% as psycopg2 reads them.
_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%s|%%")


def _numbered(sql):
    """(sql with $1, $2..., the parameter names or positions in order)."""
    order = []

    def number(match):
        if match.group(0) == "%%":
            return "%"
        name = match.group(1)
        if name is None:  # positional: each %s is a parameter of its own
            order.append(len(order))
            return f"${len(order)}"
        if name not in order:
            order.append(name)
        return f"${order.index(name) + 1}"

    return _PLACEHOLDER.sub(number, sql), order


def _forget_prepared(sender, connection, **kwargs):
    connection.rz_prepared = {}


connection_created.connect(_forget_prepared, dispatch_uid="rz.prepared.forget")


def execute_prepared(cursor, sql, params):
    """cursor.execute(sql, params), planned once per connection on
    PostgreSQL. `params` is a list for %s or a dict for %(name)s. A
    parameter whose type PostgreSQL cannot tell from where it stands (a
    value only selected, say) needs a cast in `sql` (%s::timestamptz)."""
    database = cursor.db
    if database.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    # Per connection: the statement's digest -> the name it was prepared
    # under, and how many times preparing it was tried.
    prepared = database.__dict__.setdefault("rz_prepared", {})
    digest = hashlib.sha256(sql.encode()).hexdigest()[:24]
    numbered, order = _numbered(sql)
    values = [params[key] for key in order]
    name = prepared.get(digest)
    if name is not None:
        cursor.execute(_execute(name, values), values)
        return
    # The first time, PREPARE and EXECUTE go together: one round trip, one
    # statement as Django counts them, as the text alone would be. When
    # that fails, whether the PREPARE stayed is unknown (it is not undone
    # with a transaction): the next try prepares under a new name.
    tries = prepared[digest, "tries"] = prepared.get((digest, "tries"), 0) + 1
    name = f"rz_{digest}_{tries}"
    cursor.execute(f"PREPARE {name} AS {numbered.replace('%', '%%')}; {_execute(name, values)}", values)
    prepared[digest] = name


def _execute(name, values):
    return f"EXECUTE {name} ({', '.join(['%s'] * len(values))})" if values else f"EXECUTE {name}"
