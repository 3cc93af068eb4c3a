"""How many SMS segments a text costs: a pure function, no Django.

A text message is sent in segments of 140 bytes. When every character is in
the GSM 03.38 alphabet (GSM-7) a segment holds 160 characters; one character
outside it (á, í, ó, ú, an emoji, curly quotes) turns the whole text into
UCS-2, where a segment holds 70. A text longer than one segment is sent in
parts that each lose room to the header joining them: 153 GSM-7 characters
or 67 UCS-2 units per part. Providers charge per segment, and phones show a
long text late or in pieces, so organizers see the count before sending
(messaging.admin_batch) and the rapid-response alerts are kept short with it.

Spanish mostly fits GSM-7: é, ñ, ü, ¿ and ¡ are in it (so are à, è, ì, ò and
É, Ñ, Ü), but á, í, ó and ú are not. static/js/sms-segments.js counts the same
way in the browser, for the live count under the text boxes.
"""

import math
from dataclasses import dataclass, field

# GSM 03.38 basic character set (one septet each).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each costs two septets (an escape, then the character).
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7 = "GSM-7"
UCS2 = "UCS-2"

SINGLE_SEGMENT = {GSM7: 160, UCS2: 70}
CONCATENATED_SEGMENT = {GSM7: 153, UCS2: 67}


@dataclass(frozen=True)
class SegmentCount:
    encoding: str  # GSM7 or UCS2
    characters: int  # as a person counts them
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    per_segment: int  # room in each segment at this length
    # The characters that made the text UCS-2, each once, in order of appearance.
    non_gsm_characters: tuple = field(default=())

    @property
    def is_unicode(self):
        return self.encoding == UCS2


def _gsm_units(char):
    if char in GSM7_BASIC:
        return 1
    if char in GSM7_EXTENSION:
        return 2
    return None


def _ucs2_units(char):
    # Characters beyond the Basic Multilingual Plane (most emoji) take a
    # surrogate pair: two units.
    return 2 if ord(char) > 0xFFFF else 1


def _count(units_per_char, single, concatenated):
    """(total units, segments): a character never straddles two segments
    (an escaped GSM-7 character or a surrogate pair moves whole to the next
    part, as phones and providers split them)."""
    total = sum(units_per_char)
    if total == 0:
        return 0, 0
    if total <= single:
        return total, 1
    segments, room = 1, concatenated
    for units in units_per_char:
        if units > room:
            segments += 1
            room = concatenated
        room -= units
    return total, segments


def sms_segments(text):
    """The SegmentCount of `text` as it would be sent by SMS."""
    text = text or ""
    gsm = [_gsm_units(char) for char in text]
    if all(units is not None for units in gsm):
        encoding, units_per_char = GSM7, gsm
    else:
        encoding = UCS2
        units_per_char = [_ucs2_units(char) for char in text]
    total, segments = _count(units_per_char, SINGLE_SEGMENT[encoding], CONCATENATED_SEGMENT[encoding])
    non_gsm = tuple(dict.fromkeys(char for char, units in zip(text, gsm) if units is None))
    return SegmentCount(
        encoding=encoding,
        characters=len(text),
        units=total,
        segments=segments,
        per_segment=SINGLE_SEGMENT[encoding] if segments <= 1 else CONCATENATED_SEGMENT[encoding],
        non_gsm_characters=non_gsm,
    )
