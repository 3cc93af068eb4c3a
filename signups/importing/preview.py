"""What an import would do, row by row, before anything is written.

plan_make() reads the database (the people the file's phones and emails
belong to, forgotten contacts, blocks) in a few bulk queries, then plays
every row through the same merge rules volunteer_upsert applies
(signups.services._merge_answers) on copies in memory, so a row repeated
further down the file sees what the first one would have done. The
preview shows the plan; the import (importing.writing) makes it again
inside its transaction, against the database as it is then, and writes it.

Each row's outcome is a dict kept in ImportJob.results:
    {"row": 12, "outcome": "created" | "updated" | "unchanged" | "refused",
     "fields": [changed field names], "pending": [fields that wait for the
     person's confirmation], "contactable": bool, "reason": code,
     "address": text, "choices": [[block id, label], ...]}
"""

import copy

from django.core.exceptions import ValidationError
from django.db.models import Q

from signups.forgotten import forgotten_hashes
from signups.contact_hash import contact_hash
from signups.importing.rows import RowRefused, row_read
from signups.models import PendingChange, Volunteer
from signups.services import _merge_answers
from zones.address import address_lookup
from zones.admin_scoping import sees_everything, zones_for
from zones.models import Block
from zones.services import address_place

# Fields whose change the preview names.
COMPARED_FIELDS = [
    "name", "phone", "email", "language", "block_id", "street_address", "address_withheld",
    "zip_code", "contact_methods",
]
FIELD_DISPLAY = {"block_id": "block"}
_CHUNK = 1000


class Scope:
    """Where `user` may import to: block ids of their zones (all for a
    superuser), and whether people with no zone are theirs too."""

    def __init__(self, user):
        self.everything = sees_everything(user)
        self.zone_ids = set() if self.everything else set(zones_for(user).values_list("pk", flat=True))
        self.unzoned = self.everything or user.has_perm("signups.view_unzoned_volunteer")

    def allows_block(self, zone_id, *, has_block):
        if self.everything:
            return True
        if not has_block:
            return self.unzoned
        return zone_id is not None and zone_id in self.zone_ids

    def allows_volunteer(self, volunteer):
        block = volunteer.block
        return self.allows_block(block.zone_id if block else None, has_block=block is not None)


def _place_key(answers):
    # A tab never survives into a cell (reading strips and splits on
    # whitespace), and PostgreSQL's JSON refuses the NUL byte.
    return f"{answers.address}\t{answers.zip_code}"


class Places:
    """Address -> where it is, once per distinct address. `known`: what an
    earlier run found ({key: [...]}, JSON), so the import does not ask
    passyunk again what the preview asked."""

    def __init__(self, known=None):
        self.known = dict(known or {})
        self._blocks = {}

    def _block(self, street, hundred):
        key = (street, hundred)
        if key not in self._blocks:
            self._blocks[key] = Block.objects.filter(street=street, hundred=hundred).first()
        return self._blocks[key]

    def find(self, answers):
        """("placed", street, hundred, house number) | ("unclear", [[id,
        label], ...]) | ("not_found",). Writes nothing: a clear address
        on a block we do not have yet is "placed" on a block made only by
        the import."""
        key = _place_key(answers)
        if key not in self.known:
            lookup = address_lookup(answers.address, zip_code=answers.zip_code)
            if lookup.placed is not None:
                p = lookup.placed
                self.known[key] = ["placed", p.street, p.hundred, p.house_number]
            elif not lookup.candidates:
                self.known[key] = ["not_found"]
            else:
                # The choices path of address_place reads, never writes.
                place = address_place(text=answers.address, zip_code=answers.zip_code)
                if place.block is not None:
                    r = place.resolved
                    self.known[key] = ["placed", r.street, r.hundred, r.house_number]
                elif place.choices:
                    self.known[key] = [
                        "unclear",
                        [[c.block.pk, c.block.street, c.block.hundred, c.resolved.house_number] for c in place.choices],
                    ]
                else:
                    self.known[key] = ["not_found"]
        return self.known[key]

    def block_info(self, street, hundred):
        """(Block or None if new, zone id)."""
        block = self._block(street, hundred)
        return block, (block.zone_id if block else None)


