"""An address as a neighbor types it, rewritten in the words passyunk reads.

Neighbors put the apartment first ("Apt 2, 1712 Carpenter St"), write the
street in Spanish ("1123 Calle Novena Sur", "Avenida Washington"), add a
letter to the house number ("1417B") or the city and ZIP at the end.
passyunk reads US postal English with the unit after the street; this module
takes the rest off or translates it, so that the parser sees
"1712 CARPENTER ST". It decides nothing about streets: zones.address does,
against the centerline.
"""

import re
from dataclasses import dataclass

# A ZIP after the house number, with or without its +4.
_ZIP = re.compile(r"(?<=\s)(\d{5})(?:-\d{4})?(?=\s|,|$)")

_UNIT_WORDS = (
    "APT|APPT|APARTMENT|APTO|APARTAMENTO|UNIT|UNIDAD|STE|SUITE|DEPTO|DPTO|DEPT|DEPARTAMENTO|CASA|RM|ROOM"
)
_FLOOR_WORDS = "FL|FLR|FLOOR|PISO|PLANTA"
_FLOOR_NUMBERS = (
    r"\d{1,2}(?:ST|ND|RD|TH|DO|RO|ER|TO|MO|VO|NO)?|1ER|PRIMER|PRIMERO|SEGUNDO|TERCER|TERCERO|CUARTO|QUINTO"
    "|FIRST|SECOND|THIRD|FOURTH"
)
# A unit identifier is short: "2", "2R", "B", "3B". Longer would be the
# house number of an address typed unit first ("Apt 2 1712 Carpenter St").
_UNIT_ID = r"(?:[A-Z]?\d{1,4}[A-Z]?|[A-Z])"
_UNITS = [
    re.compile(rf"\b(?:{_UNIT_WORDS})\b\s*#?\s*(?:{_UNIT_ID}\b)?"),
    re.compile(r"#\s*[A-Z0-9-]{1,6}"),
    re.compile(rf"\b(?:{_FLOOR_NUMBERS})\s*(?:{_FLOOR_WORDS})\b"),
    re.compile(rf"\b(?:{_FLOOR_WORDS})\b\s*(?:\d{{1,2}}\b)?"),
    re.compile(r"\b(?:REAR|BSMT|BASEMENT|SOTANO|ATRAS|UPSTAIRS|DOWNSTAIRS|ARRIBA|ABAJO)\b"),
]
# Where the city and state go; "FILADELFIA" and "PENSILVANIA" in Spanish.
_PLACE_WORDS = {"PHILADELPHIA", "PHILA", "PHILLY", "PHL", "FILADELFIA", "PA", "PENNSYLVANIA", "PENSILVANIA",
                "USA", "EEUU"}

DIRECTIONS = {"N", "S", "E", "W", "NORTH", "SOUTH", "EAST", "WEST"}
_SPANISH_DIRECTIONS = {"SUR": "S", "NORTE": "N", "ESTE": "E", "OESTE": "W"}
SUFFIXES = {
    "ST", "STREET", "STR", "STRT", "AVE", "AVENUE", "AV", "AVN", "AVENU", "BLVD", "BOULEVARD", "BOUL", "RD",
    "ROAD", "DR", "DRIVE", "PL", "PLACE", "LN", "LANE", "TER", "TERR", "TERRACE", "CT", "COURT", "SQ", "SQUARE",
    "WAY", "PKWY", "PARKWAY", "ALY", "ALLEY", "CIR", "CIRCLE", "WALK", "MEWS", "ROW", "HWY", "PIKE",
}
# Spanish street words before the name: "Calle Tasker" is Tasker St,
# "Avenida Washington" Washington Ave.
_SPANISH_TYPES = {"CALLE": None, "C/": None, "AVENIDA": "AVE", "AVDA": "AVE", "BULEVAR": "BLVD"}
# Philadelphians' own short names.
_NICKNAMES = {"WASH": "WASHINGTON"}

_ORDINAL_UNITS = {
    "PRIMER": 1, "PRIMERA": 1, "PRIMERO": 1, "SEGUNDA": 2, "SEGUNDO": 2, "TERCER": 3, "TERCERA": 3,
    "TERCERO": 3, "CUARTA": 4, "CUARTO": 4, "QUINTA": 5, "QUINTO": 5, "SEXTA": 6, "SEXTO": 6,
    "SEPTIMA": 7, "SEPTIMO": 7, "SETIMA": 7, "SETIMO": 7, "OCTAVA": 8, "OCTAVO": 8, "NOVENA": 9, "NOVENO": 9,
}
_ORDINAL_TENS = {"DECIMA": 10, "DECIMO": 10, "VIGESIMA": 20, "VIGESIMO": 20}
_ORDINAL_WHOLE = {"UNDECIMA": 11, "UNDECIMO": 11, "DUODECIMA": 12, "DUODECIMO": 12}
_ENDINGS = {1: "ST", 2: "ND", 3: "RD"}
_HOUSE_NUMBER = re.compile(r"^(\d+)(?:-?[A-Z])?$|^(\d+-\d+)$")


