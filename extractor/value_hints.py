"""Typing a whole field: cleaning, the forms of `value_rules`, then what template rendering
learned (hints: a sign, a date, a unit, list items, a colour, removed notes). `type_value` is the
uncached body of `extractor.values.parse_value`."""

from __future__ import annotations

import json
import re

from extractor import value_atoms as atoms
from extractor.value_rules import (
    COLOUR_NAME,
    DIGIT,
    DOWN,
    HEX,
    MARKUP_HINT,
    SIGN_CHARS,
    Val,
    core,
    count_item,
    looks_like_year,
    make,
    normalise,
    strip_markup,
    strip_residue,
    typed_item,
    wordy,
)

_ISO_HINT = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_PRECISIONS = ("year", "month", "day")


def _apply_date_hint(value: Val, hints: dict[str, str]) -> Val:
    match = _ISO_HINT.fullmatch(hints["date"].strip())
    parts = [int(g) for g in match.groups() if g is not None] if match else []
    if not parts or atoms.iso_date(*parts) is None:
        value.flags.append("bad_hint")
        return value
    written = _PRECISIONS[len(parts) - 1]
    precision = hints.get("date_precision", written)
    if precision not in _PRECISIONS or _PRECISIONS.index(precision) > len(parts) - 1:
        precision = written  # a finer precision than the date carries: trust the date
    iso = atoms.iso_date(*parts[: _PRECISIONS.index(precision) + 1])
    return make(
        value.raw,
        value.text,
        "date",
        date=iso,
        date_precision=precision,
        flags=[f for f in value.flags if f != "untyped"] + ["date_from_template"],
    )


def _apply_list_hint(value: Val, hints: dict[str, str], key: str | None) -> Val:
    try:
        items = [normalise(str(item)) for item in json.loads(hints["list"])]
    except (ValueError, TypeError):
        value.flags.append("bad_hint")
        return value
    items = [item for item in items if item]
    if not items:
        return value  # an empty {{ubl}} adds nothing
    counts = []
    for item in items:  # most lists are of names: the first one ends the search
        count = count_item(item, item)
        if count is None:
            break
        counts.append(count)
    flags = [f for f in value.flags if f != "untyped"] + ["list_from_template"]
    if len(counts) == len(items):  # every item is a count
        return make(value.raw, value.text, "count_list", parts=counts, flags=flags)
    return make(
        value.raw, value.text, "list", parts=[typed_item(i, key) for i in items], flags=flags
    )


def _apply_sign_hint(value: Val, sign: str, key: str | None, written: str) -> None:
    if sign not in ("+", "-", "0"):
        value.flags.append("bad_hint")
        return
    applies = value.kind in ("pp", "change") or (
        atoms.is_change_key(key) and value.kind in ("integer", "decimal", "percent")
    )
    if value.number is None and value.kind == "empty" and sign == "0":
        value.kind, value.number, value.decimals = "change", 0.0, 0
        applies = True
    if not applies or value.number is None:
        value.flags.append({"+": "trend_up", "-": "trend_down", "0": "trend_steady"}[sign])
        return
    if written and sign != "0" and (written in DOWN) != (sign == "-"):
        value.flags.append("sign_conflict")
        return
    if sign == "-":
        value.number = -abs(value.number)
    elif sign == "+":
        value.number = abs(value.number)
    if value.kind in ("integer", "decimal"):
        value.kind = "change"
    value.flags.append("sign_from_template")


def _needs_sign(value: Val, key: str | None) -> bool:
    if "sign_from_template" in value.flags:
        return False
    return value.kind in ("pp", "change") or (atoms.is_change_key(key) and value.kind == "percent")


def _core_with_unit(raw: str, text: str, key: str | None, unit: str | None) -> Val | None:
    """`12 sqmi` with a {{convert}} unit hint `sqmi`: the number before the unit, with the unit."""
    if not unit or len(text) <= len(unit) or not text.lower().endswith(unit.lower()):
        return None
    value = core(raw, text[: -len(unit)].rstrip(), key)
    if value.number is None or value.kind not in ("integer", "decimal"):
        return None
    value.text, value.unit = text, unit
    value.flags.append("unit_from_template")
    return value


def _apply_colour_hint(value: Val, colour: str, key: str | None) -> Val:
    match = HEX.fullmatch(colour.strip())
    if value.kind not in ("empty", "text") or not (atoms.is_colour_key(key) or not value.text):
        return value
    if match:
        text = "#" + match.group(1).upper()
    elif COLOUR_NAME.fullmatch(colour.strip()):
        text = colour.strip().lower()
    else:
        value.flags.append("bad_hint")
        return value
    flags = [f for f in value.flags if f != "untyped"] + ["colour_from_template"]
    return make(value.raw, text, "colour", flags=flags)


