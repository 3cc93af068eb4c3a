"""Queue a message for one person: the one function every app calls.

    message_queue(volunteer, kind=Kind.REMINDER, key=f"reminder-day:{registration.pk}",
                  template="trainings/reminder", context={...})

writes a Message row in the caller's transaction (rendered now, in the
person's language, for the channel chosen for them, with the footer saying
who it is from, how to stop and the person's settings link) and hands it to
the worker once that transaction commits. Nothing is sent here.

Who gets nothing: a person who did not agree to messages of that kind
(transactional ones need no agreement), and anyone one of whose contacts
opted out (STOP, the provider's 21610, an email's unsubscribe): opt-outs
always win, and are checked again when sending. News and reminders queued
in quiet hours wait for the morning.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.template.loader import get_template
from django.utils import timezone, translation

from messaging.models import Channel, Kind, Message, OptOut
from signups.contact_hash import contact_hash
from signups.models import ContactMethod, Language

# Messages per delivery task: small enough that a task ends in seconds
# (a killed worker leaves little to recover, several workers share a big
# send), large enough that a 50,000-person send is a few hundred tasks.
TASK_BATCH_SIZE = 200
# Rows written per INSERT when queueing to many.
BULK_CHUNK_SIZE = 2000

# Kinds held through quiet hours.
KINDS_QUIET_AT_NIGHT = {Kind.NEWS, Kind.REMINDER}


def message_language(volunteer):
    """The language a person reads their messages in ("both" reads Spanish
    first: the campaign's neighbors mostly do)."""
    return Language.SPANISH if volunteer.language in (Language.SPANISH, Language.BOTH) else Language.ENGLISH


def channel_for(volunteer):
    """The one channel this person hears from us on, following how they
    asked to be contacted: WhatsApp, then text, then email; a phone with no
    stated preference gets texts, an email alone gets email. None when there
    is nothing to reach."""
    methods = set(volunteer.contact_methods or [])
    if volunteer.phone and ContactMethod.WHATSAPP in methods:
        return Channel.WHATSAPP
    if volunteer.phone and (ContactMethod.TEXT in methods or ContactMethod.CALL in methods):
        return Channel.SMS
    if volunteer.email and ContactMethod.EMAIL in methods:
        return Channel.EMAIL
    if volunteer.phone:
        return Channel.SMS
    if volunteer.email:
        return Channel.EMAIL
    return None


def contact_hashes(volunteer):
    """Keyed hashes of the person's phone and email (the empty ones left out)."""
    return [hashed for hashed in (contact_hash(volunteer.phone), contact_hash(volunteer.email)) if hashed]


def volunteer_opted_out(volunteer):
    """True when the person's phone or email opted out (of everything)."""
    hashes = contact_hashes(volunteer)
    return bool(hashes) and OptOut.objects.filter(contact_hash__in=hashes).exists()


def volunteer_consented(volunteer, kind):
    """True when the person agreed to messages of `kind` (transactional
    ones, which they asked for, need no agreement)."""
    return kind == Kind.TRANSACTIONAL or kind in (volunteer.message_kinds or [])


# --- Quiet hours ---------------------------------------------------------------

def _quiet_hours():
    start, _, end = settings.QUIET_HOURS.partition("-")
    parse = lambda text: datetime.time.fromisoformat(text.strip())  # noqa: E731
    return parse(start), parse(end), zoneinfo.ZoneInfo(settings.QUIET_HOURS_TIME_ZONE)


def quiet_hours_end(now=None):
    """When the quiet hours `now` falls in end (the next 9:00 by default),
    or None when `now` is not in quiet hours."""
    now = now or timezone.now()
    start, end, zone = _quiet_hours()
    local = now.astimezone(zone)
    clock = local.time()
    if start == end:
        return None
    in_quiet = (clock >= start or clock < end) if start > end else (start <= clock < end)
    if not in_quiet:
        return None
    day = local.date() if clock < end else local.date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, end, tzinfo=zone)


