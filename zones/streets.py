"""Street names as Philadelphians read them, and as the City's centerline has them."""

import csv
import importlib.util
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

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


# The City's street centerline as passyunk ships it, indexed for the address
# resolver: which streets carry a name, and which hundred-blocks each street
# really has. Read once per process (~40,000 segments, a few tenths of a
# second), like the parser's own tables.
@dataclass(frozen=True)
class CenterlineStreet:
    full: str  # "S 9TH ST"
    predir: str  # "S", or ""
    name: str  # "9TH"
    suffix: str  # "ST", or ""
    hundreds: frozenset  # {100, 200, ... 2600}


class Centerline:
    def __init__(self, rows):
        hundreds = {}
        parts = {}
        for row in rows:
            full = " ".join(p for p in (row["PRE_DIR"], row["ST_NAME"], row["ST_TYPE"], row["POST_DIR"]) if p)
            parts[full] = (row["PRE_DIR"], row["ST_NAME"], row["ST_TYPE"])
            found = hundreds.setdefault(full, set())
            for low, high in ((row["L_F_ADD"], row["L_T_ADD"]), (row["R_F_ADD"], row["R_T_ADD"])):
                low, high = _number(low), _number(high)
                if low <= 0 or high <= 0:
                    continue  # "0 to 0": that side has no addresses
                low, high = min(low, high), max(low, high)
                found.update(range(low // 100 * 100, high // 100 * 100 + 1, 100))
        self.by_name = {}
        for full, (predir, name, suffix) in parts.items():
            street = CenterlineStreet(full, predir, name, suffix, frozenset(hundreds[full]))
            self.by_name.setdefault(name, []).append(street)
        # Fuzzy matching compares a typed name with names of the same first
        # letter (as passyunk does): a typo rarely hits the first letter, and
        # it makes each comparison a few hundred names, not thousands.
        self.names_by_letter = {}
        for name in sorted(self.by_name):
            if name[:1].isalpha():
                self.names_by_letter.setdefault(name[0], []).append(name)

    def streets_named(self, name):
        return self.by_name.get(name, [])

    def similar_names(self, name, *, limit=4):
        """Real street names spelled like `name`, best first: "LOMBRADD" ->
        ["LOMBARD"]. Only close spellings (a letter or two off), so junk
        gets nothing."""
        candidates = self.names_by_letter.get(name[:1], [])
        matches = process.extract(
            name, candidates, scorer=fuzz.ratio, limit=limit, score_cutoff=_FUZZY_CUTOFF
        )
        return [match for match, _score, _index in matches if abs(len(match) - len(name)) <= 3]


# 78 keeps "LOMBRADD"→LOMBARD (80), "RITNRE"→RITNER (83), "PORTR"→PORTER
# (91) and leaves out names that merely share letters.
_FUZZY_CUTOFF = 78


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


_centerline_lock = threading.Lock()
_centerline = None


def centerline():
    """The Centerline index of passyunk's centerline.csv, loaded once."""
    global _centerline
    if _centerline is None:
        with _centerline_lock:
            if _centerline is None:
                spec = importlib.util.find_spec("passyunk")
                path = Path(spec.submodule_search_locations[0]) / "pdata" / "centerline.csv"
                with path.open(newline="", encoding="utf-8") as handle:
                    _centerline = Centerline(csv.DictReader(handle))
    return _centerline
