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
  hundred.

resolve_address() never raises: bad input is "not found" (None).
"""

import ast
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


def resolve_address(text):
    """Return the ResolvedAddress of a free-text Philadelphia street address,
    or None when it is not one we can place on a block. Never raises."""
    try:
        return _resolve(text)
    except Exception:  # noqa: BLE001 - a form field must never 500 on odd text
        # Deliberately no exception details: they could echo the address.
        logging.getLogger(__name__).warning("address standardizer failed on one input")
        return None


def _resolve(text):
    if not isinstance(text, str):
        return None
    cleaned = _clean(text)
    if not cleaned or not any(ch.isdigit() for ch in cleaned):
        return None  # no house number, so no block
    parsed = _parser().parse(cleaned)
    if parsed.get("type") != "address":
        return None
    components = parsed["components"]
    number = components["address"]
    street = components["street"]
    house_number = number.get("low_num")
    if not number.get("isaddr") or not isinstance(house_number, int) or house_number <= 0:
        return None
    if number.get("addrnum_type") != "N" and not _range_on_one_hundred(number):
        return None
    full_street = (street.get("full") or "").strip()
    if not full_street or not street.get("is_centerline_match") or not street.get("street_code"):
        return None
    hundred = house_number // 100 * 100
    if not _on_a_centerline_segment(components, hundred):
        return None
    return ResolvedAddress(house_number=house_number, street=full_street, hundred=hundred)


def _range_on_one_hundred(number):
    """Twin houses are often written as a range, "1123-25 S 9th St": fine when
    both ends are on the same hundred-block."""
    high = number.get("high_num_full")
    return (
        "-" in (number.get("addrnum_type") or "")
        and isinstance(high, int)
        and high // 100 == number["low_num"] // 100
    )


def _on_a_centerline_segment(components, hundred):
    """The number has to fall on a segment of the street, so "99999 Tasker St"
    is not found. passyunk reports "A"/"SS…"/"B…" for a number inside a
    segment's range, and "RANGE:n" (with the nearest real number) for one just
    past a segment's end: we accept that only when the nearest real number is
    on the same hundred, i.e. the hundred-block exists."""
    if not components.get("cl_seg_id"):
        return False
    match = components.get("cl_addr_match") or ""
    if match.startswith("RANGE:"):
        nearest = str(components["address"].get("full") or "")
        return nearest.isdigit() and int(nearest) // 100 * 100 == hundred
    return True


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
    return module


def _is_version_check(node):
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == "check_version"
    )
