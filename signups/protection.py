"""Protection of the public forms, and of the logs, without any third party.

- `guard_public_form`: a view decorator that counts POSTs per address and
  per contact (phone, email) against their budgets (signups.rate_limits,
  which also says who "an address" is: client_ip), and checks two bot
  traps: a honeypot field people never see and a minimum fill time carried
  in a signed hidden field. A refusal is a plain page in both languages, the
  page's first (429, saying how long to wait, or 400), and the view never
  runs, so no record is written. A sign-up table's tablet
  (signups.signup_table) skips the per-address budget only.
- `ScrubPersonalData`: a logging filter that blanks emails and phone numbers.
  No code of ours logs personal data; this catches a library that might.

No CAPTCHA service: it would send every neighbor's visit to another host.
"""

import math
import re
import time
from functools import wraps

from django.conf import settings
from django.core import signing
from django.template.response import TemplateResponse
from django.utils import translation

from signups.log_redaction import RewriteMessage
from signups.rate_limits import RateLimited, rate_limit_check, rate_limit_record_success

HONEYPOT_FIELD = "website"
STARTED_FIELD = "form_started"
_SIGNER_SALT = "rz.protection.form-started"


def form_started_token(now=None, *, seen=False):
    """The signed time a form was shown, for its hidden STARTED_FIELD.

    With `seen`, the token says a person has already had this form in front
    of them (it came back with errors, or on the "one more tap" page): the
    minimum fill time is behind them, and a quick fix must not trip it."""
    started = int(now if now is not None else time.time())
    return signing.dumps({"seen": started} if seen else started, salt=_SIGNER_SALT)


def _token_started(token):
    """(start time, seen) of a token of ours, or None."""
    try:
        value = signing.loads(token, salt=_SIGNER_SALT, max_age=60 * 60 * 24)
    except (signing.BadSignature, TypeError):
        return None
    if isinstance(value, dict) and isinstance(value.get("seen"), int):
        return value["seen"], True
    if isinstance(value, int):
        return value, False
    return None


def form_token_again(data):
    """The token for a form shown again after this post: a "seen" one when
    the post carried a token of ours, a fresh one otherwise."""
    if _token_started(data.get(STARTED_FIELD, "")) is not None:
        return form_started_token(seen=True)
    return form_started_token()


def bot_trap_verdict(data, *, now=None):
    """Why `data` looks like a bot's: "honeypot" (the hidden field is
    filled), "forged" (the start time is missing or not ours), "too_fast"
    (back faster than a person fills a form), or None for a person."""
    if data.get(HONEYPOT_FIELD, ""):
        return "honeypot"
    started = _token_started(data.get(STARTED_FIELD, ""))
    if started is None:
        return "forged"
    started, seen = started
    now = now if now is not None else time.time()
    if not seen and now - started < settings.FORM_MIN_FILL_SECONDS:
        return "too_fast"
    return None


def looks_like_a_bot(data, *, now=None):
    return bot_trap_verdict(data, now=now) is not None


def _languages():
    # The page's language first (Spanish on /es/), then the other one: whoever
    # sees a refusal may not read the language of the URL.
    active = translation.get_language() or settings.LANGUAGE_CODE
    codes = [code for code, _name in settings.LANGUAGES]
    return [active, *[code for code in codes if code != active]]


def _refusal(request, *, status, seconds_left=None):
    context = {"status": status, "languages": _languages()}
    if seconds_left is not None:
        context["wait_minutes"] = math.ceil(seconds_left / 60)
    response = TemplateResponse(request, "protection/refused.html", context, status=status)
    if seconds_left is not None:
        response["Retry-After"] = str(seconds_left)
    return response


def _confirm_resend(request):
    """A person whose browser filled the form in a blink (autofill) must not
    lose what they typed: show it back, kept in hidden fields, with one
    button to send it again. Nothing is saved until they do. The start time
    is replaced by a "seen" token: the second tap may come at once, and must
    not be refused again; the honeypot still is checked."""
    fields = [
        (name, form_started_token(seen=True) if name == STARTED_FIELD else value)
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken"
        for value in values
    ]
    return TemplateResponse(
        request,
        "protection/confirm.html",
        {"fields": fields, "action": request.get_full_path(), "languages": _languages()},
        status=400,
    )


def guard_public_form(scope, *, bot_trap=True):
    """Decorate a view taking public POSTs: rate limits (rate_limit_check;
    scope names the form's budget) and, when bot_trap, the honeypot and
    minimum fill time. GETs pass untouched. A post is accepted when the view
    answers with a redirect (POST-redirect-GET): a form shown again with
    errors is not."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "POST":
                return view(request, *args, **kwargs)
            from signups.signup_table import has_table_pass

            try:
                window = rate_limit_check(request, scope=scope, table_pass=has_table_pass(request))
            except RateLimited as limited:
                return _refusal(request, status=429, seconds_left=limited.seconds_left)
            verdict = bot_trap_verdict(request.POST) if bot_trap else None
            if verdict == "too_fast":
                return _confirm_resend(request)
            if verdict is not None:
                return _refusal(request, status=400)
            response = view(request, *args, **kwargs)
            if 300 <= response.status_code < 400:
                rate_limit_record_success(window)
            return response

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


class ScrubPersonalData(RewriteMessage):
    rewrite = staticmethod(scrub)
