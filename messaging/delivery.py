"""Handing queued messages to the providers, each exactly once.

For the messages of a task, in the task's thread (the database's):
1. claim it, a few at a time: SELECT … FOR UPDATE SKIP LOCKED of those
   still queued, then UPDATE them to sending, committed before anything is
   handed over, so two workers never both take one and a killed worker
   leaves a trace ("sending" since claimed_at);
2. check again what may have changed since it was queued: an opt-out
   (always wins), consent withdrawn, quiet hours, expiry, a forgotten person;
3. hand it to a thread of the pool, which only talks to the provider
   (SMS_CONCURRENCY at once, SMS_RATE_PER_SECOND at most, backing off when
   the provider throttles);
4. record what the provider said: sent with its id, undeliverable or failed
   with its error code, or queued again for later (the provider away).

A worker killed between 1 and 4 leaves messages "sending": messaging.recovery
looks each one up at the provider before anything is sent again.
"""

import datetime
import logging
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from messaging import providers
from messaging.models import Channel, Kind, Message, OptOut
from messaging.providers import Outgoing, ProviderError

logger = logging.getLogger(__name__)

# Tries of one message within a task when throttled or the provider is
# away; then it is queued again for later, and failed after MAX_ATTEMPTS.
TRIES_IN_TASK = 4
MAX_ATTEMPTS = 6
BACKOFF_CAP_SECONDS = 30.0
# Twilio keeps a message at most this long (ValidityPeriod's maximum).
VALIDITY_PERIOD_MAX = 36000


class RateLimiter:
    """At most `rate` acquisitions per second across the threads of this
    process (a token bucket), and a shared pause
    when the provider says we go too fast."""

    def __init__(self, rate):
        self.rate = float(rate)
        # A tenth of a second's worth at once: bursts stay small, so the
        # provider never sees much more than `rate` in any second.
        self.capacity = max(1.0, self.rate / 10)
        self.tokens = self.capacity
        self.updated = time.monotonic()
        self.paused_until = 0.0
        self.lock = threading.Lock()

    def acquire(self):
        while True:
            with self.lock:
                now = time.monotonic()
                if now < self.paused_until:
                    delay = self.paused_until - now
                else:
                    self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
                    self.updated = now
                    if self.tokens >= 1:
                        self.tokens -= 1
                        return
                    delay = (1 - self.tokens) / self.rate
            time.sleep(delay)

    def pause(self, seconds):
        with self.lock:
            self.paused_until = max(self.paused_until, time.monotonic() + seconds)
            self.tokens = 0


_limiters = {}
_limiters_lock = threading.Lock()


def rate_limiter():
    rate = settings.SMS_RATE_PER_SECOND
    with _limiters_lock:
        if rate not in _limiters:
            _limiters[rate] = RateLimiter(rate)
        return _limiters[rate]


def backoff_seconds(attempt):
    """1, 2, 4, 8… seconds (SMS_BACKOFF_SECONDS as the first), at most 30."""
    base = settings.SMS_BACKOFF_SECONDS
    return min(BACKOFF_CAP_SECONDS, base * (2 ** attempt))


# --- What a message looks like to its provider ------------------------------------

def status_callback_url(message):
    """Where Twilio reports this message's fate. It carries our message id:
    a callback reaching us for a message a killed worker left "sending"
    settles it."""
    return f"{settings.SITE_URL.rstrip('/')}{reverse('messaging_hooks:twilio_status')}?m={message.pk}"


def whatsapp_template_for(message):
    """The Content SID of the pre-approved template for a WhatsApp message we
    start (WHATSAPP_TEMPLATES: "<kind>_<language>" or "<kind>"), "" for an
    answer within the conversation a person opened, or when none is set."""
    if message.idempotency_key.startswith(("stop-answer:", "start-answer:", "reply-answer:")):
        return ""
    templates = settings.WHATSAPP_TEMPLATES
    return templates.get(f"{message.kind}_{message.language}") or templates.get(message.kind) or ""