# The hints `_apply_hints` reads; others (`unknown_templates`, `coord`...) change no value.
READ_HINTS = frozenset({"date", "date_precision", "list", "colour", "sign", "unit", "notes"})


def _apply_hints(value: Val, hints: dict[str, str], key: str | None, written_sign: str) -> Val:
    if "date" in hints:
        value = _apply_date_hint(value, hints)
    if "list" in hints:
        value = _apply_list_hint(value, hints, key)
    if "colour" in hints:
        value = _apply_colour_hint(value, hints["colour"], key)
    if "sign" in hints:
        _apply_sign_hint(value, hints["sign"].strip(), key, written_sign)
    if hints.get("unit") and value.number is not None and not value.unit:
        value.unit = hints["unit"]
        value.flags.append("unit_from_template")
    if hints.get("notes", "[]").strip() not in ("", "[]") and "notes_removed" not in value.flags:
        value.flags.append("notes_removed")
    return value


# The commonest shapes, settled before the general path, which costs them several times more:
# together they are most of the values in a dump. Each is typed here as the general path types
# it (`tests/test_values.py` compares the two on generated values):
# - a name: words of letters joined by single spaces, apostrophes or hyphens (`New York`,
#   `People's Party`): no digit, no markup, nothing to clean, so `untyped` text;
# - a plain integer (`218,003`; a year in a date-like key is a date). Digits stop at 15 (longer
#   runs are integers on the general path too);
# - a plain decimal (`25.8`, `14,6`) and a plain percentage (`68.11%`, `89,0 %`), read by the
#   general path's own number reader;
# - a score or a range of plain numbers (`48–5`, `1990-1995`): no form reads it, `untyped` text;
# - nothing at all.
# Keys that change the reading of digits (colour, change, code keys) go the general way.
_FAST_NAME = re.compile(r"[^\W\d_]+(?:[ '’-][^\W\d_]+)*")
_FAST_INTEGER = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d{0,14}|0")
_FAST_DECIMAL = re.compile(r"[0-9]{1,15}[.,][0-9]{1,15}")
_FAST_PERCENT = re.compile(r"([0-9]{1,15}(?:[.,][0-9]{1,15})?) ?%")
_FAST_RANGE = re.compile(r"[0-9]{1,6}[–-][0-9]{1,6}")
_ASCII_DIGITS = frozenset("0123456789")
# Dates with the month's name (`22 November 2005`, `March 23, 1910`, `June 1993`), and a name
# with a year or a score in parentheses (`Greenberg (1963)`, `Cole (2–4)`).
_FAST_DMY = re.compile(r"[0-9]{1,2} [A-Z][a-z]{2,8} [0-9]{4}")
_FAST_MDY = re.compile(r"[A-Z][a-z]{2,8} (?:[0-9]{1,2}, )?[0-9]{4}")
_FAST_NAME_NOTE = re.compile(r"[^\W\d_]+(?:[ '’-][^\W\d_]+)* \([0-9]{1,4}(?:[–-][0-9]{1,4})?\)")

# kind, number, unit, date, date_precision, decimals; the flags are `untyped` for `text`, else none
Fast = tuple[str, float | None, str | None, str | None, str | None, int | None]
_UNTYPED: Fast = ("text", None, None, None, None, None)
_EMPTY: Fast = ("empty", None, None, None, None, None)


def is_plain_name(text: str) -> bool:
    """`_FAST_NAME.fullmatch(text)`, by string methods where they decide (a regex match costs
    ~3,000 instructions, and most table cells and many infobox values are names): one word of
    letters, or ASCII words of letters joined by single spaces, apostrophes or hyphens. Other
    text goes to the regex: its letter class also holds numeric signs such as `½`."""
    if text.isalpha():
        return True
    if text.isascii():  # ASCII letters are exactly `[^\W\d_]` there, and `’` cannot occur
        for word in text.replace("'", " ").replace("-", " ").split(" "):
            if not word.isalpha():  # (an empty word: two separators, or one at an end)
                return False
        return True
    return _FAST_NAME.fullmatch(text) is not None


