"""Changes to volunteers: the one place a sign-up, a walk-in or an import
creates or updates a Volunteer (the spreadsheet export is signups.exports).

Services are keyword-only and named `<entity>_<action>` (see STYLE.md).
"""

import functools

import phonenumbers
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pagecache.pages import cached
from signups.models import (
    Campaign,
    Language,
    Volunteer,
)
from signups.pending import pending_change_propose
from signups.volunteer_insert import fast_path_possible, volunteer_insert_new

# Where a number typed without a country code is assumed to be.
DEFAULT_PHONE_REGION = "US"
# Longer than any real phone number, with spaces and an extension; phonenumbers
# refuses longer input anyway, this only keeps junk out of the parser.
MAX_PHONE_INPUT = 40


class SignupError(Exception):
    """A refusal: a translated message for people, a stable code for tests."""

    def __init__(self, message, *, code):
        super().__init__(str(message))
        self.message = message
        self.code = code


def phone_normalize(text):
    """Return `text` as an E.164 phone number ("+12155550123"), "" for no
    input, or raise SignupError(code="invalid_phone").

    Numbers without a country code are read as US numbers: a flyer in South
    Philadelphia gets "215-555-0123", not "+1 215…"."""
    text = (text or "").strip()
    if not text:
        return ""
    invalid = SignupError(
        _("Enter a valid phone number, for example 215-555-0123."), code="invalid_phone"
    )
    if len(text) > MAX_PHONE_INPUT:
        raise invalid
    e164 = _phone_e164(text)
    if e164 is None:
        raise invalid
    return e164


