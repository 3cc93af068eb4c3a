"""Rate limits of the public forms, counted in the shared cache.

- `client_ip`: the one place that decides who "an address" is (rate limits
  and django-axes both use it), trusting X-Forwarded-For only as far as the
  number of proxies the deployment declares (TRUSTED_PROXY_COUNT).
- `rate_limit_check`: a post counted per address and per contact (phone,
  email) in the shared cache (database or Redis: every gunicorn worker sees
  the same count), in fixed windows (`Window`); on Redis the whole rule is
  one script, one round trip. signups.protection.guard_public_form calls it
  before the view runs, and `rate_limit_record_success` after an accepted
  post. Addresses and contacts are kept only as keyed hashes.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac


def client_ip(request):
    """The client's address: the socket's, or, behind N trusted proxies, the
    N-th address from the right of X-Forwarded-For (the left part is written
    by the client and can be anything)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return remote


def _digest(who):
    # Addresses and contacts are hashed with the secret key: the cache never
    # holds a neighbor's IP, phone or email.
    return salted_hmac("rz.rate-limit", who, algorithm="sha256").hexdigest()[:32]


def _rate_key(request, scope):
    # A staff member (a trainer entering walk-ins on one church wifi) is
    # counted by account, everyone else by address.
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        who = f"user:{request.user.pk}"
    else:
        who = f"ip:{client_ip(request)}"
    return f"rz:rate:{scope}:{_digest(who)}"


def _contact_keys(request, scope):
    """One key per contact the post names (its phone, its email), normalized
    as the sign-up service stores them, so "215-555-0123" and "(215) 555 0123"
    are one budget. A phone that is not a phone is counted as typed."""
    from signups.services import SignupError, email_normalize, phone_normalize

    contacts = set()
    phone = request.POST.get("phone", "")
    if phone.strip():
        try:
            contacts.add("phone:" + phone_normalize(phone))
        except SignupError:
            contacts.add("phone:" + phone.strip())
    email = email_normalize(request.POST.get("email", ""))
    if email:
        contacts.add("email:" + email)
    return [f"rz:rate:{scope}:contact:{_digest(contact)}" for contact in sorted(contacts)]


_UNREAD = object()

# Window.add on Redis in one round trip instead of up to three.
_COUNT_ONE = """
local count = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
return count
"""


class Window:
    """A fixed counting window that opens at the first post and closes
    RATE_LIMIT_WINDOW seconds later, whatever happens in between.

    The window's start is written once, with add(), which never extends a
    live key; the counts are kept under keys naming that start. Counting
    with incr() alone is not enough: Django's database cache implements
    incr() as get() plus set(), which gives the key a fresh default
    lifetime, so the window restarted at every post and a post got through
    5 min 53 s into a 10-minute window. Here a rewritten lifetime can only
    outlive its window, never reopen it, and touch() puts the end back."""

    def __init__(self, key, *, now=None, start=_UNREAD):
        self.key = key
        self.length = settings.RATE_LIMIT_WINDOW
        now = time.time() if now is None else now
        # `start`: read already (None: not there), with other windows'
        # (Window.open_many).
        if start is _UNREAD:
            start = cache.get(f"{key}:start")
        if start is None:
            start = int(now)
            if not cache.add(f"{key}:start", start, timeout=self.length):
                # Another worker opened it first: use theirs.
                start = cache.get(f"{key}:start", start)
        elif start + self.length <= now:
            # Still in the cache past its end (a clock set back): a new one.
            start = int(now)
            cache.set(f"{key}:start", start, timeout=self.length)
        self.start = start
        self.now = now

    @classmethod
    def open_many(cls, keys, *, now=None):
        """One Window per key, their starts read in one round trip."""
        starts = cache.get_many([f"{key}:start" for key in keys])
        return [cls(key, now=now, start=starts.get(f"{key}:start")) for key in keys]

    @property
    def seconds_left(self):
        return max(1, math.ceil(self.start + self.length - self.now))

    def _count_key(self, name):
        return f"{self.key}:{self.start}:{name}"

    def add(self, name):
        """Count one more `name` in this window; return the new count."""
        key = self._count_key(name)
        run_script = getattr(cache, "run_script", None)
        counted = run_script(_COUNT_ONE, [key], [self.seconds_left]) if run_script is not None else None
        if counted is not None:
            return counted
        if cache.add(key, 1, timeout=self.seconds_left):
            return 1
        try:
            count = cache.incr(key)
        except ValueError:  # gone between add() and incr()
            cache.set(key, 1, timeout=self.seconds_left)
            return 1
        cache.touch(key, self.seconds_left)
        return count

    def count(self, name):
        return cache.get(self._count_key(name), 0)


# Window.open_many and Window.add for every budget of a post, in Redis, in
# one round trip: the same keys, values and lifetimes as the calls they
# stand for, so either way of counting reads the other's counts. KEYS: each
# window's full key (contacts' first, then the address's, if any). ARGV:
# now, the window's length, how many KEYS are contacts, then the limits for
# a contact, for posts not accepted and for posts in all. Answers {0 or 1
# (refused or not), seconds left in the window that answered, its start}.
_COUNT_POST = """
local now, length, contacts = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local contact_limit, posts_limit, all_limit = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local answer = {1, 0, 0}
for i, base in ipairs(KEYS) do
  local start = tonumber(redis.call('GET', base .. ':start'))
  if start == nil or start + length <= now then
    start = math.floor(now)
    redis.call('SET', base .. ':start', start, 'EX', length)
  end
  local left = math.max(1, math.ceil(start + length - now))
  local posts_key = base .. ':' .. start .. ':posts'
  local posts = redis.call('INCR', posts_key)
  redis.call('EXPIRE', posts_key, left)
  answer = {1, left, start}
  if i <= contacts then
    if posts > contact_limit then return {0, left, start} end
  else
    local accepted = tonumber(redis.call('GET', base .. ':' .. start .. ':accepted') or '0')
    if posts > all_limit or (posts > posts_limit and posts - accepted > posts_limit) then
      return {0, left, start}
    end
  end
end
return answer
"""


def _count_post_in_one_script(keys, contacts, now):
    """(refused, seconds left, start of the last window counted) from
    _COUNT_POST, or None when the cache runs no scripts (the database cache,
    locmem) or Redis is away."""
    run_script = getattr(cache, "run_script", None)
    if run_script is None or not keys:
        return None
    answer = run_script(_COUNT_POST, keys, [
        repr(now), settings.RATE_LIMIT_WINDOW, contacts,
        settings.RATE_LIMIT_CONTACT_POSTS, settings.RATE_LIMIT_POSTS, settings.RATE_LIMIT_SUCCESSFUL_POSTS,
    ])
    if answer is None:
        return None
    allowed, seconds_left, start = answer
    return not allowed, seconds_left, start


class RateLimited(Exception):
    """Over a budget; `seconds_left` until the window that refused closes."""

    def __init__(self, seconds_left):
        super().__init__(seconds_left)
        self.seconds_left = seconds_left


def rate_limit_check(request, *, scope, table_pass=False, now=None):
    """Count this post against its budgets for `scope`, before the view runs;
    raise RateLimited when one is spent. Return the address's Window (None
    with a table pass), for rate_limit_record_success after the view.

    The rule, within RATE_LIMIT_WINDOW seconds from an address's first post:
    - posts that are not accepted (errors shown again, refusals) are at most
      RATE_LIMIT_POSTS;
    - posts in all, accepted ones included, at most
      RATE_LIMIT_SUCCESSFUL_POSTS: thirty neighbors signing up on one
      church's wifi are thirty accepted posts, not an attack;
    - and, whatever the address, each phone and each email named in a post
      at most RATE_LIMIT_CONTACT_POSTS times: someone typing a neighbor's
      phone over and over is stopped even from many addresses.
    A sign-up table's tablet (table_pass) skips the address's budgets, never
    the contact's."""
    contact_keys = _contact_keys(request, scope)
    keys = contact_keys if table_pass else [*contact_keys, _rate_key(request, scope)]
    now = time.time() if now is None else now
    # On Redis, the whole rule in one script: seven round trips were a
    # sixth of a sign-up's time.
    counted = _count_post_in_one_script(keys, len(contact_keys), now)
    if counted is not None:
        refused, seconds_left, start = counted
        if refused:
            raise RateLimited(seconds_left)
        return None if table_pass else Window(keys[-1], now=now, start=start)
    windows = Window.open_many(keys, now=now)
    for window in windows[: len(contact_keys)]:
        if window.add("posts") > settings.RATE_LIMIT_CONTACT_POSTS:
            raise RateLimited(window.seconds_left)
    if table_pass:
        return None
    window = windows[-1]
    posts = window.add("posts")
    # This post counts as not accepted until the view says otherwise. The
    # accepted ones are fewer than the posts: only past RATE_LIMIT_POSTS
    # posts can the count of those not accepted be over it.
    if posts > settings.RATE_LIMIT_SUCCESSFUL_POSTS or (
        posts > settings.RATE_LIMIT_POSTS and posts - window.count("accepted") > settings.RATE_LIMIT_POSTS
    ):
        raise RateLimited(window.seconds_left)
    return window


def rate_limit_record_success(window):
    if window is not None:
        window.add("accepted")