def fast_fields(key: str | None, text: str) -> Fast | None:
    """The fields of a value of one of the commonest shapes, or None: the value is typed in full.
    `text` is both the source and the typed text."""
    if not text:
        return _EMPTY
    if text[0] not in _ASCII_DIGITS:
        if not is_plain_name(text) or text.lower() in ("new", "na"):
            # (a name holds neither `''` nor two spaces: no markup, no cleaning)
            return _fast_worded(key, text) if text[-1] in _ASCII_DIGITS or text[-1] == ")" else None
        return None if atoms.is_colour_key(key) else _UNTYPED
    if atoms.is_colour_key(key) or atoms.is_identifier_key(key):
        return None
    if _FAST_INTEGER.fullmatch(text):
        if len(text) == 4 and looks_like_year(text) and atoms.is_year_key(key):
            return "date", None, None, text, "year", None
        if atoms.is_change_key(key):
            return None
        return "integer", float(text.replace(",", "") if "," in text else text), None, None, None, 0
    if atoms.is_change_key(key):
        return None  # a sign is read, or its absence flagged, on the general path
    if _FAST_DECIMAL.fullmatch(text):
        if text[0] == "0" and text[1].isdigit():
            return None  # `05.3`: a leading zero, flagged on the general path
        status, number, decimals = atoms.read_number(text)
        if status != atoms.OK:
            return None  # `1.234`: ambiguous, flagged on the general path
        return "integer" if decimals == 0 else "decimal", number, None, None, None, decimals
    if match := _FAST_PERCENT.fullmatch(text):
        status, number, decimals = atoms.read_number(match.group(1), True)
        return ("percent", number, "%", None, None, decimals) if status == atoms.OK else None
    if _FAST_RANGE.fullmatch(text):
        return _UNTYPED
    if text[-1] in _ASCII_DIGITS and _FAST_DMY.fullmatch(text):
        return _fast_date(text)
    return None


def _fast_worded(key: str | None, text: str) -> Fast | None:
    """`fast_fields` for a value that opens with a letter and is no plain name: a date written
    with its month's name (`March 23, 1910`, `June 1993`), or a name with a year or a score in
    parentheses (`Greenberg (1963)`, `Cole (2–4)`), `untyped` text (the count of a count list
    in a group key, or a code in a code key, are read on the general path)."""
    if atoms.is_colour_key(key) or atoms.is_identifier_key(key):
        return None
    if text[-1] == ")":
        if _FAST_NAME_NOTE.fullmatch(text) and not atoms.is_group_key(key):
            return _UNTYPED
        return None
    return _fast_date(text) if _FAST_MDY.fullmatch(text) else None


def _fast_date(text: str) -> Fast | None:
    """A date `atoms.read_date` reads without a flag, as the general path's `_date` types it."""
    iso, precision, flags = atoms.read_date(text)
    if iso is None or flags:
        return None  # a word that is no month, a day the calendar lacks: the general path says
    return "date", None, None, iso, precision, None


def fast_wordy(raw: str, key: str | None, source: str, rendered: bool) -> Val | None:
    """A value without digits, typed as the general path types it (cleaned, then `wordy`), or
    None. `rendered`: `source` is the parser's rendering, not `raw`. Names with commas, colons,
    full stops or line breaks: most values the name pattern leaves."""
    if DIGIT.search(source) or (not rendered and MARKUP_HINT.search(source)):
        return None
    cleaned = normalise(source)
    if cleaned.endswith("]"):
        return None  # a footnote marker is residue, removed and flagged on the general path
    return wordy(raw, cleaned, key) if cleaned else Val(raw, cleaned, "empty")


def _fast(raw: str, key: str | None, text: str) -> Val | None:
    fields = fast_fields(key, text)
    if fields is None:
        return None
    kind, number, unit, date, precision, decimals = fields
    return Val(raw, text, kind, number, None, unit, date, precision,
               ["untyped"] if kind == "text" else [], None, decimals)


# Longer than this is prose or a page fragment, not a value: kept as text, never scanned, so no
# input can make typing slow.
LONGEST_VALUE = 4000


def type_value(raw: str, key: str | None, text: str | None, hints: dict[str, str],
               fast_tried: bool = False) -> Val:
    """The whole of `parse_value`, uncached. `fast_tried`: the caller already knows `_fast`
    gives None for these arguments."""
    if len(raw if text is None else text) > LONGEST_VALUE:
        return Val(raw, raw if text is None else text, "text", flags=["untyped", "too_long"])
    if not hints and not fast_tried and (
            fast := _fast(raw, key, raw if text is None else text)) is not None:
        return fast
    flags: list[str] = []
    source = text
    if source is None:
        source, flags = strip_markup(raw, hints)
    cleaned, residue = strip_residue(normalise(source))
    if residue:
        flags.append("residue")
    value = _core_with_unit(raw, cleaned, key, hints.get("unit")) if hints else None
    value = value or core(raw, cleaned, key)
    if flags:
        value.flags = flags + value.flags
    written_sign = cleaned[0] if cleaned and cleaned[0] in SIGN_CHARS else ""
    if hints:
        value = _apply_hints(value, hints, key, written_sign)
    if value.number and not written_sign and _needs_sign(value, key):
        value.flags.append("unsigned")
    return value
