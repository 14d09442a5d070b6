"""Canonical infobox keys: one spelling for every way a parameter name is written.

`canonical_key(raw) -> (key, index)`:

- Case, spaces, hyphens, underscores and other punctuation do not matter:
  `Popular Vote1`, `popular_vote1`, `popular vote 1` and `Popular-Vote 1` are all
  `("popular_vote", 1)`.
- The series index is the first run of digits that is not at the start of the key and not part of
  a unit token (`km2`, `mi2`, `m3`, `iso3166`): `Structure1 Res` -> `("structure_res", 1)`,
  `Leader1 Type` -> `("leader_type", 1)`, `Image2` -> `("image", 2)`. The digits are removed and the
  pieces on either side are joined with `_`; later digit runs stay in the name
  (`blank1_name_sec2` -> `("blank_name_sec2", 1)`).
- A key that *starts* with digits keeps them as part of its name, because a leading number is a
  name, not a position in a series: `1data1` -> `("1data", 1)`, `2nd_term` -> `("2nd_term", None)`,
  and a purely positional template parameter `1` -> `("1", None)`.
- Letters of every script are kept, lower-cased (`País` -> `país`, `Дата` -> `дата`); combining
  marks stay attached (Unicode NFKC first, so `km²` is `km2` and composed/decomposed accents agree).
- camelCase is not split (`WaterArea` -> `waterarea`): both parse paths see the same spelling, so
  they agree without guessing word boundaries.

A table header that is only a symbol is named: `%` -> `percent`; `±`, `+/−`, `Δ` -> `change`;
`#`, `№`, `No.` -> `number`. Any other empty or all-punctuation key gives `("", None)`.

Results are cached: the function is called for every field of every infobox, and real dumps use a
few thousand distinct spellings.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Digit runs that belong to a word and are never a series index.
_UNIT_TOKENS = re.compile(
    r"(?:km|mi|(?:^|_)(?:m|ft|sq_mi|sq_km))[23]$|iso_?3166$|iso_?639$|utf_?8$"
)
_DIGITS = re.compile(r"\d+")
# A unit word and its power written apart (`area km 2`, `M 2`): joined, as separators do not
# matter (`M 2` and `m2` are one key, `m2`, not the series `m` number 2).
_UNIT_GAP = re.compile(r"(km|mi|(?:^|_)(?:m|ft|sq_mi|sq_km))_([23])(?=_|$)")


def _is_word_char(ch: str) -> bool:
    # Letters, marks (so Devanagari vowel signs and combining accents survive) and digits.
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"


_ASCII_WORD = re.compile(r"[a-z0-9]+")


def _words(raw: str) -> str:
    """Lower-cased key with every run of non-word characters collapsed to one `_`."""
    if raw.isascii():  # NFKC keeps ASCII as it is, and its word characters are [a-z0-9]
        return "_".join(_ASCII_WORD.findall(raw.lower()))
    return _unicode_words(raw)


def _unicode_words(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).lower()
    out: list[str] = []
    pending_sep = False
    for ch in text:
        if _is_word_char(ch):
            if pending_sep and out:
                out.append("_")
            out.append(ch)
            pending_sep = False
        else:
            pending_sep = True
    return "".join(out)


def _series_digits(name: str) -> re.Match[str] | None:
    """The first digit run that is a series index, or None."""
    for match in _DIGITS.finditer(name):
        if match.start() == 0:
            continue  # a leading number is part of the name
        if not match.group().isascii():
            continue  # NFKC already folded styled digits; others are script numerals in names
        if _UNIT_TOKENS.search(name[: match.end()]):
            continue
        return match
    return None


# Table headers that are only a symbol: named, so value typing gets their meaning as context.
_SYMBOLS = {
    "%": "percent", "±": "change", "+/-": "change", "+/−": "change", "+−": "change",
    "-/+": "change", "δ": "change", "#": "number", "№": "number", "no.": "number",
}  # fmt: skip


# Most keys of a dump are already canonical: lower-case ASCII words joined by single "_" (no
# digit, no symbol): they are their own key.
_CANONICAL = re.compile(r"[a-z]+(?:_[a-z]+)*")


@lru_cache(maxsize=65536)
def canonical_key(raw: str) -> tuple[str, int | None]:
    """`Popular Vote1` -> ("popular_vote", 1); `Structure1 Res` -> ("structure_res", 1)."""
    if _CANONICAL.fullmatch(raw):
        return raw, None
    symbol = _SYMBOLS.get("".join(raw.split()).lower())
    if symbol is not None:
        return symbol, None
    name = _words(raw)
    if "_" in name:
        name = _UNIT_GAP.sub(r"\1\2", name)
    match = _series_digits(name)
    if match is None:
        return name, None
    left = name[: match.start()].rstrip("_")
    right = name[match.end() :].lstrip("_")
    joined = f"{left}_{right}" if left and right else left or right
    return joined, int(match.group())
