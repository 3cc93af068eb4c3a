"""Who carries texts and WhatsApp messages, chosen by SMS_URL:

    twilio://ACCOUNT_SID:AUTH_TOKEN@MESSAGING_SERVICE_SID   Twilio's Messages API
        (?api=http://127.0.0.1:PORT sends the real client's requests to a
        stand-in speaking Twilio's protocol: the tests' loopback fixture)
    console://   prints each message, without the number (the demo)
    memory://    keeps them in `memory_outbox` (unit tests)

Each backend's send() returns the provider's id and status, or raises
ProviderError with the provider's error code.
"""

import datetime
import itertools
import json
import logging
import sys
import threading
import uuid
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

# Twilio error codes (https://www.twilio.com/docs/api/errors) we act on.
ERROR_INVALID_NUMBER = "21211"
ERROR_OPTED_OUT = "21610"
ERROR_NOT_MOBILE = "21614"
ERRORS_UNREACHABLE = {"30003", "30005", "30006"}
# The number will never take a message from us: undeliverable, not retried.
ERRORS_RECIPIENT = {ERROR_INVALID_NUMBER, ERROR_OPTED_OUT, ERROR_NOT_MOBILE, *ERRORS_UNREACHABLE}
ERROR_THROTTLED = "429"
ERROR_UNAVAILABLE = "unavailable"
ERROR_NO_PROVIDER = "no-provider"


class ProviderError(Exception):
    """The provider refused or could not take a message. `code` is its
    error code (or the HTTP status); `retry` says whether trying again later
    may work (throttled, the provider down), `retry_after` in seconds when it
    said so."""

    def __init__(self, code, *, retry=False, retry_after=None):
        super().__init__(f"provider error {code}")
        self.code = str(code)
        self.retry = retry
        self.retry_after = retry_after


@dataclass
class Outgoing:
    """One message as the provider gets it."""

    to: str
    channel: str
    body: str
    status_callback: str = ""
    validity_period: int | None = None
    content_sid: str = ""
    content_variables: dict | None = None


@dataclass
class Accepted:
    provider_id: str
    status: str


@dataclass
class Found:
    """A message the provider has, found again by reconciliation."""

    provider_id: str
    status: str
    error_code: str = ""


# --- memory:// -----------------------------------------------------------------

memory_outbox = []
_memory_lock = threading.Lock()
_memory_ids = itertools.count(1)


class MemoryBackend:
    def send(self, outgoing):
        with _memory_lock:
            provider_id = f"SMmemory{next(_memory_ids):024d}"
            memory_outbox.append({**outgoing.__dict__, "provider_id": provider_id})
        return Accepted(provider_id=provider_id, status="queued")

    def find(self, outgoing, *, since):
        with _memory_lock:
            for sent in memory_outbox:
                if sent["to"] == outgoing.to and sent["body"] == outgoing.body:
                    return Found(provider_id=sent["provider_id"], status="sent")
        return None


# --- console:// ----------------------------------------------------------------

class ConsoleBackend:
    """The demo's: each message on the standard output, with its channel and
    length but never the number (the demo's output is read over shoulders
    and pasted into bug reports)."""

    def send(self, outgoing):
        provider_id = f"SMconsole{uuid.uuid4().hex[:23]}"
        text = outgoing.body
        if outgoing.content_sid:
            text = f"[template {outgoing.content_sid}] {json.dumps(outgoing.content_variables or {}, ensure_ascii=False)}"
        sys.stdout.write(f"--- {outgoing.channel} message, {len(outgoing.body)} characters ---\n{text}\n---\n")
        sys.stdout.flush()
        return Accepted(provider_id=provider_id, status="sent")

    def find(self, outgoing, *, since):
        return None


class NoBackend:
    """SMS_URL unset outside DEBUG: every text fails, loudly in the check."""

    def send(self, outgoing):
        raise ProviderError(ERROR_NO_PROVIDER)

    def find(self, outgoing, *, since):
        return None


# --- twilio:// -----------------------------------------------------------------

@dataclass(frozen=True)
class TwilioConfig:
    account_sid: str
    auth_token: str
    messaging_service_sid: str
    api_base: str = ""