# A sign-up reads its phone three times (rate limit, form, service): the
# answer, a pure function of the text, is remembered per process.
@functools.lru_cache(maxsize=2048)
def _phone_e164(text):
    """E.164 of `text`, or None when it is not a valid number."""
    try:
        number = phonenumbers.parse(text, DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_normalize(text):
    """Emails are compared case-insensitively: stored lower-cased, so the
    unique constraint on Volunteer.email is case-insensitive too."""
    return (text or "").strip().lower()


def _union(existing, new):
    """Codes in `existing`, then the new ones, each once, in a stable order."""
    merged = list(existing or [])
    for code in new or []:
        if code not in merged:
            merged.append(code)
    return merged


def volunteer_find(*, phone="", email="", lock=False):
    """The volunteer this phone or email belongs to, or None.

    `phone` may be typed any way (it is normalized; an invalid one raises
    SignupError), `email` in any case. When both match different people, the
    phone's owner wins: a phone number is personal, while families often share
    one email address. With `lock`, the matching rows are locked until the end
    of the caller's transaction."""
    phone = phone_normalize(phone)
    email = email_normalize(email)
    return _find(phone=phone, email=email, lock=lock)[0]


def _find(*, phone, email, lock):
    """(chosen volunteer, by_phone, by_email), every one possibly None."""
    if not phone and not email:
        return None, None, None
    matches = list(Volunteer.objects.raw(*_find_sql(phone=phone, email=email, lock=lock)))
    by_phone = next((v for v in matches if phone and v.phone == phone), None)
    by_email = next((v for v in matches if email and v.email.lower() == email), None)
    return by_phone or by_email, by_phone, by_email


def _find_sql(*, phone, email, lock):
    """The lookup of _find, written out: every sign-up runs it, and building
    it with the ORM cost three times what PostgreSQL spends on it. The email
    half is UPPER(email::text) = UPPER(%s), as Django writes iexact, so the
    expression index serves it (test_volunteer_upsert holds the plan)."""
    table = connection.ops.quote_name(Volunteer._meta.db_table)
    conditions, params = [], []
    if phone:
        conditions.append("phone = %s")
        params.append(phone)
    if email:
        # ::text only on PostgreSQL; the SQLite demo has no such cast.
        cast = "::text" if connection.vendor == "postgresql" else ""
        conditions.append(f"UPPER(email{cast}) = UPPER(%s)")
        params.append(email)
    # With `lock`, rows are locked in primary-key order, so two sign-ups
    # touching the same two rows cannot deadlock.
    # SQLite has no FOR UPDATE: its IMMEDIATE transactions (settings) hold
    # the one write lock from the start instead.
    locking = " FOR UPDATE" if lock and connection.features.has_select_for_update else ""
    sql = f"SELECT * FROM {table} WHERE {' OR '.join(conditions)} ORDER BY id{locking}"
    return sql, params


def _same_name(a, b):
    # "maria  lópez" typed again is the same answer as "Maria López".
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _block_answer(block, street_address):
    # The block's name goes along so that showing the change (the admin
    # list, the confirmation page) needs no query per change.
    return {"block": block.pk, "block_name": block.name, "street_address": street_address}


def _merge_message_kinds(volunteer, message_kinds, *, only_add):
    """Kinds of messages newly ticked are consent given: merged at once.
    A stored kind left unticked would take consent away, which an
    anonymous post may not do: it waits as a pending change (the whole new
    list, as with contact methods), unless the form asks only which kinds
    to add (`only_add`: an RSVP, a walk-in). Returns the pending answer
    ({} or {"message_kinds": [...]})."""
    if message_kinds is None:
        return {}
    stored = list(volunteer.message_kinds or [])
    volunteer.message_kinds = _union(stored, message_kinds)
    if not only_add and set(stored) - set(message_kinds):
        return {"message_kinds": list(message_kinds)}
    return {}


def _merge_answers(volunteer, fields, lists, *, by_phone, by_email):
    """Apply to an existing `volunteer` the answers that only add to what we
    know; return those that would replace or remove something, for a
    pending change ({field: value}).

    A form post proves nothing about who typed it (a phone number is not a
    password), so it may fill what is empty and grow lists of choices, but
    a stored name, language, block, ZIP, phone or email stays until the
    person or an organizer confirms the new one (signups.pending)."""
    replacing = {}
    if fields["name"] and not _same_name(fields["name"], volunteer.name):
        replacing["name"] = fields["name"]
    if fields["language"] != volunteer.language:
        replacing["language"] = fields["language"]
    # A phone or email is added only when no one else has it: matched by
    # phone, an email that belongs to another volunteer stays theirs (the
    # unique constraint would refuse it anyway, and moving it would merge
    # two people on a guess).
    for field, owner in (("phone", by_phone), ("email", by_email)):
        value = fields[field]
        if not value or owner is not None:
            continue
        if getattr(volunteer, field):
            replacing[field] = value
        else:
            setattr(volunteer, field, value)
    block = fields["block"]
    if block is not None and block.pk != volunteer.block_id:
        if volunteer.block_id is None and not volunteer.address_withheld:
            volunteer.block = block
            volunteer.street_address = fields["street_address"]
        else:
            replacing.update(_block_answer(block, fields["street_address"]))
    elif block is not None and fields["street_address"] != volunteer.street_address:
        if volunteer.street_address:
            replacing.update(_block_answer(block, fields["street_address"]))
        else:
            volunteer.street_address = fields["street_address"]
    # "I'd rather not say" this time does not erase a block given before
    # (it withholds, it does not ask us to forget; an organizer can clear it
    # on request).
    if fields["address_withheld"] and volunteer.block_id is None:
        volunteer.address_withheld = True
    if fields["zip_code"] and fields["zip_code"] != volunteer.zip_code:
        if volunteer.zip_code:
            replacing["zip_code"] = fields["zip_code"]
        else:
            volunteer.zip_code = fields["zip_code"]
    # Fewer ways to contact someone is a removal: it waits; new ones are
    # merged now.
    new_methods = lists["contact_methods"]
    if new_methods and set(volunteer.contact_methods or []) - set(new_methods):
        replacing["contact_methods"] = new_methods
    # Lists of choices only grow, so a second sign-up adding "interpret"
    # does not drop "knock on doors".
    for name, new in lists.items():
        setattr(volunteer, name, _union(getattr(volunteer, name), new))
    # `source` keeps how the person first came to us, and consent its first
    # time and wording: a post in someone else's name cannot renew it.
    return replacing


def _new_volunteer(fields, *, lists, message_kinds):
    volunteer = Volunteer(**fields, **lists)
    if message_kinds is not None:
        volunteer.message_kinds = _union([], message_kinds)
    # A new record's phone and email are the submitter's own.
    volunteer.contacts_on_file = {"phone": fields["phone"], "email": fields["email"]}
    return volunteer


@transaction.atomic
def _upsert_once(fields, *, campaign, lists, message_kinds, message_kinds_only_add):
    phone, email = fields["phone"], fields["email"]
    volunteer, by_phone, by_email = _find(phone=phone, email=email, lock=True)
    created = volunteer is None
    replacing = {}
    if created:
        volunteer = _new_volunteer(fields, lists=lists, message_kinds=message_kinds)
    else:
        # What reached this person before the post: a post may add an
        # email or phone where none was, but nothing secret (a link, a
        # confirmation) may go to a contact typed in it
        # (volunteer_reachable_on_file).
        volunteer.contacts_on_file = {"phone": volunteer.phone, "email": volunteer.email}
        replacing = _merge_answers(volunteer, fields, lists, by_phone=by_phone, by_email=by_email)
        replacing.update(_merge_message_kinds(volunteer, message_kinds, only_add=message_kinds_only_add))
    # The database checks the unique phone and email itself, inside this
    # transaction, where no racing insert can slip between check and write;
    # full_clean checks the rest, but for the block: it was just read from
    # the database, and checking it exists would ask again.
    volunteer.full_clean(exclude=["block"], validate_constraints=False)
    volunteer.save()
    if campaign is not None:
        volunteer.campaigns.add(campaign)
    if replacing:
        pending_change_propose(
            volunteer=volunteer, changes=replacing, source=fields["source"],
            contacts_on_file=volunteer.contacts_on_file,
        )
    return volunteer, created


def volunteer_upsert(
    *,
    name,
    phone="",
    email="",
    language=Language.ENGLISH,
    contact_methods=(),
    block=None,
    zip_code="",
    address_withheld=False,
    street_address="",
    ways_to_help=(),
    weekend_availability=(),
    campaign=None,
    source=Volunteer.Source.FORM,
    consent_at=None,
    consent_version,
    message_kinds=None,
    message_kinds_only_add=False,
):
    """Create the volunteer, or update the one with this phone or email.

    Returns (volunteer, created).

    - `phone` is normalized to E.164 (US by default), `email` lower-cased;
      at least one is required.
    - A repeat sign-up (same phone, or same email in any case) finds that
      volunteer and merges what only adds: contact methods, ways to help
      and availability (union, old first), a campaign, and a block, ZIP,
      phone or email where none was stored. Answers that would replace or
      remove stored ones (name, language, block, ZIP, phone, email, fewer
      contact methods) become the volunteer's pending change
      (signups.pending), confirmed by the person or an organizer. `source`
      and consent stay the first ones. When the phone belongs to one
      volunteer and the email to another, the phone's owner is the one
      found and the other keeps their email.
    - `message_kinds` (MessageKind values; None: the form did not ask): a
      new volunteer agrees to exactly these; for one found again, kinds
      ticked are added at once and a stored kind left unticked waits in
      the pending change, unless `message_kinds_only_add` (a form that asks
      only what to add).
    - The volunteer returned carries `contacts_on_file` ({"phone", "email"}
      before this post; see volunteer_reachable_on_file).
    - `campaign`, when given, is added to the volunteer's campaigns.
    - Double clicks and racing requests create one row: the unique
      constraints on phone and email decide, and the loser updates the
      winner's row.

    Refusals: SignupError with code "invalid_phone" or "no_contact";
    django ValidationError for a value the model refuses (e.g. a name longer
    than 200 characters). A refusal writes nothing.
    """
    phone = phone_normalize(phone)
    email = email_normalize(email)
    if not phone and not email:
        raise SignupError(
            _("Give us a phone number or an email address, so we can reach you."),
            code="no_contact",
        )
    fields = {
        "name": (name or "").strip(),
        "phone": phone,
        "email": email,
        "language": language,
        "block": block,
        "zip_code": (zip_code or "").strip(),
        "address_withheld": bool(address_withheld) and block is None,
        "street_address": (street_address or "").strip() if block is not None else "",
        "source": source,
        "consent_at": consent_at or timezone.now(),
        "consent_version": consent_version,
    }
    lists = {
        "contact_methods": _union([], contact_methods),
        "ways_to_help": _union([], ways_to_help),
        "weekend_availability": _union([], weekend_availability),
    }
    kinds = {
        "message_kinds": None if message_kinds is None else [str(kind) for kind in message_kinds],
        "message_kinds_only_add": message_kinds_only_add,
    }
    # Every answer is checked now, also those that will wait in a pending
    # change, so that accepting it later cannot fail on a 2,000-character
    # name: checked as the new record they would make.
    new = _new_volunteer(fields, lists=lists, message_kinds=kinds["message_kinds"])
    new.full_clean(exclude=["block"], validate_unique=False, validate_constraints=False)
    # Someone new: one statement (signups.volunteer_insert); anyone found,
    # or a racing insert, takes the full path below.
    if fast_path_possible(Volunteer) and volunteer_insert_new(new, campaign=campaign):
        return new, True
    try:
        return _upsert_once(fields, campaign=campaign, lists=lists, **kinds)
    except IntegrityError:
        # Another request inserted this phone or email between our lookup and
        # our insert (a double click): that row exists now, so update it.
        return _upsert_once(fields, campaign=campaign, lists=lists, **kinds)


def volunteer_reachable_on_file(volunteer, contacts_on_file=None):
    """`volunteer` as messages may reach them after an anonymous post: a
    copy without the phone or email that post added (volunteer_upsert's
    `contacts_on_file`), so that a channel is chosen among the contacts
    the person gave us themselves. A secret link or a confirmation sent to
    a contact a stranger just typed would hand the stranger the record.
    A volunteer not from volunteer_upsert (and no `contacts_on_file`) as is."""
    import copy

    on_file = contacts_on_file if contacts_on_file is not None else getattr(volunteer, "contacts_on_file", None)
    if on_file is None:
        return volunteer
    reachable = copy.copy(volunteer)
    reachable.phone = on_file["phone"] if on_file["phone"] == volunteer.phone else ""
    reachable.email = on_file["email"] if on_file["email"] == volunteer.email else ""
    return reachable


# --- Campaigns ----------------------------------------------------------------


def campaign_current():
    """(open campaign, closed campaign) for the public pages.

    The open campaign whose weekend comes latest, if any; otherwise the latest
    campaign when it is closed, so the page can say sign-ups for it ended
    (the join form keeps working without a campaign: neighbors can always
    join their block)."""
    # Every sign-up asks: kept in the shared cache until a campaign changes.
    return cached("campaign-current", ["campaigns"], _campaign_current_query)


def _campaign_current_query():
    campaign = Campaign.objects.filter(is_open=True).order_by("-starts_on", "-pk").first()
    if campaign is not None:
        return campaign, None
    return None, Campaign.objects.order_by("-starts_on", "-pk").first()
