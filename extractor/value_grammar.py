"""The scalar value forms as a Lark grammar (`grammars/value.lark`), for comparison.

`parse_scalar(text)` returns `(kind, number, total, date, date_precision)` or None. It reads the
same forms as the regex path in `extractor.value_rules` and shares its number and date semantics
(`extractor.value_atoms`), so the two can be compared value for value. `bench/values.py` measures
both; the regex path is the one `parse_value` uses, because it is several times faster (figures in
the bench output) and no less clear for forms this small.
"""

from __future__ import annotations

from functools import lru_cache

from lark import Lark, Transformer, exceptions

from extractor import value_atoms as atoms
from extractor.grammar_files import grammar_text

Scalar = tuple[str, float | None, float | None, str | None, str | None]


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(grammar_text("value.lark"), parser="lalr", lexer="contextual")


def _number(token: str, dot_is_decimal: bool = False) -> float:
    status, value, _ = atoms.read_number(token.replace("\u00a0", " ").replace("\u202f", " "),
                                         dot_is_decimal)  # fmt: skip
    if status != atoms.OK or value is None:  # OK always comes with a value
        raise ValueError(token)
    return value


def _signed(sign, token, dot_is_decimal: bool = False) -> float:
    value = _number(token, dot_is_decimal)
    return -value if sign is not None and sign in "-–▼" else value


def _date(day: int | None, month_word: str, year: str) -> Scalar:
    month = atoms.MONTHS.get(month_word.rstrip(".").lower())
    iso = atoms.iso_date(int(year), month, day) if month and len(year) == 4 else None
    if iso is None:
        raise ValueError(month_word)
    return ("date", None, None, iso, "day" if day is not None else "month")


class _ToScalar(Transformer):
    def percent(self, items):
        sign, token = items if len(items) == 2 else (None, items[0])
        return ("percent", _signed(sign, token, True), None, None, None)

    def pp(self, items):
        sign, token = (items[0], items[1]) if len(items) == 3 else (None, items[0])
        return ("pp", _signed(sign, token, True), None, None, None)

    def change(self, items):
        return ("change", _signed(items[0], items[1]), None, None, None)

    def plain(self, items):
        value = _number(items[0])
        decimals = atoms.read_number(items[0].replace("\u00a0", " ").replace("\u202f", " "))[2]
        return ("decimal" if decimals else "integer", value, None, None, None)

    def image_size(self, items):
        return ("image_size", _number(items[0]), None, None, None)

    def dmy(self, items):
        return _date(int(items[0]), items[1], items[2])

    def mdy(self, items):
        return _date(int(items[1]), items[0], items[-1])

    def my(self, items):
        return _date(None, items[0], items[1])

    def iso(self, items):
        year, month, day = map(int, items[0].split("-"))
        iso = atoms.iso_date(year, month, day)
        if iso is None:
            raise ValueError(items[0])
        return ("date", None, None, iso, "day")

    def seats_of(self, items):
        numbers = [t for t in items if t.type == "NUMBER"]
        return ("seats_of", _number(numbers[0]), _number(numbers[1]), None, None)

    def all_seats(self, items):
        value = _number(items[1])
        return ("seats_of", value, value, None, None)


_TRANSFORMER = _ToScalar()


def parse_scalar(text: str) -> Scalar | None:
    """The typed reading of one scalar value, or None when the grammar does not cover it."""
    try:
        tree = _parser().parse(text)
        return _TRANSFORMER.transform(tree)
    except (exceptions.LarkError, ValueError):
        return None