@dataclass(frozen=True)
class TypedAddress:
    number: str  # "1712", or a range "1123-25"
    street: tuple  # ("S", "9TH", "ST")
    zip_code: str  # "" when none was typed
    direction: bool  # a direction was typed (not inferred by the parser)
    suffix: bool  # a street type was typed


def as_typed(cleaned):
    """The TypedAddress in ASCII text `cleaned` (zones.address._clean), or
    None when it does not start, once the unit is off, with a house number
    followed by a street."""
    text = cleaned.upper().replace(".", " ")
    zip_code = ""
    zips = _ZIP.findall(text)
    if zips:
        zip_code = zips[-1]
        text = _ZIP.sub(" ", text)
    for unit in _UNITS:
        text = unit.sub(" ", text)
    words = [w for w in text.replace(",", " ").split() if w not in _PLACE_WORDS and w != "&"]
    if len(words) < 2:
        return None
    number = _house_number(words[0])
    if number is None:
        return None
    words = words[1:]
    if words[0] == "1/2":
        words = words[1:]
    street = _street_words(words)
    if not street:
        return None
    return TypedAddress(
        number=number,
        street=tuple(street),
        zip_code=zip_code,
        # "S 9th", "South Broad St"; but "South St" is a street named South.
        direction=street[0] in DIRECTIONS and any(w not in SUFFIXES for w in street[1:]),
        suffix=len(street) > 1 and street[-1] in SUFFIXES,
    )


def _house_number(word):
    match = _HOUSE_NUMBER.match(word)
    if match is None:
        return None
    # "1417B", "1520-A": the letter is a house split in two; same block.
    return match.group(1) or match.group(2)


def _street_words(words):
    suffix = None
    if words and words[0] in _SPANISH_TYPES and len(words) > 1:
        suffix = _SPANISH_TYPES[words[0]]
        words = words[1:]
    direction = None
    street = []
    i = 0
    while i < len(words):
        word = _NICKNAMES.get(words[i], words[i])
        if word in _SPANISH_DIRECTIONS:
            # "Novena Sur", "9 Sur": Spanish puts the direction after.
            direction = direction or _SPANISH_DIRECTIONS[word]
            i += 1
            continue
        value, used = _spanish_ordinal(words, i)
        if value:
            street.append(_ordinal(value))
            i += used
            continue
        if word.isdigit() and not street and len(word) <= 3 and int(word) > 0:
            # "Calle 9 Sur": a numbered street written as a bare number.
            word = _ordinal(int(word))
        if street and word in SUFFIXES and _names(street):
            # The street ends at its type; what follows is a city, a state
            # or anything else ("1123 Main St, New York, NY").
            street.append(word)
            suffix = None
            break
        street.append(word)
        i += 1
    if direction and not (street and street[0] in DIRECTIONS):
        street.insert(0, direction)
    if suffix and _names(street):
        street.append(suffix)
    return street


def _names(street):
    """Whether `street` holds a name, not only a direction."""
    return any(word not in DIRECTIONS for word in street)


def _spanish_ordinal(words, i):
    """(value, words used) of a Spanish ordinal at words[i]: "NOVENA" (9),
    "DECIMA NOVENA" or "DECIMONOVENA" (19), "VIGESIMA" (20); (0, 0) if none."""
    word = words[i]
    if word in _ORDINAL_UNITS:
        return _ORDINAL_UNITS[word], 1
    if word in _ORDINAL_WHOLE:
        return _ORDINAL_WHOLE[word], 1
    if word in _ORDINAL_TENS:
        tens = _ORDINAL_TENS[word]
        if i + 1 < len(words) and words[i + 1] in _ORDINAL_UNITS:
            return tens + _ORDINAL_UNITS[words[i + 1]], 2
        return tens, 1
    for tens_word, tens in _ORDINAL_TENS.items():
        rest = word[len(tens_word) - 1:] if word.startswith(tens_word[:-1]) else ""
        # "DECIMONOVENA": the tens word loses its last vowel when joined.
        if rest and rest[0] in "AO" and rest[1:] in _ORDINAL_UNITS:
            return tens + _ORDINAL_UNITS[rest[1:]], 1
    return 0, 0


def _ordinal(value):
    if 10 <= value % 100 <= 20:
        return f"{value}TH"
    return f"{value}{_ENDINGS.get(value % 10, 'TH')}"
