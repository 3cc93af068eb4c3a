"""Queue a message for one person: the one function every app calls.

    message_queue(volunteer, kind=Kind.REMINDER, key=f"reminder-day:{registration.pk}",
                  template="trainings/reminder", context={...})

writes a Message row in the caller's transaction (rendered now, in the
person's language, for the channel chosen for them) and hands it to the
worker once that transaction commits. Nothing is sent here.
"""

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from messaging.models import Channel, Kind, Message
from signups.models import ContactMethod, Language


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


def message_render(*, channel, language, template=None, context=None, texts=None, subject=None):
    """(subject, body) of a message in `language`: from the templates
    `messages/<template>.sms.txt` (texts and WhatsApp) or `.email.txt` and
    `.subject.txt`, or from `texts` ({"en": ..., "es": ...}) an organizer
    wrote."""
    with translation.override(language):
        if texts is not None:
            body = texts[language]
            subject = (subject or {}).get(language, "") if isinstance(subject, dict) else (subject or "")
            return subject, body
        context = {**(context or {}), "language": language, "channel": channel}
        if channel == Channel.EMAIL:
            subject = render_to_string(f"messages/{template}.subject.txt", context).strip()
            body = render_to_string(f"messages/{template}.email.txt", context)
        else:
            subject = ""
            body = render_to_string(f"messages/{template}.sms.txt", context).strip()
    return subject, body


def message_queue(volunteer, *, kind, key, template=None, context=None, texts=None, subject=None,
                  batch=None, expires_at=None, not_before=None):
    """The Message for `key`, queued for `volunteer` now unless one was
    queued under that key before (then that one, unchanged). Returns None
    when the person cannot be reached at all (no phone, no email)."""
    channel = channel_for(volunteer)
    if channel is None:
        return None
    existing = Message.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    language = message_language(volunteer)
    subject_text, body = message_render(
        channel=channel, language=language, template=template, context=context, texts=texts, subject=subject,
    )
    try:
        with transaction.atomic():
            message = Message.objects.create(
                volunteer=volunteer, channel=channel, kind=kind, language=language,
                subject=subject_text, body=body, idempotency_key=key, batch=batch,
                expires_at=expires_at, not_before=not_before,
            )
    except IntegrityError:
        # Queued by a concurrent call under the same key.
        return Message.objects.get(idempotency_key=key)
    messages_hand_to_worker([message.pk])
    return message


def messages_hand_to_worker(message_ids):
    """Enqueue delivery of `message_ids` once the current transaction
    commits (at once outside one)."""
    from messaging.tasks import messages_deliver

    ids = list(message_ids)
    transaction.on_commit(lambda: messages_deliver.enqueue(ids))


__all__ = ["Kind", "channel_for", "message_language", "message_queue", "message_render", "messages_hand_to_worker"]
