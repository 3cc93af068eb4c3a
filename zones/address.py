"""Free-text Philadelphia address -> street and hundred-block.

"1123 S. Ninth Street, Apt 2" -> ResolvedAddress(1123, "S 9TH ST", 1100).

The standardizing is done by the City's own tool, passyunk, which ships the
citywide street centerline and the City's street-name aliases as data. Two
things about it shape this module:

- At import, passyunk.parser asks a public code host for its newest version
  (requests.get, no timeout). Our app must never make that request: it would
  tell a third party we are running and could hang a worker. So we load the
  module's own source with that single top-level call removed (see
  _load_passyunk_parser); nothing else in it changes, and no network code runs.
- It guesses happily for junk (it will turn "asdf" into a street). This module
  decides what counts as found: a house number was given, the street matched
  the centerline, and the number falls on a real centerline segment of that
  hundred. Where several streets could be meant ("1233 25th St", a typo), it
  says which (AddressLookup.candidates) rather than pick one: the forms offer
  them as a choice (zones.services.address_place).

What neighbors add that passyunk does not read (a unit typed first, Spanish
street words) is taken off first, in zones.address_words; docs/addresses.md
has the whole list. resolve_address() and address_lookup() never raise: bad
input is "not found".
"""

import ast
import functools
import importlib
import importlib.util
import logging
import os
import re
import sys
import threading
import unicodedata
import warnings
from dataclasses import dataclass

from zones.address_words import as_typed
from zones.streets import centerline

_PARSER_MODULE = "passyunk.parser"

# Longer than any real street address; a 10 kB paste is not an address and
# would only make the fuzzy matcher slow.
MAX_ADDRESS_LENGTH = 200

# Characters an address can need. Everything else (emoji, accents, control
# characters) becomes a space: passyunk prints street names it cannot fuzzy
# match to stdout when they start outside A-Z, and stdout ends up in logs.
_NOT_ADDRESS_CHARS = re.compile(r"[^A-Za-z0-9 .,#'/&\-]+")


@dataclass(frozen=True)
class ResolvedAddress:
    house_number: int
    street: str  # normalized as the City writes it: "S 9TH ST", "TASKER ST"
    hundred: int  # 1100 for 1123


@dataclass(frozen=True)
class AddressLookup:
    """What an address typed by a neighbor tells us.

    `placed`: the one block it names, or None. `candidates`: when not placed,
    the real hundred-blocks it could mean (same house number), best first, to
    offer as a choice; empty means "not found". `zip_code`: a ZIP typed inside
    the address, "" if none. `north_or_south`: the candidates are one street
    name on both sides of Market St ("1233 25th St"), which the campaign's
    area may decide (zones.services)."""

    placed: ResolvedAddress | None = None
    candidates: tuple = ()
    zip_code: str = ""
    north_or_south: bool = False


NOT_FOUND = AddressLookup()


def resolve_address(text):
    """Return the ResolvedAddress of a free-text Philadelphia street address,
    or None when it does not name exactly one block. Never raises."""
    return address_lookup(text).placed


def address_lookup(text, *, zip_code=""):
    """Read a free-text address as a neighbor types it (unit first, Spanish
    street words, a typo) into an AddressLookup. `zip_code`: one typed in a
    field of its own, which wins over one inside the address. Never raises."""
    if isinstance(text, str) and isinstance(zip_code, str) and len(text) <= MAX_ADDRESS_LENGTH:
        return _lookup_remembered(text, zip_code)
    return _lookup_guarded(text, zip_code)


# The lookup is a pure function of its two strings (passyunk's tables and
# the centerline are data shipped with the package, never the database), and
# its answer is frozen: the same address typed again, a double tap or the
# neighbors of one block, is read once per process. About 1 ms of passyunk
# each time otherwise. A few thousand short entries: well under a megabyte.
@functools.lru_cache(maxsize=4096)
def _lookup_remembered(text, zip_code):
    return _lookup_guarded(text, zip_code)


def address_lookup_forget():
    """Forget the remembered lookups: for benchmarks of the resolver itself."""
    _lookup_remembered.cache_clear()


