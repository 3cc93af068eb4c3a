"""The self-service link in every message: a person's own settings page,
opened without a login.

The link is a bearer secret (README, "Security and privacy"): whoever holds
it may change that person's language, channels and kinds of messages, or
have them forgotten. So, as with the one-time confirmation of changes
(signups.pending) and a registration's link:

- the secret is random (128 bits, short enough for a text message) and only
  its SHA-256 is stored: a copy of the database opens nobody's page;
- one live link per person, rotated each time one is sent: every new
  message carries a new link and the link of an older message stops
  working, so an old text on a shared or lost phone is not a key for ever;
- it works SELF_SERVICE_LINK_DAYS (30) days from the message that carried
  it; an expired or replaced link says so and offers "send me my link";
- its path (/<lang>/me/<token>/) is cut out of every log
  (signups.log_redaction, deploy/nginx.conf) and its page is a
  secret_link_page (no cache, no Referer, not indexed).

Forgetting the person deletes the link with them (CASCADE).
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

# Long enough for someone who reads texts once a month to still use the one
# they got; short enough that an old message is not a key for ever.
SELF_SERVICE_LINK_DAYS = 30


class SelfServiceLink(models.Model):
    """The one live self-service link of a person: the hash of its secret
    and when it was sent."""

    volunteer = models.OneToOneField(
        "signups.Volunteer", verbose_name=_("volunteer"), related_name="self_service_link",
        on_delete=models.CASCADE,
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        app_label = "messaging"
        verbose_name = _("self-service link")
        verbose_name_plural = _("self-service links")

    def __str__(self):
        return f"{self.volunteer_id} · {self.created_at:%Y-%m-%d}"


def link_token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token():
    # 16 bytes: 22 characters, which keeps a text's footer short (every
    # character counts against its 160).
    return secrets.token_urlsafe(16)


def _url(volunteer, token):
    from messaging.outbox import message_language

    with translation.override(message_language(volunteer)):
        path = reverse("messaging:self_service", args=[token])
    return settings.SITE_URL.rstrip("/") + path


def self_service_url(volunteer):
    """The absolute URL of `volunteer`'s own settings page, in the language
    they read their messages in, with a fresh secret: the link sent before
    this one stops working. Call it once per message sent (inside the
    transaction that queues it: a rolled-back message rotates nothing).

    The same Volunteer instance gets the same URL back: a message that
    names the link in its text and again in its footer must not make the
    first one stale. Each message is rendered for a volunteer fetched for
    it, so each message still carries a link of its own."""
    cached = getattr(volunteer, "_self_service_url", None)
    if cached is not None:
        return cached
    token = _new_token()
    SelfServiceLink.objects.update_or_create(
        volunteer=volunteer,
        defaults={"token_hash": link_token_hash(token), "created_at": timezone.now()},
    )
    volunteer._self_service_url = _url(volunteer, token)
    return volunteer._self_service_url


def self_service_urls(volunteers):
    """{volunteer pk: URL} for many people at once (a segment send), with
    one upsert per call instead of two queries per person."""
    volunteers = list(volunteers)
    now = timezone.now()
    tokens = {volunteer.pk: _new_token() for volunteer in volunteers}
    SelfServiceLink.objects.bulk_create(
        [
            SelfServiceLink(volunteer_id=pk, token_hash=link_token_hash(token), created_at=now)
            for pk, token in tokens.items()
        ],
        update_conflicts=True,
        unique_fields=["volunteer"],
        update_fields=["token_hash", "created_at"],
        batch_size=2000,
    )
    # The page's address reversed once per language, the token put in
    # after: a reverse() per person was a quarter of a 50,000-person send.
    # A token is URL-safe base64, which reverse() would leave as it is.
    from messaging.outbox import message_language

    addresses = {}
    urls = {}
    for volunteer in volunteers:
        language = message_language(volunteer)
        if language not in addresses:
            addresses[language] = _url(volunteer, _TOKEN_SLOT)
        url = addresses[language].replace(_TOKEN_SLOT, tokens[volunteer.pk])
        volunteer._self_service_url = urls[volunteer.pk] = url
    return urls


_TOKEN_SLOT = "rz-token-slot"


def volunteer_for_self_service_token(token, *, now=None):
    """The volunteer whose live link this is, or None (unknown, replaced by
    a newer link, older than SELF_SERVICE_LINK_DAYS, or malformed)."""
    if not token or len(token) > 100:
        return None
    now = now or timezone.now()
    oldest = now - datetime.timedelta(days=SELF_SERVICE_LINK_DAYS)
    link = (
        SelfServiceLink.objects.select_related("volunteer")
        .filter(token_hash=link_token_hash(token), created_at__gte=oldest)
        .first()
    )
    return link.volunteer if link is not None else None


def volunteer_settings_update(*, volunteer, language, contact_methods, message_kinds):
    """Save what the person chose on their own page. Only these three
    fields: the page changes nothing else (the audit log records which
    fields changed, never their values)."""
    volunteer.language = language
    volunteer.contact_methods = list(contact_methods)
    volunteer.message_kinds = list(message_kinds)
    volunteer.save(update_fields=["language", "contact_methods", "message_kinds", "updated_at"])
    return volunteer


# A second tap of "send me my link" within this many seconds finds the
# message the first one queued, instead of sending another.
LINK_REQUEST_WINDOW_SECONDS = 10 * 60


def self_service_link_send(*, volunteer_id, now=None):
    """Queue the message carrying a fresh self-service link to the person
    `volunteer_id` names (None, or a person since forgotten: nothing). Runs
    in the worker (messaging.self_service_tasks), so the request that asked
    does the same work whether or not we know the person. Kind
    TRANSACTIONAL: the person asked for it, no consent of a kind needed;
    an opt-out still wins (messaging.outbox)."""
    from django.db import transaction

    from messaging.models import Kind
    from messaging.outbox import message_queue
    from signups.models import Volunteer

    if volunteer_id is None:
        return None
    now = now or timezone.now()
    window = int(now.timestamp()) // LINK_REQUEST_WINDOW_SECONDS
    with transaction.atomic():
        volunteer = Volunteer.objects.filter(pk=volunteer_id).first()
        if volunteer is None:
            return None
        key = f"self-service-link:{volunteer.pk}:{window}"
        from messaging.models import Message

        existing = Message.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
        return message_queue(
            volunteer, kind=Kind.TRANSACTIONAL, key=key, template="messaging/self_service_link",
            context={"url": self_service_url(volunteer), "days": SELF_SERVICE_LINK_DAYS},
        )
