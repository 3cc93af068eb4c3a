"""Render once what is identical for every visitor, and forget it the moment
the data it shows changes.

On launch day a shared link brings thousands of phones to the same few
pages. Each page that looks the same to everyone (the landing page, the
empty join form, the trainings list, the map's blocks) is kept, rendered,
in the shared cache (Redis in production, so every gunicorn worker and every
host sees the same copy), under the *generation* of the data it shows.

A generation is a counter per kind of data ("coverage", "trainings",
"campaigns", "rosters"). Saving or deleting any model it depends on bumps
it, at once and again after the transaction commits. The code paths that
write with QuerySet.update() or bulk_create(), which send no signals, call
`generation_bump` themselves. An entry carries the generations it was built
for; read under newer ones, it is built again.

What differs per request (the CSRF token, the form's signed start time)
stays out of the cached HTML: it is rendered as a placeholder and filled in
for each response.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


class _BestEffortCache:
    """The cache pages and generations are kept in: "best_effort", which
    behaves as an empty cache while Redis is away (pagecache/resilient_cache.py),
    so every page is then rendered fresh and nothing is kept anywhere that
    could go stale. Settings with one cache (the demo, some tests): that one."""

    def __getattr__(self, name):
        alias = "best_effort" if "best_effort" in settings.CACHES else "default"
        return getattr(caches[alias], name)


cache = _BestEffortCache()

# Which models each generation follows, and the membership changes that
# move what someone sees without saving a row: filled by the apps that own
# the models (each app's ready() calls generation_follows), so this module
# imports no app. Model senders are "app_label.Model" strings.
GENERATIONS = {}
M2M_GENERATIONS = {}
# Values that differ per request and are filled into a kept page: context
# name -> maker, also filled by the apps (signups: the form's start time).
PER_REQUEST_VALUES = {}


def generation_follows(name, models=(), m2m=()):
    """Say that generation `name` changes whenever one of `models` is saved
    or deleted, or one of the many-to-many relations `m2m`
    ("app_label.Model.field") changes."""
    GENERATIONS.setdefault(name, [])
    GENERATIONS[name].extend(model for model in models if model not in GENERATIONS[name])
    M2M_GENERATIONS.setdefault(name, [])
    M2M_GENERATIONS[name].extend(relation for relation in m2m if relation not in M2M_GENERATIONS[name])


def per_request_value(context_name, make):
    """Fill `context_name` in every kept page with `make()`, per response."""
    PER_REQUEST_VALUES[context_name] = make


# How long a rendered page lives even if nothing changes: a deploy that
# changes a template shows everywhere within this time.
PAGE_SECONDS = 10 * 60

# Stand-ins for what differs per request, replaced in every response.
CSRF_PLACEHOLDER = "rz-per-request-csrf-token"


def _placeholder(context_name):
    return f"rz-per-request-{context_name.replace('_', '-')}"


def _generation_key(name):
    return f"rz:generation:{name}"


def _fresh_start():
    # A counter lost from the cache (evicted, or a Redis restart) must not
    # start again at a number it had before, whose pages may still be kept:
    # it starts from the clock instead.
    return time.time_ns() // 1000


def _generations_and(names, *other_keys, found=None):
    """({name: number}, {other key: value}) in one round trip to the cache
    (two when a counter has to be started), or none when `found` holds what
    a read of all those keys found (cached_entry_keys)."""
    keys = {_generation_key(name): name for name in names}
    if found is None:
        found = cache.get_many([*keys, *other_keys])
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, _fresh_start(), timeout=None)
        found.update(cache.get_many(missing))
    return {name: found.get(key, 0) for key, name in keys.items()}, found


def generations(*names, found=None):
    """{name: number}, in one round trip to the cache when all exist; in
    none from `found`, what a read of generation_keys(names) found."""
    return _generations_and(names, found=None if found is None else dict(found))[0]


def generation_keys(names):
    return [_generation_key(name) for name in names]


# Generations a staff page reads on most of its requests (the map's ETag),
# named by the apps that read them (their ready()): read together with a
# staff session (signups.sessions), so the page gets them without a round
# trip of its own.
READ_WITH_STAFF_SESSION = []


def generations_read_with_staff_session(*names):
    READ_WITH_STAFF_SESSION.extend(name for name in names if name not in READ_WITH_STAFF_SESSION)


# generation_bump's counters in one script: each one that exists counts up,
# each one missing starts from the clock (ARGV[1]), kept without expiry.
_BUMP = """
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then redis.call('INCR', key) else redis.call('SET', key, ARGV[1]) end
end
return #KEYS
"""


def generation_bump(*names):
    """Say that the data behind `names` changed: now, and again when the
    transaction commits. Now, so the writer's own next read inside the
    transaction is fresh; at commit, because a page another request rendered
    in between from the rows as they were before the commit would otherwise
    be kept under the new number."""

    keys = [_generation_key(name) for name in names]

    def bump():
        # On Redis, every counter in one round trip; elsewhere (and while
        # Redis is away, so the keys it missed are remembered) one by one.
        run_script = getattr(cache, "run_script", None)
        if run_script is not None and run_script(_BUMP, keys, [_fresh_start()]) is not None:
            return
        for key in keys:
            # incr() is atomic in Redis and in the database cache alike; a
            # missing counter starts from the clock.
            try:
                cache.incr(key)
            except ValueError:
                if not cache.add(key, _fresh_start(), timeout=None):
                    cache.incr(key)  # another request started it meanwhile

    bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump)


def stamp(*parts):
    """A short, stable digest of `parts`, for cache keys and ETags."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def cached_entry_keys(key, depends_on):
    """The cache keys cached_entry reads, for a caller that reads them
    together with something else of its own (signups.sessions)."""
    return [*(_generation_key(name) for name in depends_on), f"rz:page:{key}"]