def not_before_for(kind, *, not_before=None, now=None):
    """The earliest time a message of `kind` may leave: the caller's
    not_before, pushed past quiet hours for news and reminders."""
    now = now or timezone.now()
    moment = max(not_before, now) if not_before else now
    if kind in KINDS_QUIET_AT_NIGHT:
        morning = quiet_hours_end(moment)
        if morning is not None:
            return morning
    return not_before


# --- Rendering -----------------------------------------------------------------

def render_text(template_name, context):
    """A plain-text template rendered without HTML escaping: a text
    message or an email body says "St. Mary's", not "St. Mary&#x27;s"."""
    from django.template import Context

    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def message_render(*, channel, language, template=None, context=None, texts=None, subject=None):
    """(subject, body) of a message in `language`: from the templates
    `messages/<template>.sms.txt` (texts and WhatsApp) or `.email.txt` and
    `.subject.txt`, or from `texts` ({"en": ..., "es": ...}) an organizer
    wrote. Without the footer (message_footer)."""
    with translation.override(language):
        if texts is not None:
            body = texts[language]
            subject = (subject or {}).get(language, "") if isinstance(subject, dict) else (subject or "")
            return subject, body
        context = {**(context or {}), "language": language, "channel": channel}
        if channel == Channel.EMAIL:
            subject = render_text(f"messages/{template}.subject.txt", context).strip()
            body = render_text(f"messages/{template}.email.txt", context)
        else:
            subject = ""
            body = render_text(f"messages/{template}.sms.txt", context).strip()
    return subject, body


def message_footer(*, channel, language, settings_url):
    """Who the message is from, how to stop, and the person's own settings
    page, in their language (templates/messages/_footer.*.txt)."""
    name = "email" if channel == Channel.EMAIL else "sms"
    with translation.override(language):
        return render_text(f"messages/_footer.{name}.txt", {"url": settings_url, "channel": channel}).strip()


def message_with_footer(body, *, channel, language, settings_url):
    separator = "\n\n" if channel == Channel.EMAIL else "\n"
    return body.rstrip() + separator + message_footer(channel=channel, language=language, settings_url=settings_url)


def _settings_url(volunteer):
    from messaging.self_service import self_service_url

    return self_service_url(volunteer)


# --- Queueing ------------------------------------------------------------------

def message_queue(volunteer, *, kind, key, template=None, context=None, texts=None, subject=None,
                  batch=None, expires_at=None, not_before=None, reply_topic=""):
    """The Message for `key`, queued for `volunteer` now unless one was
    queued under that key before (then that one, unchanged). Returns None
    when the person cannot be reached (no phone, no email), did not agree
    to this kind of message, or opted out."""
    channel = channel_for(volunteer)
    if channel is None or not volunteer_consented(volunteer, kind):
        return None
    existing = Message.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    if volunteer_opted_out(volunteer):
        return None
    language = message_language(volunteer)
    subject_text, body = message_render(
        channel=channel, language=language, template=template, context=context, texts=texts, subject=subject,
    )
    body = message_with_footer(body, channel=channel, language=language, settings_url=_settings_url(volunteer))
    not_before = not_before_for(kind, not_before=not_before)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                volunteer=volunteer, channel=channel, kind=kind, language=language,
                subject=subject_text, body=body, idempotency_key=key, batch=batch,
                expires_at=expires_at, not_before=not_before, reply_topic=reply_topic,
                # When its task becomes due (messaging.recovery).
                handed_at=max(not_before, timezone.now()) if not_before else timezone.now(),
            )
    except IntegrityError:
        # Queued by a concurrent call under the same key.
        return Message.objects.get(idempotency_key=key)
    messages_hand_to_worker([message.pk], run_after=not_before)
    return message


# Stands for the person's link in a footer rendered for many.
_URL_SLOT = "\x00settings-url\x00"
_VOLUNTEER_FIELDS_FOR_MESSAGES = ("id", "phone", "email", "language", "contact_methods", "message_kinds")


