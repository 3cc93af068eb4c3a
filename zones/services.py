"""Changes to zones and blocks; the one place other apps turn an address into a block."""

import functools
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from zones.address import ResolvedAddress, address_lookup
from zones.models import Block
from zones.prepared import execute_prepared


@dataclass(frozen=True)
class AddressChoice:
    """One block an unclear address could mean, offered to the neighbor."""

    block: Block
    resolved: ResolvedAddress

    @property
    def value(self):
        return str(self.block.pk)


@dataclass(frozen=True)
class AddressPlace:
    """Where an address puts a neighbor: `block` (and `resolved`) when it is
    clear; otherwise `choices` to offer, or neither for "not found".
    `zip_code`: the ZIP typed inside the address, if any."""

    block: Block | None = None
    resolved: ResolvedAddress | None = None
    choices: tuple = ()
    zip_code: str = ""

    def choice(self, value):
        """The offered AddressChoice whose value the neighbor picked, or None
        (a stale pick after the address was edited is no pick)."""
        return next((c for c in self.choices if c.value == str(value or "")), None)


def address_place(*, text, zip_code=""):
    """Place a typed address on a block, or say which blocks it could mean.

    `zip_code`: typed in a field of its own; it decides North or South for
    "1233 25th St". Without one, the campaign's area does: when exactly one
    of the two sides is a block of a zone, that is where the neighbor lives
    (the other is miles away from any campaign). Choices are only blocks we
    have (imported from the centerline), never a street passyunk merely
    knows; a clear address still gets its zone-less block (see
    block_get_or_create). Reads one query for choices; writes at most the
    new block."""
    lookup = address_lookup(text, zip_code=zip_code)
    if lookup.placed is not None:
        placed = lookup.placed
        block = block_get_or_create(street=placed.street, hundred=placed.hundred)
        return AddressPlace(block=block, resolved=placed, zip_code=lookup.zip_code)
    if not lookup.candidates:
        return AddressPlace(zip_code=lookup.zip_code)
    wanted = reduce(or_, (Q(street=c.street, hundred=c.hundred) for c in lookup.candidates))
    blocks = {(b.street, b.hundred): b for b in Block.objects.filter(wanted).select_related("zone")}
    choices = tuple(
        AddressChoice(block=blocks[(c.street, c.hundred)], resolved=c)
        for c in lookup.candidates
        if (c.street, c.hundred) in blocks
    )
    if lookup.north_or_south:
        in_area = [c for c in choices if c.block.zone_id is not None]
        if len(in_area) == 1:
            return AddressPlace(block=in_area[0].block, resolved=in_area[0].resolved, zip_code=lookup.zip_code)
    return AddressPlace(choices=choices, zip_code=lookup.zip_code)


def block_for_address(*, text):
    """Resolve a free-text street address and return (block, resolved).

    (None, None) when the address is not found or unclear (address_place
    offers the choices). A resolved street outside the imported blocks still
    gets its own zone-less Block, so organizers see where people are and can
    later draw a zone around them.

    Two sign-ups from the same new block can race; the unique constraint on
    (street, hundred) decides, and the loser fetches the winner's row.
    """
    place = address_place(text=text)
    return place.block, place.resolved


def block_get_or_create(*, street, hundred):
    block = _block_at(street, hundred)
    if block is not None:
        return block
    try:
        # A savepoint, so a lost race does not break the caller's transaction.
        with transaction.atomic():
            return Block.objects.create(street=street, hundred=hundred)
    except IntegrityError:
        return Block.objects.get(street=street, hundred=hundred)


def _block_at(street, hundred):
    # Every sign-up with an address asks this: written out and prepared
    # (zones.prepared), since the ORM took 0.3 ms to build the query, and a
    # raw queryset as long again to read the answer, which PostgreSQL finds
    # in the unique index in a fraction of that. (street, hundred) is
    # unique: one row. Its shape (geometry) is left deferred: a sign-up
    # does not draw it.
    sql, attnames = _block_at_sql()
    with connection.cursor() as cursor:
        execute_prepared(cursor, sql, [street, hundred])
        row = cursor.fetchone()
    if row is None:
        return None
    return Block.from_db(connection.alias, attnames, row)


@functools.cache
def _block_at_sql():
    """(_block_at's statement, the attribute names of its columns), built once."""
    quote = connection.ops.quote_name
    fields = [field for field in Block._meta.concrete_fields if field.name != "geometry"]
    sql = (
        f"SELECT {', '.join(quote(field.column) for field in fields)} FROM {quote(Block._meta.db_table)}"
        " WHERE street = %s AND hundred = %s LIMIT 1"
    )
    return sql, [field.attname for field in fields]