def twilio_config_parse(url):
    """TwilioConfig of twilio://ACCOUNT_SID:AUTH_TOKEN@MESSAGING_SERVICE_SID[?api=...]."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    return TwilioConfig(
        account_sid=unquote(parts.username or ""), auth_token=unquote(parts.password or ""),
        messaging_service_sid=parts.netloc.rpartition("@")[2],
        api_base=(query.get("api") or [""])[0].rstrip("/"),
    )


class TwilioBackend:
    """Twilio's Messages API through its official client. One client (and
    HTTP connection pool) per thread: the worker sends from several."""

    def __init__(self, config):
        self.config = config
        self._local = threading.local()

    @property
    def client(self):
        client = getattr(self._local, "client", None)
        if client is None:
            from twilio.http.http_client import TwilioHttpClient
            from twilio.rest import Client

            # A logger of its own, off below WARNING: the client logs every
            # request's parameters (To, Body) at INFO.
            quiet = logging.getLogger("twilio.http_client.messaging")
            quiet.setLevel(logging.WARNING)
            client = Client(
                self.config.account_sid, self.config.auth_token,
                http_client=TwilioHttpClient(timeout=15, logger=quiet),
            )
            if self.config.api_base:
                # Every request the client makes for the Api domain is built
                # on this base (twilio.base.domain.Domain.absolute_url).
                client.api.base_url = self.config.api_base
            self._local.client = client
        return client

    def send(self, outgoing):
        from twilio.base import values
        from twilio.base.exceptions import TwilioException, TwilioRestException

        try:
            created = self.client.messages.create(
                to=outgoing.to,
                messaging_service_sid=self.config.messaging_service_sid,
                body=outgoing.body if not outgoing.content_sid else values.unset,
                content_sid=outgoing.content_sid or values.unset,
                content_variables=(
                    json.dumps(outgoing.content_variables) if outgoing.content_sid else values.unset
                ),
                status_callback=outgoing.status_callback or values.unset,
                validity_period=outgoing.validity_period or values.unset,
            )
        except TwilioRestException as error:
            if error.status == 429:
                raise ProviderError(ERROR_THROTTLED, retry=True) from None
            if error.status >= 500:
                raise ProviderError(error.code or error.status, retry=True) from None
            raise ProviderError(error.code or error.status) from None
        except (TwilioException, OSError):
            # Connection refused, timed out, reset: the provider is away.
            raise ProviderError(ERROR_UNAVAILABLE, retry=True) from None
        return Accepted(provider_id=created.sid, status=created.status or "queued")

    def find(self, outgoing, *, since):
        """The message we handed over at `since` or later to `outgoing.to`
        with this body, when the provider has it (Messages.json filtered by
        To and DateSent>); None when it has not."""
        from twilio.base.exceptions import TwilioException

        try:
            candidates = self.client.messages.list(
                to=outgoing.to, date_sent_after=since - datetime.timedelta(minutes=1), limit=100,
            )
        except (TwilioException, OSError):
            raise ProviderError(ERROR_UNAVAILABLE, retry=True) from None
        for candidate in candidates:
            same_text = candidate.body == outgoing.body or bool(outgoing.content_sid)
            if same_text and candidate.direction != "inbound":
                return Found(provider_id=candidate.sid, status=candidate.status or "sent",
                             error_code=str(candidate.error_code or ""))
        return None


def sms_backend_for(url):
    scheme = url.partition("://")[0] if url else ""
    if scheme == "twilio":
        return TwilioBackend(twilio_config_parse(url))
    if scheme == "console":
        return ConsoleBackend()
    if scheme == "memory":
        return MemoryBackend()
    if not url:
        return NoBackend()
    raise ValueError("SMS_URL must start with twilio://, console:// or memory://")


@lru_cache(maxsize=4)
def _backend_cached(url):
    return sms_backend_for(url)


def sms_backend():
    """The backend SMS_URL names (one per URL per process)."""
    return _backend_cached(settings.SMS_URL)


def twilio_auth_token():
    """The auth token webhooks are signed with ("" unless SMS_URL is Twilio)."""
    url = settings.SMS_URL
    return twilio_config_parse(url).auth_token if url.startswith("twilio://") else ""