def outgoing_for(message, *, now=None):
    """The Outgoing of a text or WhatsApp message (its number read from the
    person now, never stored with the message)."""
    now = now or timezone.now()
    phone = message.volunteer.phone
    validity = None
    if message.expires_at is not None:
        validity = max(1, min(VALIDITY_PERIOD_MAX, int((message.expires_at - now).total_seconds())))
    outgoing = Outgoing(
        to=phone, channel=message.channel, body=message.body, validity_period=validity,
        status_callback=status_callback_url(message) if settings.SMS_URL.startswith("twilio://") else "",
    )
    if message.channel == Channel.WHATSAPP:
        outgoing.to = f"whatsapp:{phone}"
        outgoing.content_sid = whatsapp_template_for(message)
        if outgoing.content_sid:
            # WhatsApp refuses a template variable holding a line break
            # or a run of spaces (Meta's error 132018).
            outgoing.content_variables = {"1": " ".join(message.body.split())}
    return outgoing


def unsubscribe_headers(message, email):
    """List-Unsubscribe (one-click https, and mailto when configured) and
    List-Unsubscribe-Post (RFC 8058) for a message that is not one the
    person asked for."""
    from messaging.unsubscribe import unsubscribe_url

    links = [f"<{unsubscribe_url(email, language=message.language)}>"]
    if settings.UNSUBSCRIBE_MAILTO:
        links.append(f"<mailto:{settings.UNSUBSCRIBE_MAILTO}?subject=unsubscribe>")
    return {"List-Unsubscribe": ", ".join(links), "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def email_for(message):
    recipient = message.staff_user.email if message.staff_user_id else message.volunteer.email
    headers = {
        # The same Message-ID each time: an email a killed worker may have
        # sent already, sent again, is one email to the recipient's mailbox.
        "Message-ID": f"<rz-message-{message.pk}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}>",
    }
    if message.kind != Kind.TRANSACTIONAL and message.volunteer_id:
        headers.update(unsubscribe_headers(message, recipient))
    return EmailMessage(message.subject, message.body, None, [recipient], headers=headers)


# --- The worker's loop ---------------------------------------------------------

def _claim(message_ids, now):
    """The ids of `message_ids` this worker took (queued, and their time
    has come): locked rows another worker holds are skipped, not waited
    for, and the claim is committed before anything is handed over."""
    if not connection.features.has_select_for_update_skip_locked:
        # SQLite (the demo): one conditional UPDATE per message.
        due = Q(not_before__isnull=True) | Q(not_before__lte=now)
        return [
            pk for pk in message_ids
            if Message.objects.filter(due, pk=pk, status=Message.Status.QUEUED).update(
                status=Message.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1,
            )
        ]
    with transaction.atomic():
        claimable = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(pk__in=message_ids, status=Message.Status.QUEUED)
            .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
            .values_list("pk", flat=True)
        )
        if claimable:
            Message.objects.filter(pk__in=claimable).update(
                status=Message.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1,
            )
    return claimable


def _set(message, status, **fields):
    """Move a message this worker holds ("sending") to `status`."""
    return Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(status=status, **fields)


def _drop(message, reason):
    _set(message, Message.Status.DROPPED, error_code=reason, failed_at=timezone.now())


def _release(message, *, not_before):
    """Back in the queue (not counted as a try), for a task at `not_before`."""
    from messaging.outbox import messages_hand_to_worker

    # handed_at: when its task becomes due, so recovery does not take a
    # message held for the morning for one whose task was lost.
    if _set(message, Message.Status.QUEUED, not_before=not_before, handed_at=not_before, claimed_at=None,
            attempts=F("attempts") - 1):
        messages_hand_to_worker([message.pk], run_after=not_before)


def _prepare(message_ids):
    """The messages of `message_ids` claimed and checked, ready for their
    provider (four queries for the lot, whatever their number)."""
    from messaging.outbox import KINDS_QUIET_AT_NIGHT, contact_hashes, quiet_hours_end, volunteer_consented

    now = timezone.now()
    claimed = _claim(message_ids, now)
    if not claimed:
        return []
    messages = list(Message.objects.select_related("volunteer", "staff_user").filter(pk__in=claimed).order_by("pk"))
    hashes = {m.pk: contact_hashes(m.volunteer) for m in messages if m.volunteer is not None}
    opted_out = set(
        OptOut.objects.filter(contact_hash__in=[h for each in hashes.values() for h in each])
        .values_list("contact_hash", flat=True)
    ) if hashes else set()
    morning = quiet_hours_end(now)
    ready = []
    for message in messages:
        volunteer = message.volunteer
        if message.expires_at is not None and message.expires_at <= now:
            _drop(message, "expired")
        elif message.staff_user_id:
            if message.staff_user.email:
                ready.append(message)
            else:
                _drop(message, "no-contact")
        elif volunteer is None:
            _drop(message, "forgotten")
        elif not message.confirms_opt_change and opted_out.intersection(hashes[message.pk]):
            _drop(message, "opted-out")
        elif not volunteer_consented(volunteer, message.kind):
            _drop(message, "no-consent")
        elif message.kind in KINDS_QUIET_AT_NIGHT and morning is not None:
            _release(message, not_before=morning)
        elif not (volunteer.email if message.channel == Channel.EMAIL else volunteer.phone):
            _drop(message, "no-contact")
        else:
            ready.append(message)
    return ready


