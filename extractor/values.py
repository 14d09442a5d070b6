"""Typed values: raw infobox and table text to numbers, dates, colours, counts, with flags.

`parse_value(raw, key=None, *, text=None, hints=None) -> TypedValue` never raises. A value that does
not parse keeps its text, gets kind `text` and a flag; it never becomes a wrong number.

Kinds (`TypedValue.kind`):

============  ==============================================  ====================================
kind          example                                         number / total / unit / date
============  ==============================================  ====================================
integer       `218,003`, `1.234.567`, `84 seats`,             218003; unit when written (`seats`);
              `4.22 million`                                  scaled (4220000)
decimal       `25.8`, `14,6` (decimal comma)                  25.8; `decimals` = written decimals
percent       `68.11%`, `%68`                                 68.11, unit `%`
money         `US$2.991 billion`, `$17,500`, `50 €`,          2991000000, unit `US$` (as written:
              `4.2 billion USD`, `12,000 GBP`                 symbol or ISO code)
pp            `10.3 pp`, `-2.1 p.p.`                          signed, unit `pp`
change        `+3`, `−2`, `▲3`; `3` in a swing/change key     signed number
date          `10 January 2021`, `March 2023`, `c. 1990`,     ISO `YYYY-MM-DD` / `YYYY-MM` / `YYYY`,
              `2028` in a date-like key                       precision `day` / `month` / `year`
colour        `0A408A` in a colour key, `#0a408a` anywhere    text `#0A408A`
file          `Almaty City Mäslihat 2023.svg`                 text = the file name
image_size    `250px`, `200x100px`                            250, unit `px`
seats_of      `98 of the 107 seats in …`,                     98, total 107, unit `seats`
              `All 39 seats in …`, `98/107` in a seats key    (39, total 39)
compound      `82.20%, 84 seats`, `29 (+5)`, `41.7% ▼3.2 pp`  `parts` = the typed parts
count_list    `Government (25), Amanat (25), …`,              `parts`: kind `count`, text = name,
              `Amanat: 25`, `Amanat – 25` (one per line,      number = count
              or separated by `,` `;` `•`)
list          {{ubl}}/plainlist items that are not counts     `parts` = each item typed
ordinal       `64th`, `1st`                                   64
new           `New`
empty         ``, `—`, `N/A`
text          anything else                                   flag `untyped` or a more specific one
============  ==============================================  ====================================

Years: a bare four-digit number is a `date` with precision `year` in a date-like key
(`next_election`, `previous_year`, `founded`…) and an `integer` elsewhere. Signs: an explicit
`+` or `▲` makes a `change`; an explicit minus makes a `change` in a change key and a negative
`integer` or `decimal` elsewhere (temperatures). Dots: `1.234` is ambiguous, but in a percentage
or pp the dot is always the decimal mark (`1.234%`). A single comma before three digits is a
thousands separator (`218,003`), before one, two or four+ digits a decimal comma (`14,6`).

Fields: `raw` is always the source as given; `text` the cleaned text that was typed (for `colour`
the normalised `#RRGGBB`, for `file` the bare file name, for `count` parts the name). `decimals`
(added to the original shape) is the number of decimals written, for rounding tolerances.

Flags (stable names):

======================  ============================================================================
flag                    meaning
======================  ============================================================================
residue                 rendering residue was removed: an icon size glued to the value
                        (`10px10.3 pp`), a footnote marker (`[1]`)
lost_value              `250px` in a non-image field: the real value was lost in rendering (kind
                        `image_size`)
ambiguous_number        `1.234`: thousands or decimal? Not guessed: number None, kind `text`
ambiguous_date          `10/11/2021`: day or month first? Not guessed: kind `text`
invalid_date            a date form naming no real day (`31 February 2021`): kind `text`
untyped                 nothing recognised: kind `text`
unsigned                a change (pp, or a number in a swing/change key) written without a sign: the
                        sign may have been lost in rendering
circa                   `c. 1990`: an approximate year
annotated               a typed value followed by a note kept in `text`: `39 seats in X`,
                        `40.5% (2006 est.)`; a note that is a year or a rank is typed in `parts`
                        (`4,164,252,000 (1st)`, `345,900 (2020)`)
leading_zero            `030`: digits with a leading zero are a code, not a number (kind `text`)
identifier              a digit-bearing value in a code key (`calling_code`, `isbn`, `oclc`,
                        `postal_code`): kept as text, never a number
placeholder             a dash or `N/A` standing for no value (kind `empty`)
named_colour            a colour key holding a colour name (`white`), kept as written
sign_from_template      the sign came from {{increase}}/{{decrease}}/{{steady}} (hint `sign`)
trend_up,               a sign hint on a value that is not a change (`{{increase}} 165,000`
trend_down,             employees): the number is left as written
trend_steady
sign_conflict           the written sign and the template's sign disagree; the written one is kept
colour_from_template    the colour came from a colour template (hint `colour`)
date_from_template      date and precision came from {{start date}} and the like (hint `date`)
unit_from_template      the unit came from {{convert}} (hint `unit`)
list_from_template      the items came from {{ubl}}/plainlist (hint `list`)
notes_removed           references or notes were removed from the value (hint `notes`, or from raw)
markup_stripped         no plain text was given and `raw` held wiki markup, stripped here (lightly)
bad_hint                a hint could not be read (bad JSON, impossible date); it was ignored
too_long                more than 4000 characters: prose, not a value; kept as text, not scanned
bad_input               `raw` was not a string (None, a number): kept as its `str()`, kind `text`
internal_error          a bug in typing was caught; the value is kept as text
======================  ============================================================================

Hint keys read: `sign` (`+`, `-`, `0`), `date` (ISO) with `date_precision`, `unit` (also stripped
from the end of the text: `12 sqmi`), `colour`, `list` (JSON list of item strings), `notes` (JSON
list); others are ignored (dropped before typing: no part of the cache key either). A sign hint
changes the number only where a sign means something: pp and change values, and numbers in a
swing/change key.
"""

