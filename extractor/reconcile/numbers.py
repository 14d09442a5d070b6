"""Small readers over TypedValue shared by the checks: numbers, shares, signs, names.

Each returns None where the value does not say what the check needs, so a rule that cannot
evaluate simply does not fire.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from extractor.values import TypedValue

_SIGN_MARKS = re.compile(r"[+\-−–▲▼↑↓]|increase|decrease|gain|loss|steady|positive|negative",
                         re.IGNORECASE)
_DECIMALS = re.compile(r"\d+(?:[.,](\d+))?")
COUNT_KINDS = {"integer", "seats_of", "decimal", "change", "count_list"}


def count(value: TypedValue | None) -> int | None:
    """A whole, non-negative count (seats, votes, members)."""
    if value is None or value.number is None or value.kind not in COUNT_KINDS:
        return None
    if value.number < 0 or not float(value.number).is_integer():
        return None
    return int(value.number)


def previous_count(value: TypedValue | None) -> int | None:
    """Seats at the last election: a count, or 0 for a party that is new."""
    if value is None:
        return None
    if value.kind == "new" or value.text.strip().casefold() == "new":
        return 0
    return count(value)


def share(value: TypedValue | None) -> float | None:
    """A percentage as written (68.11 for 68.11%)."""
    if value is None or value.number is None:
        return None
    if value.kind in ("percent", "decimal", "integer", "pp"):
        return float(value.number)
    return None


def signed(value: TypedValue | None) -> float | None:
    """A change or swing, with its sign where it has one."""
    if value is None or value.number is None:
        return None
    if value.kind in ("change", "pp", "integer", "decimal", "percent"):
        return float(value.number)
    return None


def unsigned(value: TypedValue | None) -> bool:
    """The value was written without a sign (lost in rendering, or never given)."""
    if value is None or value.number is None:
        return False
    if "unsigned" in value.flags:
        return True
    return value.number > 0 and not _SIGN_MARKS.search(value.raw)


def half_unit(value: TypedValue | None) -> float:
    """Half a unit of the last decimal written: 68.11 -> 0.005, 7 -> 0.5."""
    if value is None:
        return 0.5
    digits = _DECIMALS.findall(value.text or value.raw)
    if not digits:
        return 0.5
    return 0.5 * 10 ** -len(digits[-1])


@lru_cache(maxsize=8192)
def norm_name(text: str | None) -> str:
    """A name for matching: accents and case folded, punctuation to spaces, no leading 'the'."""
    if not text:
        return ""
    folded = fold(text)
    words = re.sub(r"[^\w]+", " ", folded).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def fold(text: str) -> str:
    """Case and accents folded, one character for one character (positions are kept)."""
    if text.isascii():
        return text.lower()  # one character for one: ASCII lowercase keeps the length
    out = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)[:1] or ch
        low = base.lower()
        out.append(low if len(low) == 1 else base)
    return "".join(out)


def fmt(number: float | None) -> str:
    """A number for a message: integers without a trailing .0, shares to two decimals."""
    if number is None:
        return "?"
    if float(number).is_integer():
        return str(int(number))
    return f"{number:.2f}".rstrip("0").rstrip(".")
