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


_SPACES = re.compile(r"\s+")
_DIRECTIONS = {"NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W"}
_SUFFIXES = {
    "STREET": "ST", "STR": "ST", "AVENUE": "AVE", "AV": "AVE", "AVN": "AVE",
    "BOULEVARD": "BLVD", "BOUL": "BLVD", "ROAD": "RD", "DRIVE": "DR", "PLACE": "PL",
    "LANE": "LN", "TERRACE": "TER", "COURT": "CT", "SQUARE": "SQ", "PARKWAY": "PKWY",
}


def normalize_street(street):
    """Write a street name as the City's centerline does: "S. 9th Street" ->
    "S 9TH ST", "washington avenue" -> "WASHINGTON AVE".

    Only spelling is touched (case, dots, spaces, a leading direction and a
    trailing suffix spelled out); matching nicknames and ordinal words is the
    address resolver's job.
    """
    words = _SPACES.sub(" ", (street or "").replace(".", " ").replace(",", " ")).strip().upper().split(" ")
    words = [w for w in words if w]
    # A leading direction needs a name and a suffix after it: "South Broad
    # St" is S BROAD ST, but "South St" is a street named South.
    if len(words) > 2 and words[0] in _DIRECTIONS:
        words[0] = _DIRECTIONS[words[0]]
    if len(words) > 1 and words[-1] in _SUFFIXES:
        words[-1] = _SUFFIXES[words[-1]]
    return " ".join(words)