def _hand_over(message, outgoing):
    """In a pool thread: give the message to its provider, trying again
    (after a pause shared by every thread) while it throttles or is away.
    Returns the provider's Accepted, or the ProviderError."""
    try:
        return _hand_over_once_or_retried(message, outgoing)
    except Exception as error:  # noqa: BLE001 - one message's surprise must not stop the others
        # Only the type: an exception's text may quote the number.
        logger.error("Message %s could not be handed over: %s", message.pk, type(error).__name__)
        return ProviderError("error")


def _hand_over_once_or_retried(message, outgoing):
    if message.channel == Channel.EMAIL:
        try:
            outgoing.send()
        except OSError:
            return ProviderError(providers.ERROR_UNAVAILABLE, retry=True)
        return providers.Accepted(provider_id="", status="sent")
    limiter = rate_limiter()
    backend = providers.sms_backend()
    error = None
    for attempt in range(TRIES_IN_TASK):
        limiter.acquire()
        try:
            return backend.send(outgoing)
        except ProviderError as refused:
            error = refused
            if not refused.retry:
                return refused
            delay = refused.retry_after or backoff_seconds(attempt)
            if refused.code == providers.ERROR_THROTTLED:
                limiter.pause(delay)
            else:
                time.sleep(delay)
    return error


def _record(message, outcome):
    """Write what the provider said (in the task's thread)."""
    now = timezone.now()
    if isinstance(outcome, providers.Accepted):
        _set(message, Message.Status.SENT, provider_id=outcome.provider_id, sent_at=now)
        return
    code = outcome.code
    if outcome.retry:
        if message.attempts >= MAX_ATTEMPTS:
            _set(message, Message.Status.FAILED, error_code=code, failed_at=now)
        else:
            from messaging.outbox import messages_hand_to_worker

            later = now + datetime.timedelta(seconds=backoff_seconds(message.attempts + 2))
            if _set(message, Message.Status.QUEUED, error_code=code, not_before=later, handed_at=later,
                    claimed_at=None):
                messages_hand_to_worker([message.pk], run_after=later)
        return
    if code == providers.ERROR_OPTED_OUT and message.volunteer is not None:
        from messaging.inbound import opt_out_record

        opt_out_record(message.volunteer.phone, source=OptOut.Source.PROVIDER)
    status = Message.Status.UNDELIVERABLE if code in providers.ERRORS_RECIPIENT else Message.Status.FAILED
    _set(message, status, error_code=code, failed_at=now)
    logger.info("Message %s not taken by the provider: error %s", message.pk, code)


def messages_deliver(message_ids):
    """Deliver each message of `message_ids` that is still queued and due.
    Returns how many were handed over."""
    concurrency = max(1, settings.SMS_CONCURRENCY)
    handed = 0
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="messages") as pool:
        in_flight = {}

        def settle(done):
            nonlocal handed
            for future in done:
                message = in_flight.pop(future)
                outcome = future.result()
                handed += isinstance(outcome, providers.Accepted)
                _record(message, outcome)

        waiting = list(message_ids)
        while waiting or in_flight:
            # Claim a few at a time, as threads free up: enough to keep them
            # busy, few enough that a killed worker leaves little "sending".
            if waiting and len(in_flight) <= concurrency:
                room = concurrency * 2 - len(in_flight)
                chunk, waiting = waiting[:room], waiting[room:]
                for message in _prepare(chunk):
                    outgoing = email_for(message) if message.channel == Channel.EMAIL else outgoing_for(message)
                    in_flight[pool.submit(_hand_over, message, outgoing)] = message
                continue
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            settle(done)
    return handed
