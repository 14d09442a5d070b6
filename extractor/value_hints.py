"""Typing a whole field: cleaning, the forms of `value_rules`, then what template rendering
learned (hints: a sign, a date, a unit, list items, a colour, removed notes). `type_value` is the
uncached body of `extractor.values.parse_value`."""

from __future__ import annotations

import json
import re

from extractor import value_atoms as atoms
from extractor.value_rules import (
    COLOUR_NAME,
    DOWN,
    HEX,
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
    counts = [count for item in items if (count := count_item(item, item)) is not None]
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


# The two commonest shapes, a plain name and a plain English integer, settled before the general
# path: together they are most of the values in a dump, and the general path costs them 2-3x.
# A name: words of letters joined by single spaces, apostrophes or hyphens (`New York`,
# `People's Party`). Digits stop at 15 (longer runs are integers on the general path too).
_FAST_NAME = re.compile(r"[^\W\d_]+(?:[ '’-][^\W\d_]+)*")
_FAST_INTEGER = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d{0,14}|0")


def _fast(raw: str, key: str | None, text: str) -> Val | None:
    if _FAST_NAME.fullmatch(text):
        if "''" in text or "  " in text or text.lower() in ("new", "na"):
            return None
        if atoms.is_colour_key(key):
            return None
        return Val(raw, text, "text", flags=["untyped"])
    if _FAST_INTEGER.fullmatch(text):
        if atoms.is_colour_key(key) or atoms.is_change_key(key) or atoms.is_identifier_key(key):
            return None
        if len(text) == 4 and atoms.is_year_key(key) and looks_like_year(text):
            return None
        return Val(raw, text, "integer", number=float(text.replace(",", "")), decimals=0)
    return None


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
