"""Atoms of value typing: reading one written number, one written date, and what a key implies.

Kept apart from `values.py` (which decides what a whole value is) so each stays small. Nothing
here raises on bad input: readers return None or a status.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

# ---------------------------------------------------------------- numbers

# One written number, loosely: digits with group/decimal separators between digit runs. The
# strict reading (which separator is which) is `read_number`.
NUM = r"\d+(?:[,.' ’]\d+)*"

OK, AMBIGUOUS, BAD = "ok", "ambiguous", "bad"
_GROUP_SEPS = " '’"


def _valid_groups(head: str, groups: list[str]) -> bool:
    """`1,234,567` style grouping: a head of 1-3 digits (no leading zero), then groups of 3."""
    if not 1 <= len(head) <= 3 or (head.startswith("0") and len(head) > 1) or head == "0":
        return False
    return all(len(g) == 3 for g in groups)


def _valid_indian_groups(head: str, groups: list[str]) -> bool:
    """`12,34,567` (lakh/crore grouping): head 1-2 digits, groups of 2, a last group of 3."""
    if not 1 <= len(head) <= 2 or head.startswith("0") or len(groups) < 2:
        return False
    return len(groups[-1]) == 3 and all(len(g) == 2 for g in groups[:-1])


def _integer_part(part: str, sep: str | None) -> int | None:
    if sep is None:
        return int(part)
    head, *groups = part.split(sep)
    if _valid_groups(head, groups) or (sep == "," and _valid_indian_groups(head, groups)):
        return int(part.replace(sep, ""))
    return None


def _one_separator(token: str, sep: str, dot_is_decimal: bool) -> tuple[str, float | None, int]:
    count = token.count(sep)
    head, _, tail = token.partition(sep)
    if count > 1 or sep in _GROUP_SEPS:
        value = _integer_part(token, sep)
        return (OK, float(value), 0) if value is not None else (BAD, None, 0)
    # A single comma or dot: thousands separator or decimal mark?
    looks_grouped = len(tail) == 3 and 1 <= len(head) <= 3 and not head.startswith("0")
    if sep == "," and looks_grouped:
        return OK, float(head + tail), 0  # English thousands, the corpus's dominant form
    if sep == "." and looks_grouped and not dot_is_decimal:
        return AMBIGUOUS, None, 0  # 1.234: a thousand and some, or one and a bit? Not guessed.
    return OK, float(f"{head}.{tail}"), len(tail)


def _two_separators(token: str, group: str, mark: str) -> tuple[str, float | None, int]:
    whole, _, frac = token.rpartition(mark)
    if mark not in ",." or group == mark or mark in whole or group in frac:
        return BAD, None, 0
    value = _integer_part(whole, group)
    if value is None:
        return BAD, None, 0
    return OK, float(f"{value}.{frac}"), len(frac)


@lru_cache(maxsize=16384)
def read_number(token: str, dot_is_decimal: bool = False) -> tuple[str, float | None, int]:
    """(status, value, decimals) for one unsigned written number.

    `218,003` -> 218003; `1 234,5` / `1.234,5` / `1,234.5` -> 1234.5; `1.234.567` -> 1234567;
    `12,34,567` -> 1234567; `14,6` -> 14.6; `1.234` -> ambiguous (unless `dot_is_decimal`, used
    for percentages, where a thousands reading is absurd). `decimals` counts written decimals.
    """
    seps = [ch for ch in dict.fromkeys(token) if not ch.isdigit()]
    if not seps:
        return OK, float(token), 0
    if len(seps) == 1:
        return _one_separator(token, seps[0], dot_is_decimal)
    if len(seps) == 2:
        return _two_separators(token, seps[0], seps[1])
    return BAD, None, 0


# ---------------------------------------------------------------- dates

_MONTH_NAMES = {
    "en": "january february march april may june july august september october november december",
    "en_abbr": "jan feb mar apr may jun jul aug sep oct nov dec",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
    "dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
    "dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "ru": "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "ru_gen": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
}
MONTHS: dict[str, int] = {
    name: number
    for names in _MONTH_NAMES.values()
    for number, name in enumerate(names.split(), start=1)
}
MONTHS.update({"sept": 9, "jänner": 1, "setiembre": 9})

_WORD = r"([^\W\d_]+)\.?"
_YEAR_TAIL = r"(?:\s*(?:г\.|года|год|年))?"
_DATE_FORMS = (
    # 10 January 2021, 10. Januar 2021, 1er janvier 2021, 10 de enero de 2021, 10 января 2021 г.
    (
        "dmy",
        re.compile(
            rf"(\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?{_WORD},?\s+(?:de\s+)?"
            rf"(\d{{4}}){_YEAR_TAIL}"
        ),
    ),
    (
        "mdy",
        re.compile(rf"{_WORD}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})"),
    ),  # January 10, 2021
    ("my", re.compile(rf"{_WORD},?\s+(?:de\s+)?(\d{{4}}){_YEAR_TAIL}")),  # March 2023
    ("iso", re.compile(r"(\d{4})-(\d{2})-(\d{2})")),  # 2021-01-10
    ("numeric", re.compile(r"(\d{1,2})([./])(\d{1,2})\2(\d{4})")),  # 10.01.2021, 10/01/2021
    ("circa", re.compile(r"(?:c\.|ca\.|circa|c)\s*(\d{3,4})")),  # c. 1990
)


def iso_date(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """ISO text at the precision given, or None when the calendar says no (31 February)."""
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    if day is not None:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if month is not None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}"


def _numeric_date(a: str, sep: str, b: str, year: str) -> tuple[str | None, str, list[str]]:
    first, second = int(a), int(b)
    if sep == ".":  # 10.01.2021 is day-first wherever it is written
        day, month = first, second
    elif first > 12 >= second:
        day, month = first, second
    elif second > 12 >= first:
        day, month = second, first
    elif first == second:
        day = month = first
    else:
        return None, "day", ["ambiguous_date"]
    iso = iso_date(int(year), month, day)
    return iso, "day", [] if iso else ["invalid_date"]


@lru_cache(maxsize=16384)
def read_date(text: str) -> tuple[str | None, str | None, tuple[str, ...]]:
    """(iso, precision, flags) for a written date; (None, None, ()) when it is not one.

    A form that matches but names no real day gives (None, precision, ("invalid_date",));
    `10/11/2021` (day or month first?) gives (None, "day", ("ambiguous_date",)).
    """
    for form, pattern in _DATE_FORMS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        groups = match.groups()
        month: int | None
        day: int | None
        if form == "numeric":
            iso, precision, flags = _numeric_date(*groups)
            return iso, precision, tuple(flags)
        if form == "circa":
            return iso_date(int(groups[0])), "year", ("circa",)
        if form == "iso":
            year, month, day = map(int, groups)
        elif form == "dmy":
            day, month, year = int(groups[0]), MONTHS.get(groups[1].lower()), int(groups[2])
        elif form == "mdy":
            month, day, year = MONTHS.get(groups[0].lower()), int(groups[1]), int(groups[2])
        else:  # my
            month, day, year = MONTHS.get(groups[0].lower()), None, int(groups[1])
        if month is None:
            continue  # a word that is not a month: `Article 2021`
        precision = "day" if day is not None else "month"
        iso = iso_date(year, month, day)
        return iso, precision, () if iso else ("invalid_date",)
    return None, None, ()


# ---------------------------------------------------------------- what a key implies
# Each predicate is cached on its own: they are asked several times for every value.

_IMAGE_WORDS = frozenset(
    "image img pic picture photo logo flag coa seal emblem map res size width upright structure "
    "diagram insignia signature symbol banner icon".split()
)
_COLOUR_WORDS = frozenset("colour color bgcolor colour_code farbe couleur".split())
_CHANGE_WORDS = frozenset("swing change gain gains loss losses diff difference delta".split())
_COUNT_WORDS = frozenset(
    "seats votes vote members count number population total majority percentage turnout "
    "size".split()
)
_DATE_WORDS = frozenset(
    "date year since founded foundation established formation formed start end began ended born "
    "birth died death opened closed released dissolved elected election inception built "
    "completed jahr année año ano anno datum fecha дата год".split()
)
_IDENTIFIER_WORDS = frozenset(
    "code codes calling isbn issn oclc pmid pmc doi zip postcode postal phone telephone fax lccn "
    "bibcode jstor arxiv id plate".split()
)
_GROUP_WORDS = frozenset("groups group parties party composition seats political".split())


def key_words(key: str | None) -> frozenset[str]:
    if not key:
        return frozenset()
    return frozenset(key.split("_"))


@lru_cache(maxsize=8192)
def is_image_key(key: str | None) -> bool:
    return bool(key_words(key) & _IMAGE_WORDS) or bool(key and key.endswith("_res"))


@lru_cache(maxsize=8192)
def is_colour_key(key: str | None) -> bool:
    return bool(key_words(key) & _COLOUR_WORDS)


@lru_cache(maxsize=8192)
def is_change_key(key: str | None) -> bool:
    return bool(key_words(key) & _CHANGE_WORDS)


@lru_cache(maxsize=8192)
def is_year_key(key: str | None) -> bool:
    """A key whose bare four-digit value is a year: `next_election`, `previous_year`."""
    if not key:
        return False
    if key.rsplit("_", 1)[-1] in _DATE_WORDS or key.endswith("as_of"):
        return True  # `population_estimate_year`, `bevolking_as_of`: the last word decides
    words = key_words(key)
    return bool(words & _DATE_WORDS) and not words & _COUNT_WORDS


@lru_cache(maxsize=8192)
def is_group_key(key: str | None) -> bool:
    return bool(key_words(key) & _GROUP_WORDS)


@lru_cache(maxsize=8192)
def is_identifier_key(key: str | None) -> bool:
    """A key holding a code or catalogue number (`calling_code`, `oclc`): never a quantity."""
    return bool(key_words(key) & _IDENTIFIER_WORDS)