def messages_queue_many(volunteers, *, kind, key_prefix, texts=None, subject=None, template=None, context=None,
                        batch=None, expires_at=None, not_before=None, reply_topic=""):
    """Queue one message to each person of `volunteers` (a queryset), keyed
    `<key_prefix>:<volunteer pk>`, in bulk: rendered once per channel and
    language, written BULK_CHUNK_SIZE rows per INSERT, handed to the worker
    TASK_BATCH_SIZE messages per task after the commit. People who did not
    agree to `kind`, who opted out or cannot be reached are left out; keys
    queued before are kept as they are. Returns the number queued now."""
    from messaging.self_service import self_service_urls

    not_before = not_before_for(kind, not_before=not_before)
    rendered = {}
    queued_ids = []
    with transaction.atomic():
        chunk = []
        people = volunteers.only(*_VOLUNTEER_FIELDS_FOR_MESSAGES).order_by("pk").iterator(chunk_size=BULK_CHUNK_SIZE)
        for volunteer in people:
            chunk.append(volunteer)
            if len(chunk) >= BULK_CHUNK_SIZE:
                queued_ids += _queue_chunk(chunk, kind, key_prefix, texts, subject, template, context, batch,
                                           expires_at, not_before, reply_topic, rendered, self_service_urls)
                chunk = []
        if chunk:
            queued_ids += _queue_chunk(chunk, kind, key_prefix, texts, subject, template, context, batch,
                                       expires_at, not_before, reply_topic, rendered, self_service_urls)
        messages_hand_to_worker(queued_ids, run_after=not_before)
    return len(queued_ids)


def _queue_chunk(chunk, kind, key_prefix, texts, subject, template, context, batch, expires_at, not_before,
                 reply_topic, rendered, self_service_urls):
    reachable = [(volunteer, channel_for(volunteer)) for volunteer in chunk]
    reachable = [(v, channel) for v, channel in reachable if channel is not None and volunteer_consented(v, kind)]
    hashes = {v.pk: contact_hashes(v) for v, _ in reachable}
    opted_out = set(
        OptOut.objects.filter(contact_hash__in=[h for hs in hashes.values() for h in hs])
        .values_list("contact_hash", flat=True)
    )
    reachable = [(v, channel) for v, channel in reachable if not opted_out.intersection(hashes[v.pk])]
    keys = {v.pk: f"{key_prefix}:{v.pk}" for v, _ in reachable}
    already = set(Message.objects.filter(idempotency_key__in=keys.values()).values_list("idempotency_key", flat=True))
    reachable = [(v, channel) for v, channel in reachable if keys[v.pk] not in already]
    if not reachable:
        return []
    urls = self_service_urls([v for v, _ in reachable])
    now = timezone.now()
    rows = []
    for volunteer, channel in reachable:
        language = message_language(volunteer)
        if (channel, language) not in rendered:
            rendered[channel, language] = message_render(
                channel=channel, language=language, template=template, context=context, texts=texts, subject=subject,
            )
        subject_text, body = rendered[channel, language]
        if ("footer", channel, language) not in rendered:
            # Rendered once per channel and language, the link put in after:
            # a template per person would be most of the time of a big send.
            rendered["footer", channel, language] = message_with_footer(
                body, channel=channel, language=language, settings_url=_URL_SLOT,
            )
        rows.append({
            "volunteer_id": volunteer.pk, "channel": channel, "kind": kind, "language": language,
            "subject": subject_text,
            "body": rendered["footer", channel, language].replace(_URL_SLOT, urls[volunteer.pk]),
            "idempotency_key": keys[volunteer.pk], "batch_id": batch.pk if batch else None,
            "expires_at": expires_at, "not_before": not_before, "reply_topic": reply_topic, "created_at": now,
            "handed_at": max(not_before, now) if not_before else now,
        })
    return _insert_new(rows)


# The columns a queued message is written with, in bulk.
_BULK_COLUMNS = (
    "volunteer", "channel", "kind", "language", "subject", "body", "status", "error_code", "provider_id",
    "idempotency_key", "batch", "not_before", "expires_at", "attempts", "created_at", "handed_at",
    "reply_topic", "confirms_opt_change",
)


