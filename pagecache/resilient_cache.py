"""The shared cache (Redis) as an optimization the site can lose.

On launch day one Redis restart must not take the public site down. Every
call to Redis here gives up after a short socket timeout (CACHE_SOCKET_TIMEOUT,
0.25 s) and, once one has failed, a circuit breaker sends every call of this
process straight past Redis for the next CACHE_RETRY_SECONDS: a hung Redis
costs one timeout, not one per request. A thread of the process pings Redis
every CACHE_RETRY_SECONDS meanwhile and closes the breaker when it answers.
The breaker is per process (each gunicorn worker finds out for itself), per
Redis address.

What a call does while Redis is away depends on the cache alias:

- With a FALLBACK alias (settings: "default", which the rate limits use), the
  call goes to that cache instead: the database cache table, shared by every
  worker and every host like Redis, so a limit keeps counting.
- Without one ("best_effort": the page cache and the session cache), Redis
  behaves as an empty cache that forgets what it is given: reads miss,
  writes are dropped. Pages are rendered fresh, sessions are read from their
  table. A write dropped this way leaves Redis holding the value from
  before (a Redis that hung keeps its data): its key is remembered and
  deleted before the breaker closes, so a logged-out session or a page
  generation that moved cannot come back when Redis does.
"""

import inspect
import logging
import os
import threading
import time

import redis
from django.core.cache import caches
from redis.backoff import NoBackoff
from redis.retry import Retry

from pagecache.redis_cache import SharedClientRedisCache

logger = logging.getLogger(__name__)

DEFAULT_SOCKET_TIMEOUT = 0.25
DEFAULT_RETRY_SECONDS = 3


# Past this many keys lost under one prefix (a long outage, pages under many
# URLs), a worker stops remembering them one by one and, when Redis answers,
# deletes every key of that prefix instead: what a Redis restart does, which
# the site is built to survive. Memory stays bounded whatever is requested.
MAX_LOST_WRITES = 10_000


class Breaker:
    """Whether this process talks to one Redis right now, and the keys whose
    writes were lost while it did not."""

    def __init__(self, location, retry_seconds, client_options):
        self.location = location
        self.retry_seconds = retry_seconds
        self._client_options = client_options
        self._lock = threading.Lock()
        self._open = False
        # The key pattern of a prefix -> its keys lost, or None: all of them.
        self._lost = {}

    @property
    def is_open(self):
        return self._open

    def trip(self, error):
        with self._lock:
            if self._open:
                return
            self._open = True
        # No address: a Redis URL may carry a password.
        logger.warning(
            "The shared cache (Redis) did not answer (%s): going without it, trying again every %s s.",
            type(error).__name__, self.retry_seconds,
        )
        threading.Thread(target=self._probe_until_answering, name="rz-cache-probe", daemon=True).start()

    def lost(self, pattern, raw_keys):
        """Remember `raw_keys` under `pattern` (None: every key of it)."""
        with self._lock:
            self._remember(pattern, None if raw_keys is None else set(raw_keys))

    def _remember(self, pattern, keys):
        known = self._lost.setdefault(pattern, set())
        if known is None:
            return
        if keys is not None:
            known.update(keys)
        if keys is None or len(known) > MAX_LOST_WRITES:
            self._lost[pattern] = None

    def _probe_until_answering(self):
        client = redis.Redis.from_url(self.location, **self._client_options)
        try:
            while True:
                time.sleep(self.retry_seconds)
                if self._forget_lost_writes(client):
                    logger.warning("The shared cache (Redis) answers again.")
                    return
        finally:
            client.close()

    def _forget_lost_writes(self, client):
        """Delete what Redis may hold from before a lost write, then close.
        True when closed."""
        try:
            client.ping()
        except redis.RedisError:
            return False
        while True:
            with self._lock:
                if not self._lost:
                    self._open = False
                    return True
                pattern, keys = self._lost.popitem()
            try:
                _delete(client, pattern, keys)
            except redis.RedisError:
                with self._lock:
                    self._remember(pattern, keys)
                return False


def _delete(client, pattern, keys):
    if keys is None:
        keys = client.scan_iter(match=pattern, count=1000)
    batch = []
    for key in keys:
        batch.append(key)
        if len(batch) == 500:
            client.delete(*batch)
            batch = []
    if batch:
        client.delete(*batch)