def cached_entry(key, depends_on, *, found=None):
    """(version, value) of what is kept under `key`: `version` names the
    current generations of `depends_on`, `value` is None unless it was kept
    under that same version. One round trip to the cache: the counters and
    the entry come together, the entry carrying the version it was built
    for. None with `found`: what a read of cached_entry_keys found."""
    entry_key = f"rz:page:{key}"
    current, found = _generations_and(depends_on, entry_key, found=found)
    version = stamp(sorted(current.items()))
    kept = found.get(entry_key)
    if kept is not None and kept[0] == version:
        return version, kept[1]
    return version, None


def cached_keep(key, version, value, *, timeout=PAGE_SECONDS):
    cache.set(f"rz:page:{key}", (version, value), timeout=timeout)


def cached(key, depends_on, build, *, timeout=PAGE_SECONDS):
    """`build()`'s value, kept under `key` until the data of `depends_on`
    changes. One cache round trip when it is there."""
    version, value = cached_entry(key, depends_on)
    if value is None:
        value = build()
        cached_keep(key, version, value, timeout=timeout)
    return value


def _bumper(names):
    def receiver(sender, **kwargs):
        generation_bump(*names)

    return receiver


_receivers = []


def connect():
    """Bump generations when their models change (called once, when the
    apps are ready: pagecache comes after the apps that register)."""
    by_model = {}
    for name, models in GENERATIONS.items():
        for model in models:
            by_model.setdefault(model, []).append(name)
    for model, names in by_model.items():
        receiver = _bumper(tuple(names))
        _receivers.append(receiver)  # signals hold receivers weakly
        post_save.connect(receiver, sender=model, dispatch_uid=f"rz.caching.save.{model}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"rz.caching.delete.{model}")
    from django.apps import apps

    for name, relations in M2M_GENERATIONS.items():
        for relation in relations:
            app_model, field_name = relation.rsplit(".", 1)
            through = getattr(apps.get_model(app_model), field_name).through
            receiver = _bumper((name,))
            _receivers.append(receiver)
            m2m_changed.connect(receiver, sender=through, dispatch_uid=f"rz.caching.m2m.{relation}")


def per_response(html, fills):
    """`html` kept in the cache, made this response's: each placeholder of
    `fills` replaced by a value of its maker, called once per occurrence (a
    row's nonce must differ from the next row's). A maker of one value for
    the whole page (the CSRF token) is a lambda returning it."""
    for placeholder, make in fills.items():
        first, *rest = html.split(placeholder)
        html = first + "".join(str(make()) + part for part in rest)
    return html


def page_for_everyone(request, template_name, *, depends_on, context=dict, timeout=PAGE_SECONDS):
    """The response of a page every visitor of this URL sees alike, from the
    cache, with this request's CSRF token and form start time filled in.

    `context` is a callable: nothing is queried when the page is cached.
    A visitor with a message waiting ("you are signed up") gets the page
    rendered for them alone, since the message is theirs."""
    from django.contrib.messages import get_messages
    from django.http import HttpResponse
    from django.middleware.csrf import get_token
    from django.shortcuts import render
    from django.template.loader import render_to_string

    if len(get_messages(request)):
        return render(request, template_name, context())

    def build():
        page_context = {
            **context(),
            "csrf_token": CSRF_PLACEHOLDER,
            **{name: _placeholder(name) for name in PER_REQUEST_VALUES},
        }
        return render_to_string(template_name, page_context, request)

    key = f"{request.get_full_path()}:{template_name}"
    html = cached(stamp(key), depends_on, build, timeout=timeout)
    token = get_token(request) if CSRF_PLACEHOLDER in html else ""
    fills = {_placeholder(name): make for name, make in PER_REQUEST_VALUES.items()}
    return HttpResponse(per_response(html, {CSRF_PLACEHOLDER: lambda: token, **fills}))