def _existing(answers_list):
    """{"phone": {phone: Volunteer}, "email": {...}} for the file's contacts."""
    phones = sorted({a.phone for a in answers_list if a.phone})
    emails = sorted({a.email for a in answers_list if a.email})
    found = {}
    for start in range(0, max(len(phones), len(emails)), _CHUNK):
        condition = Q(pk__in=[])
        if phones[start:start + _CHUNK]:
            condition |= Q(phone__in=phones[start:start + _CHUNK])
        if emails[start:start + _CHUNK]:
            condition |= Q(email__in=emails[start:start + _CHUNK])
        for volunteer in Volunteer.objects.filter(condition).select_related("block"):
            found[volunteer.pk] = volunteer
    pending = {
        p.volunteer_id: p.changes for p in PendingChange.objects.filter(volunteer_id__in=list(found))
    }
    return found, pending


class Plan:
    def __init__(self):
        self.results = []
        # Row number -> (RowAnswers, Block or (street, hundred) or None,
        # street address, whether the row creates a person) for the rows
        # to write.
        self.writes = {}

    def counts(self):
        counts = {"created": 0, "updated": 0, "unchanged": 0, "refused": 0, "not_contactable": 0}
        for result in self.results:
            counts[result["outcome"]] += 1
            if result["outcome"] == "created" and not result.get("contactable", True):
                counts["not_contactable"] += 1
        counts["total"] = len(self.results)
        return counts


def plan_make(*, table, mapping, options, user, picks=None, places=None, progress=None,
              keep_street_addresses=False):
    """The Plan for `table` (importing.reading.Table) with the organizer's
    `mapping` and `options`, for `user`'s zones. `picks`: {address text:
    block id} chosen among an unclear address's blocks. `places`: a Places
    to reuse. `progress(done)`: called every few hundred rows."""
    picks = picks or {}
    places = places or Places()
    scope = Scope(user)
    plan = Plan()
    read = []
    for number, cells in table.rows:
        try:
            read.append((number, row_read(cells, mapping=mapping, options=options), None))
        except RowRefused as refusal:
            read.append((number, None, refusal.code))
    answers_list = [a for _n, a, _c in read if a is not None]
    forgotten = forgotten_hashes([a.phone for a in answers_list] + [a.email for a in answers_list])
    found, pending = _existing(answers_list)
    by_phone = {v.phone: v for v in found.values() if v.phone}
    by_email = {v.email.lower(): v for v in found.values() if v.email}
    for done, (number, answers, code) in enumerate(read, start=1):
        if progress is not None and done % 250 == 0:
            progress(done)
        if answers is None:
            plan.results.append({"row": number, "outcome": "refused", "reason": code})
            continue
        result = _row_plan(
            number, answers, scope=scope, places=places, picks=picks, forgotten=forgotten,
            by_phone=by_phone, by_email=by_email, pending=pending, plan=plan,
            keep_street_addresses=keep_street_addresses,
        )
        plan.results.append(result)
    if progress is not None:
        progress(len(read))
    return plan


def _refused(number, reason, **extra):
    return {"row": number, "outcome": "refused", "reason": reason, **extra}