def _lookup_guarded(text, zip_code):
    try:
        return _lookup(text, zip_code)
    except Exception:  # noqa: BLE001 - a form field must never 500 on odd text
        # Deliberately no exception details: they could echo the address.
        logging.getLogger(__name__).warning("address standardizer failed on one input")
        return NOT_FOUND


def _lookup(text, zip_code):
    if not isinstance(text, str):
        return NOT_FOUND
    cleaned = _clean(text.replace("\u00bd", " 1/2"))
    if not cleaned or not any(ch.isdigit() for ch in cleaned):
        return NOT_FOUND  # no house number, so no block
    typed = as_typed(cleaned)
    if typed is None:
        return NOT_FOUND
    zip_code = zip_code or typed.zip_code
    parsed = _parser().parse(f"{typed.number} {' '.join(typed.street)}")
    if parsed.get("type") != "address":
        return NOT_FOUND
    components = parsed["components"]
    number = components["address"]
    house_number = number.get("low_num")
    if not number.get("isaddr") or not isinstance(house_number, int) or house_number <= 0:
        return NOT_FOUND
    if number.get("addrnum_type") != "N" and not _range_on_one_hundred(number):
        return NOT_FOUND
    street = components["street"]
    name = street.get("name") or ""
    if not name:
        return NOT_FOUND
    hundred = house_number // 100 * 100
    # What passyunk filled in by itself (a direction, a suffix) is a guess;
    # only what the neighbor typed narrows the streets.
    predir = street.get("predir") if typed.direction else None
    suffix = street.get("suffix") if typed.suffix else None
    index = centerline()
    named = index.streets_named(name)
    if named:
        streets = _on_hundred(named, hundred, predir, suffix)
        if not streets and suffix:
            # "Wolf Ave" for Wolf St: the name and the number are right.
            streets = _on_hundred(named, hundred, predir, None)
            if streets:
                return _offer(streets, house_number, zip_code)
        if not streets and street.get("is_centerline_match") and _on_a_centerline_segment(components):
            # passyunk places a number a little past a segment's end (the
            # 1000 block of Moore St has houses but no range of its own).
            streets = [s for s in named if s.full == street.get("full")]
        if len(streets) == 1:
            # One street of that name has this number ("1123 9th St": N 9th
            # St has no 1100 block): the number decides.
            return AddressLookup(placed=_resolved(streets[0], house_number), zip_code=zip_code)
        return _offer(streets, house_number, zip_code)
    # Not a street of the City: offer the real streets spelled closest,
    # never pick one silently.
    streets = []
    for similar in index.similar_names(name):
        streets.extend(_on_hundred(index.streets_named(similar), hundred, predir, None))
    return _offer(streets[:_MOST_CHOICES], house_number, zip_code, fuzzy=True)


# A choice longer than this is no help on a phone.
_MOST_CHOICES = 4


def _on_hundred(streets, hundred, predir, suffix):
    return [
        s for s in streets
        if hundred in s.hundreds and (predir is None or s.predir == predir) and (suffix is None or s.suffix == suffix)
    ]


def _offer(streets, house_number, zip_code, fuzzy=False):
    if not streets:
        return AddressLookup(zip_code=zip_code)
    north_or_south = (
        not fuzzy
        and len(streets) > 1
        and len({(s.name, s.suffix) for s in streets}) == 1
        and {s.predir for s in streets} == {"N", "S"}
    )
    if north_or_south:
        side = _SIDE_OF_MARKET.get(zip_code)
        decided = [s for s in streets if s.predir == side]
        if len(decided) == 1:
            return AddressLookup(placed=_resolved(decided[0], house_number), zip_code=zip_code)
    candidates = tuple(_resolved(s, house_number) for s in streets)
    return AddressLookup(candidates=candidates, zip_code=zip_code, north_or_south=north_or_south)