from __future__ import annotations

from functools import lru_cache

from extractor import value_hints, value_rules
from extractor.model import TypedValue
from extractor.unvalidated import construct

__all__ = ["TypedValue", "missing_value", "parse_value"]


def parse_value(
    raw: str | object,
    key: str | object | None = None,
    *,
    text: str | object | None = None,
    hints: dict[str, str] | None = None,
) -> TypedValue:
    """Type one value. `key` is the canonical key (context), `text` a plain-text rendering of
    `raw` made by the wikitext parser (parsed instead of `raw` when given), `hints` what template
    rendering learned (see the module docstring). Never raises."""
    if hints and not hints.keys() <= value_hints.READ_HINTS:  # the others change no value:
        hints = {k: v for k, v in hints.items() if k in value_hints.READ_HINTS}  # no cache key
    # Input of another type from a careless caller (annotated `object` so that a compiled
    # build lets it in to be flagged): kept as its str(), never typed.
    if not isinstance(raw, str) or not (text is None or isinstance(text, str)) \
            or not (key is None or isinstance(key, str)):
        return _model(_kept_as_text(raw, "bad_input"))
    source = raw if text is None else text
    tried = False
    if not hints and len(source) <= value_hints.LONGEST_VALUE:
        try:
            fast, tried = value_hints.fast_fields(key, source), True
        except Exception:  # noqa: BLE001 - the guarded path below flags it
            fast = None
        if fast is not None:  # one of the commonest shapes: cheaper built than cached
            return _model_of_fast(raw, source, fast)
        try:
            wordy = value_hints.fast_wordy(raw, key, source, text is not None)
        except Exception:  # noqa: BLE001 - the guarded path below flags it
            wordy, tried = None, False
        if wordy is not None:  # no digits: a few checks of a word, cheaper than the cache
            return _model_of_wordy(wordy)
    # The raw text is read only when no rendering is given; otherwise it is no part of the
    # typing, and one cached value serves every raw form of a rendering (bold `1`, plain `1`).
    cache_raw = raw if text is None else ""
    return _model(_parse_guarded(raw, key, text, _hint_items(hints), tried, cache_raw), raw)


def _hint_items(hints: dict[str, str] | None) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(hints.items())) if hints else ()


