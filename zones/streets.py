"""Street names as Philadelphians read them."""

import re

_ORDINAL = re.compile(r"^(\d+)(ST|ND|RD|TH)$")


def display_street(street):
    """"S 9TH ST" -> "S 9th St"; "WASHINGTON AVE" -> "Washington Ave"."""
    words = []
    for word in (street or "").split():
        match = _ORDINAL.match(word)
        if match:
            words.append(match.group(1) + match.group(2).lower())
        elif len(word) == 1:
            words.append(word)  # direction: N, S, E, W
        else:
            words.append(word.capitalize())
    return " ".join(words)