def _insert_new(rows):
    """Write `rows` (dicts of a new Message's fields), skipping keys queued
    meanwhile by someone else; the ids of those written. On PostgreSQL one
    INSERT … ON CONFLICT DO NOTHING RETURNING id per chunk, straight through
    psycopg2: the ORM's bulk_create spent more time making and preparing
    50,000 model instances than the database spent writing them."""
    if connection.vendor != "postgresql":
        messages = [Message(**row) for row in rows]
        Message.objects.bulk_create(messages, ignore_conflicts=True)
        return list(
            Message.objects.filter(idempotency_key__in=[row["idempotency_key"] for row in rows],
                                   created_at=rows[0]["created_at"]).values_list("pk", flat=True)
        )
    from psycopg2.extras import execute_values

    defaults = {"status": Message.Status.QUEUED, "error_code": "", "provider_id": "", "attempts": 0,
                "confirms_opt_change": False}
    fields = [Message._meta.get_field(name) for name in _BULK_COLUMNS]
    table = connection.ops.quote_name(Message._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    values = [tuple(row.get(field.attname, defaults.get(field.attname)) for field in fields) for row in rows]
    with connection.cursor() as cursor:
        inserted = execute_values(
            cursor.cursor,
            f"INSERT INTO {table} ({columns}) VALUES %s ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
            values, page_size=len(values), fetch=True,
        )
    return [pk for (pk,) in inserted]


def message_queue_answer(*, number, channel, language, text, key, volunteer):
    """Queue our answer to what `volunteer` texted (a STOP, a START, a
    reply): on the channel they wrote on. The answer to STOP/START goes out
    even though the number just opted out, and carries no footer; other
    answers carry it."""
    if volunteer is None:
        # A number we do not know: nothing to send to (we keep no number).
        return None
    confirms = key.startswith(("stop-answer:", "start-answer:"))
    body = text if confirms else message_with_footer(
        text, channel=channel, language=language, settings_url=_settings_url(volunteer),
    )
    message, created = Message.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "volunteer": volunteer, "channel": channel, "kind": Kind.TRANSACTIONAL, "language": language,
            "body": body, "confirms_opt_change": confirms, "handed_at": timezone.now(),
        },
    )
    if created:
        messages_hand_to_worker([message.pk])
    return message


def staff_notify(users, *, key, template, context=None):
    """Queue an email to each staff user of `users` (those with an email),
    keyed `<key>:<user pk>`, in the user's language when known (else
    English), from `messages/<template>.subject.txt` / `.email.txt`. Returns
    the messages queued now."""
    queued = []
    for user in users:
        if not user.email:
            continue
        user_key = f"{key}:{user.pk}"
        if Message.objects.filter(idempotency_key=user_key).exists():
            continue
        language = _staff_language(user)
        subject_text, body = message_render(channel=Channel.EMAIL, language=language, template=template,
                                            context={**(context or {}), "user": user})
        message, created = Message.objects.get_or_create(
            idempotency_key=user_key,
            defaults={
                "staff_user": user, "channel": Channel.EMAIL, "kind": Kind.TRANSACTIONAL, "language": language,
                "subject": subject_text, "body": body, "handed_at": timezone.now(),
            },
        )
        if created:
            queued.append(message)
    messages_hand_to_worker([message.pk for message in queued])
    return queued


def _staff_language(user):
    language = getattr(user, "language", "") or getattr(getattr(user, "profile", None), "language", "")
    return Language.SPANISH if language == Language.SPANISH else Language.ENGLISH


def messages_hand_to_worker(message_ids, *, run_after=None):
    """Enqueue delivery of `message_ids`, TASK_BATCH_SIZE per task, once the
    current transaction commits (at once outside one); not before
    `run_after` when given (quiet hours)."""
    from messaging.tasks import messages_deliver

    ids = list(message_ids)
    if not ids:
        return
    task = messages_deliver.using(run_after=run_after) if run_after else messages_deliver

    def enqueue():
        for start in range(0, len(ids), TASK_BATCH_SIZE):
            task.enqueue(ids[start:start + TASK_BATCH_SIZE])

    transaction.on_commit(enqueue)


__all__ = [
    "Kind", "channel_for", "message_footer", "message_language", "message_queue", "message_render",
    "messages_hand_to_worker", "messages_queue_many", "quiet_hours_end", "staff_notify", "volunteer_opted_out",
]