def _resolved(street, house_number):
    return ResolvedAddress(house_number=house_number, street=street.full, hundred=house_number // 100 * 100)


# North and South numbered streets (and Broad St) meet at Market St. These
# ZIP codes lie wholly on one side; Center City's and University City's
# (19102, 19103, 19104, 19106, 19107) straddle it and decide nothing.
_SIDE_OF_MARKET = {
    **dict.fromkeys(["19112", "19142", "19143", "19145", "19146", "19147", "19148", "19153"], "S"),
    **dict.fromkeys(
        ["19121", "19122", "19123", "19125", "19130", "19131", "19132", "19133", "19134", "19140", "19141",
         "19151"],
        "N",
    ),
}


def _on_a_centerline_segment(components):
    """passyunk found a segment for the number: "A"/"SS…"/"B…" inside a
    segment's range, "RANGE:n" within n of one's end."""
    match = components.get("cl_addr_match") or ""
    return bool(components.get("cl_seg_id")) and not match.startswith("MULTI")


def _range_on_one_hundred(number):
    """Twin houses are often written as a range, "1123-25 S 9th St": fine when
    both ends are on the same hundred-block."""
    high = number.get("high_num_full")
    return (
        "-" in (number.get("addrnum_type") or "")
        and isinstance(high, int)
        and high // 100 == number["low_num"] // 100
    )


def _clean(text):
    text = unicodedata.normalize("NFKD", text)
    text = text.encode("ascii", "ignore").decode("ascii")
    text = _NOT_ADDRESS_CHARS.sub(" ", text)
    text = " ".join(text.split())
    if len(text) > MAX_ADDRESS_LENGTH:
        return ""
    return text


# The parser takes ~0.5 s to load its tables: load once per process, on first use.
_parser_lock = threading.Lock()
_parser_instance = None


def resolver_load():
    """Load the parser's tables now rather than at the first address: gunicorn
    does it once in the master (gunicorn.conf.py), so its workers share them."""
    _parser()
    centerline()


def _parser():
    global _parser_instance
    if _parser_instance is None:
        with _parser_lock:
            if _parser_instance is None:
                module = _load_passyunk_parser()
                _parser_instance = module.PassyunkParser()
    return _parser_instance


class _DropPassyunkNotices(logging.Filter):
    """At import passyunk warns that its private USPS and election files are
    missing; we never use them, so the notice is noise in every log."""

    def __init__(self, package_dir):
        super().__init__()
        self.package_dir = package_dir

    def filter(self, record):
        return not record.pathname.startswith(self.package_dir)


def _load_passyunk_parser():
    """Import passyunk.parser without its version check against the internet.

    We compile the module's own source with the top-level `check_version()`
    statement taken out and execute it as the real `passyunk.parser` module,
    so the relative imports and data-file paths work as usual."""
    if _PARSER_MODULE in sys.modules:
        return sys.modules[_PARSER_MODULE]
    spec = importlib.util.find_spec(_PARSER_MODULE)
    source = spec.loader.get_source(_PARSER_MODULE)
    module = importlib.util.module_from_spec(spec)
    root = logging.getLogger()
    notices = _DropPassyunkNotices(os.path.dirname(spec.origin))
    root.addFilter(notices)
    sys.modules[_PARSER_MODULE] = module
    try:
        with warnings.catch_warnings():
            # Its regexes have invalid escape sequences ("\+"), a SyntaxWarning.
            warnings.simplefilter("ignore")
            tree = ast.parse(source, filename=spec.origin)
            kept = [node for node in tree.body if not _is_version_check(node)]
            if len(kept) != len(tree.body) - 1:
                # A new passyunk moved its version check: refuse to import it
                # rather than risk the request.
                raise ImportError("passyunk.parser: version check not found where expected")
            tree.body = kept
            code = compile(tree, spec.origin, "exec")
            exec(code, module.__dict__)  # noqa: S102
    except BaseException:
        sys.modules.pop(_PARSER_MODULE, None)
        raise
    finally:
        root.removeFilter(notices)
    importlib.import_module("passyunk").parser = module
    # When a street name is not the City's, passyunk swaps in the closest
    # one it knows ("Portr" becomes Porter St) and reports a match: a silent
    # guess, and at 2-3 ms the slowest thing it does. We offer the closest
    # streets as a choice instead (zones.streets), so its guess is turned off.
    sys.modules["passyunk.centerline"].process = _NoGuessing
    return module


class _NoGuessing:
    @staticmethod
    def extract(*args, **kwargs):
        return []


def _is_version_check(node):
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == "check_version"
    )