def _row_plan(number, answers, *, scope, places, picks, forgotten, by_phone, by_email, pending, plan,
              keep_street_addresses):
    if (answers.phone and contact_hash(answers.phone) in forgotten) or (
        answers.email and contact_hash(answers.email) in forgotten
    ):
        # Nothing more is said, on purpose: not who, not when.
        return _refused(number, "forgotten")
    block = None
    street_address = ""
    if answers.address:
        place = places.find(answers)
        if place[0] == "unclear":
            picked = next((c for c in place[1] if str(c[0]) == str(picks.get(answers.address, ""))), None)
            if picked is None:
                return _refused(
                    number, "address_unclear", address=answers.address,
                    choices=[[c[0], c[1], c[2]] for c in place[1]],
                )
            place = ["placed", picked[1], picked[2], picked[3]]
        if place[0] == "not_found":
            return _refused(number, "address_not_found", address=answers.address)
        _kind, street, hundred, house = place
        found_block, zone_id = places.block_info(street, hundred)
        if not scope.allows_block(zone_id, has_block=True):
            return _refused(number, "outside_zones")
        block = found_block or (street, hundred)
        if keep_street_addresses:
            street_address = f"{house} {street}"
    elif not scope.allows_block(None, has_block=False):
        return _refused(number, "outside_zones")
    owner_by_phone = by_phone.get(answers.phone) if answers.phone else None
    owner_by_email = by_email.get(answers.email) if answers.email else None
    existing = owner_by_phone or owner_by_email
    if existing is None:
        volunteer = Volunteer(
            name=answers.name, phone=answers.phone, email=answers.email, language=answers.language,
            block=block if isinstance(block, Block) else None, street_address=street_address,
            zip_code=answers.zip_code, source=Volunteer.Source.IMPORT,
        )
        if not isinstance(block, Block) and block is not None:
            # A block only the import will make: in scope (superusers only).
            volunteer.block_id = -1
        try:
            # What volunteer_upsert checks before writing, so the import
            # refuses here what the preview would not have said.
            volunteer.full_clean(exclude=["block", "consent_at", "consent_version"],
                                 validate_unique=False, validate_constraints=False)
        except ValidationError:
            return _refused(number, "invalid_value")
        if answers.phone:
            by_phone[answers.phone] = volunteer
        if answers.email:
            by_email[answers.email] = volunteer
        plan.writes[number] = (answers, block, street_address, True)
        return {"row": number, "outcome": "created", "contactable": answers.consent}
    if existing.pk is not None and not scope.allows_volunteer(existing):
        return _refused(number, "outside_zones")
    if existing.pk is None:
        # A second row for someone this file creates: compare with the first.
        before = {f: getattr(existing, f) for f in COMPARED_FIELDS}
    else:
        before = {f: copy.copy(getattr(existing, f)) for f in COMPARED_FIELDS}
    simulated = copy.copy(existing)
    fields = {
        "name": answers.name, "phone": answers.phone, "email": answers.email, "language": answers.language,
        "block": block if isinstance(block, Block) else (Block(pk=-1, street=block[0], hundred=block[1]) if block else None),
        "street_address": street_address, "address_withheld": False, "zip_code": answers.zip_code,
        "source": Volunteer.Source.IMPORT,
    }
    lists = {"contact_methods": [], "ways_to_help": [], "weekend_availability": []}
    replacing = _merge_answers(
        simulated, fields, lists,
        by_phone=owner_by_phone, by_email=owner_by_email,
    )
    # Simulated on a copy; later rows for this person see the result.
    for key in [k for k, v in by_phone.items() if v is existing]:
        by_phone[key] = simulated
    for key in [k for k, v in by_email.items() if v is existing]:
        by_email[key] = simulated
    changed = [FIELD_DISPLAY.get(f, f) for f in COMPARED_FIELDS if getattr(simulated, f) != before[f]]
    pending_key = existing.pk or id(existing)
    old_pending = pending.get(pending_key) or {}
    new_pending = {k: v for k, v in replacing.items() if k != "block_name" and old_pending.get(k) != v}
    if replacing:
        pending[pending_key] = {**old_pending, **replacing}
    if existing.pk is None:
        # The first row of this person creates them with its answers;
        # this one is only a repeat (or would wait for a confirmation
        # nobody can give before they exist).
        return {"row": number, "outcome": "unchanged"}
    if not changed and not new_pending:
        return {"row": number, "outcome": "unchanged"}
    plan.writes[number] = (answers, block, street_address, False)
    pending_fields = sorted({FIELD_DISPLAY.get(k, k) for k in new_pending if k not in ("block_name", "street_address")} | ({"block"} if "block" in new_pending else set()))
    return {"row": number, "outcome": "updated", "fields": changed, "pending": pending_fields}