def _glob_escape(text):
    return "".join("\\" + char if char in "*?[]\\" else char for char in text)


_breakers = {}
_breakers_lock = threading.Lock()


def breaker_for(location, retry_seconds, client_options):
    # Keyed by process too: gunicorn loads the app before it forks, and a
    # worker must not inherit a breaker (whose probe thread did not follow).
    key = (os.getpid(), location)
    with _breakers_lock:
        if key not in _breakers:
            _breakers[key] = Breaker(location, retry_seconds, client_options)
        return _breakers[key]


def _missing(arguments):
    raise ValueError(f"Key '{arguments['key']}' not found.")


# What each call answers when Redis is away and there is no fallback: the
# answers of an empty cache that forgets at once what it is given.
_EMPTY_ANSWERS = {
    "get": lambda arguments: arguments["default"],
    "get_many": lambda arguments: {},
    "has_key": lambda arguments: False,
    "add": lambda arguments: True,
    "set": lambda arguments: None,
    "touch": lambda arguments: False,
    "delete": lambda arguments: False,
    "incr": _missing,
    "set_many": lambda arguments: [],
    "delete_many": lambda arguments: None,
    "clear": lambda arguments: None,
}


def _written_keys(name, arguments):
    if name in ("add", "set", "touch", "delete", "incr"):
        return [arguments["key"]]
    if name == "set_many":
        return list(arguments["data"])
    if name == "delete_many":
        return list(arguments["keys"])
    return []


class ResilientRedisCache(SharedClientRedisCache):
    """Django's Redis cache (one client per pool) that a Redis down or hung
    cannot break. OPTIONS: FALLBACK (a cache alias, optional), RETRY_SECONDS,
    and redis-py's own (socket_timeout defaults to 0.25 s)."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self._fallback_alias = options.pop("FALLBACK", None)
        retry_seconds = options.pop("RETRY_SECONDS", DEFAULT_RETRY_SECONDS)
        options.setdefault("socket_timeout", DEFAULT_SOCKET_TIMEOUT)
        options.setdefault("socket_connect_timeout", options["socket_timeout"])
        # One try per call: the breaker, not a retry, decides when to try again.
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, {**params, "OPTIONS": options})
        client_options = {
            name: options[name] for name in ("socket_timeout", "socket_connect_timeout", "retry")
        }
        self._breaker = breaker_for(self._servers[0], retry_seconds, client_options)

    @property
    def answering(self):
        """False while this process goes without Redis."""
        return not self._breaker.is_open

    def run_script(self, source, keys, args, version=None):
        """The script's answer, or None while Redis is away: the caller then
        does the same with the cache's plain calls, which go to the fallback."""
        if self._breaker.is_open:
            return None
        try:
            return super().run_script(source, keys, args, version=version)
        except redis.RedisError as error:
            self._breaker.trip(error)
            return None

    def _without_redis(self, name, arguments):
        if self._fallback_alias is not None:
            fallback = caches[self._fallback_alias]
            return getattr(fallback, name)(**{k: v for k, v in arguments.items() if k != "self"})
        pattern = f"{_glob_escape(self.key_prefix)}:*"
        if name == "clear":
            self._breaker.lost(pattern, None)
        elif keys := _written_keys(name, arguments):
            version = arguments.get("version")
            self._breaker.lost(pattern, (self.make_and_validate_key(key, version=version) for key in keys))
        return _EMPTY_ANSWERS[name](arguments)


def _resilient(name):
    redis_method = getattr(SharedClientRedisCache, name)
    signature = inspect.signature(redis_method)

    def method(self, *args, **kwargs):
        if not self._breaker.is_open:
            try:
                return redis_method(self, *args, **kwargs)
            except redis.RedisError as error:
                self._breaker.trip(error)
        arguments = signature.bind(self, *args, **kwargs)
        arguments.apply_defaults()
        return self._without_redis(name, arguments.arguments)

    method.__name__ = name
    method.__doc__ = redis_method.__doc__
    return method


for _name in _EMPTY_ANSWERS:
    setattr(ResilientRedisCache, _name, _resilient(_name))
