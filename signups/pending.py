"""Pending changes: answers of an unverified form post that would replace
what we know of a volunteer.

The rule (README, "Security and privacy"): an anonymous form post may add to
a record, never reveal it and never replace or remove it. A phone number is
not a password: a neighbor's family, landlord or anyone holding an old flyer
can type it. So `volunteer_upsert` merges what only adds at once and hands
what would replace to `pending_change_propose`; the change then waits for

- the person, through a one-time link sent to the email we already had,
  or by text to the phone we already had when there is no email (never to
  a contact typed in the post), or
- an organizer of the person's zone, who accepts or rejects it in the admin.

Services are keyword-only and named `<entity>_<action>` (STYLE.md).
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from signups.models import Language, MessageKind, PendingChange, Volunteer
from zones.models import Block

# How long the emailed link works: long enough for someone who reads email
# once a week, short enough that an old inbox is not a key for ever.
CONFIRM_LINK_DAYS = 7


def link_token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


# Who sends the one-time link: messaging, which stands above signups and
# registers here (messaging.apps), as trainings registers its erase step.
_confirmation_senders = []


def pending_change_sender_register(sender):
    """`sender(*, volunteer, pending, url, days, contacts_on_file)` queues
    the confirmation of a new pending change (inside the transaction that
    made it); `contacts_on_file` ({"phone", "email"}) are the only contacts
    it may use."""
    if sender not in _confirmation_senders:
        _confirmation_senders.append(sender)


def pending_change_confirm_url(token, *, language):
    """The one-time link, absolute (a message has no request to build it
    from: SITE_URL says where the site lives), in `language`."""
    with translation.override(language):
        path = reverse("signups:confirm_changes", args=[token])
    return settings.SITE_URL.rstrip("/") + path


def pending_change_propose(*, volunteer, changes, source, contacts_on_file=None):
    """Keep `changes` ({field: new value}) as the volunteer's pending change,
    replacing an older one and its link, and queue a new one-time link to
    the email on file, or by text to the phone on file when there is no
    email (through the registered sender: messaging).

    `contacts_on_file` ({"phone", "email"}): what we had before the post
    that proposes the change (by default the volunteer's own): the link
    never goes to a phone or email the post added.

    Call inside the transaction that locked the volunteer. Returns the
    PendingChange."""
    token = secrets.token_urlsafe(32)
    pending, _created = PendingChange.objects.update_or_create(
        volunteer=volunteer,
        defaults={
            "changes": changes,
            "source": source,
            "token_hash": link_token_hash(token),
            "created_at": timezone.now(),
        },
    )
    if contacts_on_file is None:
        contacts_on_file = {"phone": volunteer.phone, "email": volunteer.email}
    # "both" reads the Spanish message (messaging.outbox.message_language).
    language = "es" if volunteer.language in (Language.SPANISH, Language.BOTH) else "en"
    url = pending_change_confirm_url(token, language=language)
    for sender in _confirmation_senders:
        sender(
            volunteer=volunteer, pending=pending, url=url, days=CONFIRM_LINK_DAYS,
            contacts_on_file=dict(contacts_on_file),
        )
    return pending


def pending_change_for_token(token):
    """The pending change this one-time link opens, or None (unknown, used,
    replaced by a newer post, or older than CONFIRM_LINK_DAYS)."""
    if not token or len(token) > 100:
        return None
    oldest = timezone.now() - datetime.timedelta(days=CONFIRM_LINK_DAYS)
    return (
        PendingChange.objects.select_related("volunteer")
        .filter(token_hash=link_token_hash(token), created_at__gte=oldest)
        .first()
    )


def pending_change_described(pending):
    """[(label, new value as people read it)] for the confirmation page and
    the admin, in the active language."""
    from signups.models import ContactMethod

    changes = pending.changes
    labels = {
        "name": gettext("Name"),
        "language": gettext("Preferred language"),
        "phone": gettext("Phone"),
        "email": gettext("Email"),
        "block": gettext("Block"),
        "zip_code": gettext("ZIP code"),
        "contact_methods": gettext("How to contact"),
        "message_kinds": gettext("Messages agreed to"),
    }
    shown = []
    for field, label in labels.items():
        if field not in changes:
            continue
        value = changes[field]
        if field == "language":
            value = Language(value).label if value in Language.values else value
        elif field == "block":
            value = changes.get("block_name", "")
        elif field == "contact_methods":
            names = dict(ContactMethod.choices)
            value = ", ".join(str(names.get(code, code)) for code in value)
        elif field == "message_kinds":
            names = dict(MessageKind.choices)
            value = ", ".join(str(names.get(code, code)) for code in value) or gettext("No messages")
        shown.append((label, str(value)))
    return shown


def pending_change_accept(*, pending):
    """Apply the pending change to its volunteer and drop it (and its link).

    A phone or email that meanwhile belongs to someone else is left out
    rather than move it between two people; a block that was deleted is
    left out too. Returns the volunteer. Accepting twice changes nothing."""
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().filter(pk=pending.volunteer_id).first()
        current = PendingChange.objects.select_for_update().filter(pk=pending.pk).first()
        if volunteer is None or current is None:
            return volunteer
        changes = current.changes
        for field in ("name", "language", "zip_code", "contact_methods", "message_kinds"):
            if field in changes:
                setattr(volunteer, field, changes[field])
        if "block" in changes:
            block = Block.objects.filter(pk=changes["block"]).first()
            if block is not None:
                volunteer.block = block
                volunteer.address_withheld = False
                volunteer.street_address = changes.get("street_address", "")
        for field in ("phone", "email"):
            value = changes.get(field)
            if value and not Volunteer.objects.filter(**{field: value}).exclude(pk=volunteer.pk).exists():
                setattr(volunteer, field, value)
        current.delete()
        try:
            with transaction.atomic():
                volunteer.full_clean(exclude=["block"], validate_constraints=False)
                volunteer.save()
        except IntegrityError:
            # The phone or email was taken between the check and the save:
            # keep the rest of the change.
            volunteer.refresh_from_db(fields=["phone", "email"])
            volunteer.save()
    return volunteer


def pending_change_reject(*, pending):
    """Drop the pending change and its link; the volunteer stays as stored."""
    PendingChange.objects.filter(pk=pending.pk).delete()
