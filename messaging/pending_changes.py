"""The one-time link of a pending change (signups.pending), queued as a
message: signups may not import messaging, so messaging registers this
sender there (messaging.apps)."""

from messaging.models import Kind
from messaging.outbox import message_queue
from signups.services import volunteer_reachable_on_file


def pending_change_confirmation_queue(*, volunteer, pending, url, days, contacts_on_file):
    """Queue the link to the email on file, or by text to the phone on file
    when there is no email: only a contact the person gave us before the
    post (`contacts_on_file`), never one typed in it. The person did not ask
    for it, but it is about their own record: it needs no consent of a kind
    (opt-outs still win). One message per link: a newer post's link is a
    new key."""
    reachable = volunteer_reachable_on_file(volunteer, contacts_on_file)
    if reachable.email:
        # Email first: a shared family phone is the likelier way in for
        # someone else than the person's own inbox.
        reachable.phone, reachable.contact_methods = "", ["email"]
    elif reachable.phone:
        reachable.contact_methods = ["text"]
    else:
        return None
    return message_queue(
        reachable, kind=Kind.TRANSACTIONAL, key=f"pending-change:{pending.pk}:{pending.token_hash[:16]}",
        template="signups/confirm_changes", context={"url": url, "days": days},
    )
