"""Changes to zones and blocks; the one place other apps turn an address into a block."""

from django.db import IntegrityError, transaction

from zones.address import resolve_address
from zones.models import Block


def block_for_address(*, text):
    """Resolve a free-text street address and return (block, resolved).

    (None, None) when the address is not found. A resolved street outside the
    imported blocks still gets its own zone-less Block, so organizers see
    where people are and can later draw a zone around them.

    Two sign-ups from the same new block can race; the unique constraint on
    (street, hundred) decides, and the loser fetches the winner's row.
    """
    resolved = resolve_address(text)
    if resolved is None:
        return None, None
    return block_get_or_create(street=resolved.street, hundred=resolved.hundred), resolved


def block_get_or_create(*, street, hundred):
    block = Block.objects.filter(street=street, hundred=hundred).first()
    if block is not None:
        return block
    try:
        # A savepoint, so a lost race does not break the caller's transaction.
        with transaction.atomic():
            return Block.objects.create(street=street, hundred=hundred)
    except IntegrityError:
        return Block.objects.get(street=street, hundred=hundred)
