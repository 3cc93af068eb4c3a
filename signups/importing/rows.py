"""One spreadsheet row -> the answers volunteer_upsert takes, or a refusal.

The reasons a row is refused are codes (REASONS), translated when shown, so
the preview stored in the database speaks whichever language the organizer
reads it in.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signups.importing.columns import header_words
from signups.models import Language
from signups.services import SignupError, email_normalize, phone_normalize

REASONS = {
    "invalid_phone": _("Invalid phone number"),
    "invalid_email": _("Invalid email address"),
    "no_contact": _("No phone and no email"),
    "no_name": _("No name"),
    "too_long": _("A value is too long"),
    "invalid_value": _("A value is not valid"),
    "address_not_found": _("Address not placed on a block"),
    "address_unclear": _("Address not placed: choose its block below"),
    "no_consent": _("No consent to be contacted"),
    "forgotten": _("Asked to be forgotten"),
    "outside_zones": _("Outside your zones"),
}

_YES = {
    "yes", "y", "si", "s", "x", "true", "1", "ok", "agree", "i agree", "acepto", "de acuerdo",
    "yes i agree", "si acepto", "checked", "verdadero",
}
_NO = {"no", "n", "false", "0", "falso", "no acepto", "i do not agree", "unchecked"}
_LANGUAGES = {
    "en": Language.ENGLISH, "english": Language.ENGLISH, "ingles": Language.ENGLISH,
    "es": Language.SPANISH, "spanish": Language.SPANISH, "espanol": Language.SPANISH,
    "castellano": Language.SPANISH, "sp": Language.SPANISH, "esp": Language.SPANISH,
    "both": Language.BOTH, "ambos": Language.BOTH, "bilingual": Language.BOTH,
    "bilingue": Language.BOTH, "english and spanish": Language.BOTH, "ingles y espanol": Language.BOTH,
    "spanish and english": Language.BOTH, "espanol e ingles": Language.BOTH, "en es": Language.BOTH,
    "es en": Language.BOTH,
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
    "%m/%d/%Y", "%m/%d/%y", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d",
)
MAX_NAME = 200


class RowRefused(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


@dataclass
class RowAnswers:
    name: str
    phone: str
    email: str
    language: str
    address: str
    zip_code: str
    consent: bool
    consent_at: datetime.datetime | None


def _cell(cells, mapping, field):
    index = mapping.get(field)
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def date_parse(text):
    """A date or time as spreadsheets write them, aware, or None."""
    text = (text or "").strip()
    if not text:
        return None
    text = re.sub(r"\s*(GMT|UTC)[+-]?\d*$", "", text).replace("T", " ")
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.datetime.strptime(text[:19], fmt)
        except ValueError:
            continue
        return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
    return None


def consent_read(text):
    """(consented, date given in the cell or None). A date counts as yes:
    a "consent given on" column holds dates."""
    words = header_words(text)
    if not words:
        return False, None
    if words in _NO or words.startswith("no "):
        return False, None
    if words in _YES or words.startswith(("yes", "si ", "acepto", "i agree", "agree")):
        return True, None
    when = date_parse(text)
    if when is not None:
        return True, when
    return False, None


def language_read(text, *, default):
    words = header_words(text)
    if not words:
        return default
    if words in _LANGUAGES:
        return _LANGUAGES[words]
    has_en = "english" in words or "ingles" in words
    has_es = "spanish" in words or "espanol" in words
    if has_en and has_es:
        return Language.BOTH
    if has_es:
        return Language.SPANISH
    if has_en:
        return Language.ENGLISH
    return default


def row_read(cells, *, mapping, options):
    """RowAnswers for one row, or RowRefused(code). Reads only the row:
    what the database knows (forgotten, existing people, blocks, zones) is
    the preview's to check."""
    name = _cell(cells, mapping, "name")
    if not name:
        name = " ".join(
            part for part in (_cell(cells, mapping, "first_name"), _cell(cells, mapping, "last_name")) if part
        )
    name = " ".join(name.split())
    try:
        phone = phone_normalize(_cell(cells, mapping, "phone"))
    except SignupError:
        raise RowRefused("invalid_phone") from None
    email = email_normalize(_cell(cells, mapping, "email"))
    if email and (not _EMAIL.match(email) or len(email) > 254):
        raise RowRefused("invalid_email")
    if not phone and not email:
        raise RowRefused("no_contact")
    if not name:
        raise RowRefused("no_name")
    address = " ".join(_cell(cells, mapping, "address").split())
    zip_code = _cell(cells, mapping, "zip_code")[:10]
    if len(name) > MAX_NAME or len(address) > 200:
        raise RowRefused("too_long")
    if "consent" in mapping:
        consent, consent_at = consent_read(_cell(cells, mapping, "consent"))
    elif "consent_date" in mapping:
        # Only a "consent given on" column: a date in it is the consent.
        consent_at = date_parse(_cell(cells, mapping, "consent_date"))
        consent = consent_at is not None
    else:
        # No consent column: no row says the person agreed.
        consent, consent_at = False, None
    if consent and consent_at is None:
        consent_at = date_parse(_cell(cells, mapping, "consent_date"))
    if not consent and options.get("refuse_without_consent"):
        raise RowRefused("no_consent")
    return RowAnswers(
        name=name,
        phone=phone,
        email=email,
        language=language_read(_cell(cells, mapping, "language"), default=options.get("default_language", "en")),
        address=address,
        zip_code=zip_code,
        consent=consent,
        consent_at=consent_at,
    )
