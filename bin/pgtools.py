"""What bin/backup-database and bin/restore-check share: the database at
DATABASE_URL (read like the settings do, `.env` included), libpq's
environment for pg_dump and pg_restore (the password travels in the
environment, never on a command line that `ps` shows), and the row count of
every table."""

import contextlib
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def database_config():
    import environ

    if (BASE_DIR / ".env").exists():
        environ.Env.read_env(BASE_DIR / ".env")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://", "psql://")):
        sys.exit("Set DATABASE_URL to the PostgreSQL database (postgres://user:password@host:5432/name).")
    return environ.Env.db_url_config(url)


def libpq_env(config, *, dbname=None):
    env = dict(os.environ)
    values = {
        "PGHOST": config.get("HOST"),
        "PGPORT": config.get("PORT"),
        "PGUSER": config.get("USER"),
        "PGPASSWORD": config.get("PASSWORD"),
        "PGDATABASE": dbname or config["NAME"],
    }
    env.update({key: str(value) for key, value in values.items() if value not in (None, "")})
    return env


@contextlib.contextmanager
def connect(config, *, dbname=None, autocommit=False):
    import psycopg2

    connection = psycopg2.connect(
        dbname=dbname or config["NAME"],
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        connect_timeout=10,
    )
    connection.autocommit = autocommit
    try:
        yield connection
    finally:
        connection.close()


def table_counts(cursor):
    """{"schema.table": rows} for every table outside PostgreSQL's own
    schemas, counted exactly (count(*), not the planner's estimate)."""
    from psycopg2 import sql

    cursor.execute(
        """
        SELECT n.nspname, c.relname
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_toast%'
          AND n.nspname NOT LIKE 'pg\\_temp%'
        ORDER BY 1, 2
        """
    )
    counts = {}
    for schema, table in cursor.fetchall():
        cursor.execute(sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table)))
        counts[f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts
