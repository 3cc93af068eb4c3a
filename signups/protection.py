"""Protection of the public forms, and of the logs, without any third party.

- `client_ip`: the one place that decides who "an address" is (rate limits
  and django-axes both use it), trusting X-Forwarded-For only as far as the
  number of proxies the deployment declares (TRUSTED_PROXY_COUNT).
- `guard_public_form`: a view decorator that counts POSTs per address in the
  shared cache (database or Redis: every gunicorn worker sees the same
  count) and checks two bot traps: a honeypot field people never see and a
  minimum fill time carried in a signed hidden field. A refusal is a plain
  page in both languages (429 or 400), and the view never runs, so no record
  is written.
- `ScrubPersonalData`: a logging filter that blanks emails and phone numbers.
  No code of ours logs personal data; this catches a library that might.

No CAPTCHA service: it would send every neighbor's visit to another host.
"""

import logging
import re
import time
from functools import wraps

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.template.response import TemplateResponse
from django.utils.crypto import salted_hmac

HONEYPOT_FIELD = "website"
STARTED_FIELD = "form_started"
_SIGNER_SALT = "rz.protection.form-started"


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


def _rate_key(request, scope):
    # A staff member (a trainer entering walk-ins on one church wifi) is
    # counted by account, everyone else by address. The address is hashed
    # with the secret key: the cache never holds a neighbor's IP.
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        who = f"user:{request.user.pk}"
    else:
        who = f"ip:{client_ip(request)}"
    digest = salted_hmac("rz.rate-limit", who, algorithm="sha256").hexdigest()[:32]
    return f"rz:rate:{scope}:{digest}"


def rate_limit_exceeded(request, *, scope):
    """Count this request against the address's budget for `scope`; True once
    it is over RATE_LIMIT_POSTS within RATE_LIMIT_WINDOW seconds."""
    key = _rate_key(request, scope)
    window = settings.RATE_LIMIT_WINDOW
    # add() only sets a missing key, so the window starts at the first post
    # and is not extended by later ones. A first post (most of a launch
    # day's) is counted by that one round trip to the cache.
    if cache.add(key, 1, timeout=window):
        return 1 > settings.RATE_LIMIT_POSTS
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    return count > settings.RATE_LIMIT_POSTS


def form_started_token(now=None):
    """The signed time a form was shown, for its hidden STARTED_FIELD."""
    return signing.dumps(int(now if now is not None else time.time()), salt=_SIGNER_SALT)


def bot_trap_verdict(data, *, now=None):
    """Why `data` looks like a bot's: "honeypot" (the hidden field is
    filled), "forged" (the start time is missing or not ours), "too_fast"
    (back faster than a person fills a form), or None for a person."""
    if data.get(HONEYPOT_FIELD, ""):
        return "honeypot"
    token = data.get(STARTED_FIELD, "")
    try:
        started = signing.loads(token, salt=_SIGNER_SALT, max_age=60 * 60 * 24)
    except (signing.BadSignature, TypeError):
        return "forged"
    now = now if now is not None else time.time()
    if now - started < settings.FORM_MIN_FILL_SECONDS:
        return "too_fast"
    return None


def looks_like_a_bot(data, *, now=None):
    return bot_trap_verdict(data, now=now) is not None


def _refusal(request, *, status):
    response = TemplateResponse(request, "protection/refused.html", {"status": status}, status=status)
    if status == 429:
        response["Retry-After"] = str(settings.RATE_LIMIT_WINDOW)
    return response


def _confirm_resend(request):
    """A person whose browser filled the form in a blink (autofill) must not
    lose what they typed: show it back, kept in hidden fields, with one
    button to send it again. Nothing is saved until they do, and by then a
    person has taken the seconds a script does not."""
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken"
        for value in values
    ]
    return TemplateResponse(
        request, "protection/confirm.html", {"fields": fields, "action": request.get_full_path()}, status=400
    )


def guard_public_form(scope, *, bot_trap=True):
    """Decorate a view taking public POSTs: rate limit per address (scope
    names the form's budget) and, when bot_trap, the honeypot and minimum
    fill time. GETs pass untouched."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                if rate_limit_exceeded(request, scope=scope):
                    return _refusal(request, status=429)
                verdict = bot_trap_verdict(request.POST) if bot_trap else None
                if verdict == "too_fast":
                    return _confirm_resend(request)
                if verdict is not None:
                    return _refusal(request, status=400)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Seven or more digits, possibly split by spaces, dots, dashes or brackets,
# optionally with a leading +: US and international phone numbers.
_PHONE = re.compile(r"\+?\d(?:[\s().-]*\d){6,}")


# Dates and times in log lines look like long runs of digits; they are kept.
_TIMESTAMP = re.compile(
    r"(\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[+-]\d{2}:?\d{2}|Z)?)?)"
)


def scrub(text):
    # split() with a group keeps the timestamps at the odd positions.
    pieces = _TIMESTAMP.split(text)
    return "".join(
        piece if index % 2 else _PHONE.sub("[phone]", _EMAIL.sub("[email]", piece))
        for index, piece in enumerate(pieces)
    )


class ScrubPersonalData(logging.Filter):
    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's business
            return True
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