def _parse_guarded(raw: str, key: str | None, text: str | None,
                   hint_items: tuple[tuple[str, str], ...], fast_tried: bool,
                   cache_raw: str) -> Frozen:
    try:
        if len(cache_raw) + len(text or "") > MAX_CACHED_CHARS:  # long, hardly repeated: a
            # cache of 65,536 such entries would hold gigabytes on a hostile dump
            return _parse_cached.__wrapped__(cache_raw, key, text, hint_items, fast_tried)
        return _parse_cached(cache_raw, key, text, hint_items, fast_tried)
    except TypeError:  # unhashable or non-string input from a careless caller
        return _kept_as_text(raw, "bad_input")
    except Exception:  # noqa: BLE001 - a bug here must not stop a dump run; flag it instead
        return _kept_as_text(raw, "internal_error")


def _kept_as_text(raw: object, flag: str) -> Frozen:
    return _freeze(value_rules.Val(str(raw), str(raw), "text", flags=["untyped", flag]))


# A cached value is a tuple of strings, floats and tuples: the garbage collector stops tracking
# such tuples, so a full cache does not slow every collection of the process (it did, by a third,
# when the cache held objects).
Frozen = tuple


MAX_CACHED_CHARS = 1000


@lru_cache(maxsize=65536)
def _parse_cached(
    raw: str, key: str | None, text: str | None, hint_items: tuple[tuple[str, str], ...],
    fast_tried: bool = False,
) -> Frozen:
    return _freeze(value_hints.type_value(raw, key, text, dict(hint_items), fast_tried))


def _freeze(value: value_rules.Val) -> Frozen:
    return (
        value.raw,
        value.text,
        value.kind,
        value.number,
        value.total,
        value.unit,
        value.date,
        value.date_precision,
        tuple(value.flags),
        tuple(_freeze(part) for part in value.parts),
        value.decimals,
    )


_FIELDS = set(TypedValue.model_fields)


def _model(frozen: Frozen, raw: str | None = None) -> TypedValue:
    """A fresh TypedValue for every call, so callers may edit it without poisoning the cache;
    `raw`, when given, stands for the frozen value's own (see `parse_value`).

    Built the way pydantic's own `model_construct` builds (the instance `__dict__` plus the three
    pydantic slots), without its per-call default inspection: a quarter of the cost of
    validation, which matters at dump scale. Every field is already of its declared type here;
    `tests/test_values.py` checks the result equals a validated model.

    The fields-set (every field) is one set shared by all these models, not a copy each (~700
    bytes a value, a table cell's value included): pydantic only adds to it the name of a field
    being assigned, already in it, and `model_copy` copies it.
    """
    own_raw, text, kind, number, total, unit, date, precision, flags, parts, decimals = frozen
    return construct(TypedValue, {
        "raw": own_raw if raw is None else raw, "text": text, "kind": kind, "number": number,
        "total": total, "unit": unit, "date": date, "date_precision": precision,
        "flags": list(flags), "parts": [_model(part) for part in parts] if parts else [],
        "decimals": decimals,
    }, _FIELDS)  # (the fields-set shared: see above)


def _model_of_fast(raw: str, text: str, fields: value_hints.Fast) -> TypedValue:
    """The model of a value `value_hints.fast_fields` typed: no parts, no flag but `untyped`."""
    kind, number, unit, date, precision, decimals = fields
    return construct(TypedValue, {
        "raw": raw, "text": text, "kind": kind, "number": number, "total": None, "unit": unit,
        "date": date, "date_precision": precision,
        "flags": ["untyped"] if kind == "text" else [], "parts": [], "decimals": decimals,
    }, _FIELDS)


def _model_of_wordy(value: value_rules.Val) -> TypedValue:
    """The model of a value `value_hints.fast_wordy` typed (no parts; its flags are its own)."""
    return construct(TypedValue, {
        "raw": value.raw, "text": value.text, "kind": value.kind, "number": value.number,
        "total": value.total, "unit": value.unit, "date": value.date,
        "date_precision": value.date_precision, "flags": value.flags, "parts": [],
        "decimals": value.decimals,
    }, _FIELDS)


def missing_value(flag: str) -> TypedValue:
    """An `empty` value standing for no source value (a table slot no cell covers), flagged
    `flag`; fresh at every call, like `parse_value`'s."""
    return _model(("", "", "empty", None, None, None, None, None, (flag,), (), None))
