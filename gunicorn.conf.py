"""gunicorn's settings for production, the benchmark and `make run`.

Every value can be changed by the environment (or gunicorn's own command
line, which wins over this file); docs/deploy.md says when to.
"""

import gc
import multiprocessing
import os

from gunicorn.glogging import Logger

from signups.log_redaction import redact_secret_paths

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# gunicorn's own rule of thumb, two processes per core plus one: a request
# spends part of its time waiting on Redis and PostgreSQL round trips, and a
# sync worker does nothing else meanwhile. Against cores + 1, measured back to
# back, check-ins, door taps and the roster went 15-40 % faster, and the
# public pages stayed within their targets; each worker is about 140 MB
# (docs/performance.md).
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))

# A request that takes longer than this is stuck: gunicorn kills the worker
# and starts a fresh one rather than let the queue behind it grow.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20

# A slow phone on one bar of signal must not hold a worker: in production a
# proxy (nginx) buffers the request and the response, and gunicorn talks
# only to it (docs/deploy.md). Sync workers close each connection after its
# response; the proxy keeps the phones' connections alive.

# Load the app before forking: workers share the imported code's memory
# pages, and a broken settings file stops the master at once, not each
# worker in a loop.
preload_app = True

# The access log leaves out query strings (a trainer's roster search ?q= is
# a name) and never logs cookies or bodies. Off unless asked for: under load
# one line per request costs a measurable share of the time.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'

# The last part of some paths is a secret (a registration's link, a
# confirmation link, a sign-up table pass): the same redaction as Django's
# log, from the one module that lists those paths (signups.log_redaction,
# which imports nothing of Django, so the master can load it first).


class RedactingLogger(Logger):
    """gunicorn's logger, with secret tokens cut out of every access log
    value (the path, the request line, the Referer of the next request)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact_secret_paths(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }


logger_class = RedactingLogger

# Young, middle and old generation thresholds of the garbage collector in
# the workers (when_ready); a young collection per 50,000 allocations is
# still several per second under load.
GC_THRESHOLDS = (50_000, 20, 100)


def when_ready(server):
    """In the master, before the workers fork: load the address parser's
    tables (about 40 MB of Python objects) once, then freeze everything
    loaded so far out of the garbage collector's reach. Without it each
    worker loaded the tables itself at its first sign-up, and every full
    collection walked them: a 30 ms pause, seen as the slowest sign-ups."""
    if not server.cfg.preload_app:
        return  # the app (and Django) is loaded in each worker instead
    from zones.address import resolver_load

    resolver_load()
    gc.freeze()
    # A request allocates thousands of short-lived objects, nearly all freed
    # by reference counting; at Python's default (a young collection every
    # 700 allocations) collecting them took 4-8 % of a sign-up's or a tap's
    # CPU for nothing. The workers fork from here and keep these thresholds.
    gc.set_threshold(*GC_THRESHOLDS)
