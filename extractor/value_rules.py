"""Deciding what one cleaned value is: the forms behind `extractor.values.parse_value`.

The order of the checks is the design: cheap, common forms first (a bare number), then the forms
that need a key's context (colours, years, image sizes), then dates, then the composite forms that
split a value into typed parts. Anything left is `text` with the flag `untyped`. Kinds and flags
are documented in `extractor.values`; hints and the entry point are in `extractor.value_hints`.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

from extractor import value_atoms as atoms
from extractor.value_atoms import NUM

# ---------------------------------------------------------------- building values


class Val:
    """A value being typed: the fields of `TypedValue`, without validation, cheap to build and
    edit. `extractor.values` turns the finished one into a `TypedValue`."""

    __slots__ = (
        "raw", "text", "kind", "number", "total", "unit", "date", "date_precision", "flags",
        "parts", "decimals",
    )  # fmt: skip

    def __init__(
        self,
        raw: str,
        text: str,
        kind: str,
        number: float | None = None,
        total: float | None = None,
        unit: str | None = None,
        date: str | None = None,
        date_precision: str | None = None,
        flags: list[str] | None = None,
        parts: list[Val] | None = None,
        decimals: int | None = None,
    ) -> None:
        self.raw, self.text, self.kind = raw, text, kind
        self.number, self.total, self.unit, self.decimals = number, total, unit, decimals
        self.date, self.date_precision = date, date_precision
        self.flags: list[str] = flags if flags is not None else []
        self.parts: list[Val] = parts if parts is not None else []


make = Val


def untyped(raw: str, text: str, flag: str = "untyped") -> Val:
    return Val(raw, text, "text", None, None, None, None, None, [flag])  # positional: hot


def _is_untyped(value: Val | None) -> bool:
    return value is None or value.kind in ("text", "empty")


# ---------------------------------------------------------------- cleaning the text

_SPACE_LIKE = dict.fromkeys(map(ord, "\u00a0\u202f\u2009\u2007\u200a\u2002\u2003\t"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200e\u200f\ufeff\u00ad"), None)
_MINUS_LIKE = dict.fromkeys(map(ord, "\u2212\ufe63\uff0d\u2012"), "-")
_TRANSLATE = {**_SPACE_LIKE, **_INVISIBLE, **_MINUS_LIKE}
_SPACES = re.compile(r" {2,}")
# `str.translate` looks every character up in `_TRANSLATE`, one dictionary lookup each: a scan
# for the characters it changes is several times cheaper, and most non-ASCII text has none.
_TRANSLATED = re.compile("[" + re.escape("".join(map(chr, _TRANSLATE))) + "]")


def normalise(text: str) -> str:
    """One space for every kind of space, `-` for every minus, lines trimmed, blank lines gone."""
    if "\t" in text or (not text.isascii() and _TRANSLATED.search(text)):
        text = text.translate(_TRANSLATE)
    if "\n" in text or "\r" in text:
        lines = (line.strip() for line in text.replace("\r", "\n").split("\n"))
        text = "\n".join(line for line in lines if line)
    text = text.strip()
    return _SPACES.sub(" ", text) if "  " in text else text


# An icon rendered as its size (`10px`) glued in front of the value; footnote markers behind it.
_ICON_RESIDUE = re.compile(r"(?:\d+)?(?:[x×]\d+)?px\s*(?=\S)")
_FOOTNOTE_RESIDUE = re.compile(
    r"(?:\s*\[(?:\d{1,3}|[a-z]|[ivx]{1,4}|(?:note|nb|n|lower-alpha) ?\d+"
    r"|citation needed|update)\])+$",
    re.IGNORECASE,
)


def strip_residue(text: str) -> tuple[str, bool]:
    found = False
    if text[:1].isdigit() and "px" in text[:12]:
        match = _ICON_RESIDUE.match(text)
        if match and match.end() > 2:
            text, found = text[match.end() :], True
    if text.endswith("]"):
        stripped = _FOOTNOTE_RESIDUE.sub("", text)
        if stripped != text:
            text, found = stripped.rstrip(), True
    return text, found


MARKUP_HINT = re.compile(r"\[\[|\{\{|<|''|&[#\w]+;|\[(?:https?:)?//")
_MARKUP_RULES = (
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"\{\{\s*(?:nowrap|small|nobr|big|nowrap begin)\s*\|([^{}|]*)\}\}", re.I), r"\1"),
    (re.compile(r"\{\{\s*nbsp\s*\}\}", re.I), " "),
    # Inner classes exclude the brackets they close on, so `[[[[…` costs linear time, not quadratic.
    (re.compile(r"\[\[\s*(?:file|image)\s*:([^|\[\]]+)[^\[\]]*\]\]", re.I), r"\1"),
    (re.compile(r"\[\[(?:[^|\[\]]*\|)?([^\[\]]*)\]\]"), r"\1"),
    (re.compile(r"\[(?:https?:)?//[^\s\[\]]+\s+([^\[\]]*)\]"), r"\1"),
    (re.compile(r"<br\s*/?>", re.I), "\n"),
    (re.compile(r"</?[a-z][^<>]*>", re.I), ""),
    (re.compile(r"'{2,}"), ""),
)
_REFS = re.compile(r"<ref[^<>]*/>|<ref[^<>]*>.*?</ref>", re.S | re.I)
_SIGN_TEMPLATE = re.compile(r"\{\{\s*(increase|decrease|steady|gain|loss|up|down)\s*\}\}", re.I)
_TEMPLATE_SIGNS = {
    "increase": "+",
    "gain": "+",
    "up": "+",
    "decrease": "-",
    "loss": "-",
    "down": "-",
    "steady": "0",
}


def strip_markup(raw: str, hints: dict[str, str]) -> tuple[str, list[str]]:
    """Plain text from raw wikitext when the caller had no rendering. Light: what a value needs."""
    if not MARKUP_HINT.search(raw):
        return raw, []
    flags = ["markup_stripped"]
    text, removed_refs = _REFS.subn("", raw)
    if removed_refs:
        flags.append("notes_removed")
    sign = _SIGN_TEMPLATE.search(text)
    if sign:
        hints.setdefault("sign", _TEMPLATE_SIGNS[sign.group(1).lower()])
        text = _SIGN_TEMPLATE.sub("", text)
    for pattern, replacement in _MARKUP_RULES:
        text = pattern.sub(replacement, text)
    return html.unescape(text), flags


# ---------------------------------------------------------------- scalar forms

DIGIT = re.compile(r"\d")
_PLAIN = re.compile(NUM)
_PERCENT = re.compile(rf"([+\-–▲▼]?)\s?({NUM})\s?%|%\s?({NUM})")
_PP = re.compile(rf"([+\-–▲▼]?)\s?({NUM})\s?(?:pp|p\.\s?p\.|%p|percentage points?)", re.I)
_SIGNED = re.compile(rf"([+\-–▲▼△▽↑↓])\s?({NUM})|±\s?0")
_PX = re.compile(r"(\d+)?\s?(?:[x×]\s?(\d+))?\s?px")
_UNITS = (
    "seats|seat|votes|vote|members|deputies|mandates|mps|councillors|senators|people|"
    "inhabitants|years|km2|km²|sq mi|mi2|mi²|km/h|km|mi|m2|m²|m/s|m3|m³|mph|cm|mm|m|ft|ha|"
    "acres|kg|mg|µg|g|t|kcal|kj|ml|l|°c|°f|mw|kw|gw|ghz|mhz|hz|kb|mb|gb|tb"
)
_SCALES = {"thousand": 3, "million": 6, "mn": 6, "mio": 6, "billion": 9, "bn": 9, "trillion": 12}
_MONEY_SCALES = {"k": 3, "m": 6, "b": 9}  # `$10M`: only after a currency (`10 m` is ten metres)
_CURRENCY = r"US\$|A\$|C\$|NZ\$|HK\$|R\$|\$|€|£|¥|₹|₽|₩|₺|CHF|USD|EUR|GBP"
_MONEY = re.compile(
    rf"({_CURRENCY})?\s?({NUM})(?:\s?({'|'.join([*_SCALES, *_MONEY_SCALES])})\b)?"
    r"(?:\s+(?:\((.*)\)|(.*)))?",
    re.I | re.S,
)
# A currency written after the number, as much of Europe and most ISO-code styles write it:
# `50 €`, `1.234,56 €`, `12,000 GBP`, `4.2 billion USD`. Symbols and ISO codes only: a word after
# a number (`100 seats`) is a unit or a note, never guessed to be money. The number is atomic, as
# in `_WITH_UNIT`: no currency or scale starts with a digit or a separator.
_CURRENCY_AFTER = (
    r"€|£|¥|₹|₽|₩|₺|₸|₴|zł|Kč|USD|EUR|GBP|JPY|CNY|RMB|INR|RUB|CHF|CAD|AUD|NZD|HKD|SGD|KZT|BRL|"
    r"MXN|KRW|TRY|SEK|NOK|DKK|PLN|CZK|HUF|UAH|ZAR"
)
_MONEY_AFTER = re.compile(
    rf"((?>{NUM}))(?:\s?((?i:{'|'.join(_SCALES)}))\b)?\s?({_CURRENCY_AFTER})(?![^\W\d_])"
    r"(?:\s+(?:\((.*)\)|(.*)))?",
    re.S,
)
# the last character of a value that can end in a currency written after its number
_CURRENCY_AFTER_ENDS = frozenset("€£¥₹₽₩₺₸₴łčDRPYBNFLKTSEKHUAZ)")
# The number is atomic: no unit starts with a digit or a separator, so a shorter reading of the
# number can never be followed by a unit, and the long alternation is tried once, not per digit.
_WITH_UNIT = re.compile(rf"((?>{NUM}))\s?({_UNITS})(?:\s+(.*))?", re.I | re.S)
_SEAT_WORDS = frozenset(
    "seats seat members deputies mandates mps councillors senators places".split()
)
_SLASH_OF = re.compile(rf"({NUM})\s?/\s?({NUM})")  # {{composition bar|98|107}} renders `98/107`
_SEATS_OF = re.compile(
    rf"({NUM})\s+(?:of|out of)\s+(?:the\s+|all\s+)?({NUM})(?:\s+([^\W\d_]+))?(?:\s.*)?", re.I | re.S
)
_ALL_SEATS = re.compile(rf"all(?: of)?(?: the)?\s+({NUM})\s+([^\W\d_]+)(?:\s.*)?", re.I | re.S)
HEX = re.compile(r"#?([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
COLOUR_NAME = re.compile(r"[A-Za-z]{3,20}")
_FILE = re.compile(
    r"(?:(?:file|image|datei|bild|fichier|archivo|imagen|immagine|ficheiro|файл|изображение|plik|"
    r"soubor|bestand)\s*:\s*)?([^|\n\[\]{}]{1,240}\.(?:svg|png|jpe?g|gif|tiff?|webp|xcf|pdf|djvu|"
    r"ogg|oga|ogv|webm|mp3|wav|flac|midi?|stl))",
    re.I,
)
_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)")
_PLACEHOLDERS = frozenset({"-", "–", "—", "―", "n/a", "na", "n.a.", "?", "…", "...", "—n/a—"})
UP, DOWN = "+▲△↑", "-–▼▽↓"
SIGN_CHARS = UP + DOWN + "±"


def _has_n_or_o(text: str) -> bool:
    return "n" in text or "o" in text or "N" in text or "O" in text


def _number(raw: str, text: str, kind: str, token: str, sign: str = "", **fields) -> Val:
    status, value, decimals = atoms.read_number(token, kind in ("percent", "pp"))
    if status == atoms.AMBIGUOUS:
        return untyped(raw, text, "ambiguous_number")
    if status == atoms.BAD:
        return untyped(raw, text)
    if sign and sign in DOWN and value:
        value = -value
    if kind == "number":
        kind = "integer" if decimals == 0 else "decimal"
    return make(raw, text, kind, number=value, decimals=decimals, **fields)


def _plain_number(raw: str, text: str, key: str | None) -> Val:
    if text[0] == "0" and text[1:2].isdigit():
        return untyped(raw, text, "leading_zero")  # `030`: a code, not thirty
    if looks_like_year(text) and atoms.is_year_key(key):
        return make(raw, text, "date", date=text, date_precision="year")
    kind = "change" if atoms.is_change_key(key) else "number"
    return _number(raw, text, kind, text)


def _signed(raw: str, text: str, key: str | None, match: re.Match[str]) -> Val:
    sign, token = match.group(1), match.group(2)
    if sign is None:  # ±0
        return make(raw, text, "change", number=0.0, decimals=0)
    kind = "change" if sign not in "-–" or atoms.is_change_key(key) else "number"
    return _number(raw, text, kind, token, sign)


def _image_size(raw: str, text: str, key: str | None, match: re.Match[str]) -> Val:
    width, height = match.group(1), match.group(2)
    if width is None and height is None:
        return untyped(raw, text)
    flags = [] if atoms.is_image_key(key) else ["lost_value"]
    number = float(width or height)
    return make(raw, text, "image_size", number=number, unit="px", decimals=0, flags=flags)


def _money(raw: str, text: str, match: re.Match[str]) -> Val | None:
    """`US$2.991 billion`, `$17,500`, `4.22 million`: the number scaled, the currency as unit."""
    currency, token, scale = match.group(1), match.group(2), match.group(3)
    annotated = bool(match.group(4) or match.group(5))
    unit = currency.upper() if currency else None  # (`usd 5` is read too: the pattern ignores case)
    return _scaled_money(raw, text, unit, token, scale, annotated)


def _money_after(raw: str, text: str, match: re.Match[str]) -> Val | None:
    """`50 €`, `12,000 GBP`, `4.2 billion USD`: as `_money`, the currency written last."""
    token, scale, currency = match.group(1), match.group(2), match.group(3)
    annotated = bool(match.group(4) or match.group(5))
    return _scaled_money(raw, text, currency, token, scale, annotated)


def _scaled_money(raw: str, text: str, currency: str | None, token: str, scale: str | None,
                  annotated: bool) -> Val | None:
    if currency is None and (scale is None or scale.lower() in _MONEY_SCALES):
        return None
    status, value, decimals = atoms.read_number(token, dot_is_decimal=scale is not None)
    if status != atoms.OK:
        return untyped(raw, text, "ambiguous_number" if status == atoms.AMBIGUOUS else "untyped")
    if scale is not None:
        exponent = _SCALES.get(scale.lower()) or _MONEY_SCALES[scale.lower()]
        value = float(Decimal(repr(value)) * 10**exponent)  # exact: 2.991e9, not 2990999999.99
        decimals = max(0, decimals - exponent)
    flags = ["annotated"] if annotated else []
    kind = "money" if currency else ("integer" if decimals == 0 else "decimal")
    return make(raw, text, kind, number=value, unit=currency, decimals=decimals, flags=flags)


def _with_unit(raw: str, text: str, match: re.Match[str]) -> Val:
    unit = match.group(2).lower().replace("²", "2")
    value = _number(raw, text, "number", match.group(1), unit=unit)
    if match.group(3) and value.kind != "text":
        value.flags.append("annotated")
    return value


def _seats_of(raw: str, text: str, number: str, total: str, word: str | None) -> Val:
    part = _number(raw, text, "seats_of", number)
    whole = atoms.read_number(total)
    if part.kind == "text" or whole[0] != atoms.OK:
        return untyped(raw, text)
    part.total = whole[1]
    part.unit = "seats" if word and word.lower() in _SEAT_WORDS else word and word.lower()
    return part


def _slash_of(raw: str, text: str, key: str | None, match: re.Match[str]) -> Val:
    if not atoms.is_group_key(key):
        return untyped(raw, text)  # `10/11` outside a seats key may be a date, a score, a ratio
    value = _seats_of(raw, text, match.group(1), match.group(2), "seats")
    if value.kind != "seats_of" or value.number is None or value.total is None:
        return value
    if value.number > value.total:
        return untyped(raw, text)  # `3/2` is no part of a whole: a score, a fraction, a ratio
    return value


_CIRCA_WORDS = frozenset({"c", "ca", "circa"})
_DATE_INITIALS = frozenset(name[0] for name in atoms.MONTHS) | {"c"}


def _date(raw: str, text: str) -> Val | None:
    first = text[0]
    if not first.isdigit():  # a date that starts with a word starts with a month, or `c.`
        if first.lower() not in _DATE_INITIALS and not first.isspace():
            return None  # (the first word's first letter rules most words out)
        word = text.split(None, 1)[0].rstrip(".,").lower()
        if word not in atoms.MONTHS and word[:5] not in _CIRCA_WORDS and word[:2] != "c.":
            return None
    iso, precision, flags = atoms.read_date(text)
    if iso is not None:
        return make(raw, text, "date", date=iso, date_precision=precision, flags=list(flags))
    if flags:
        return untyped(raw, text, flags[0])
    return None


def _colour(raw: str, text: str, key: str | None) -> Val | None:
    colour_key = atoms.is_colour_key(key)
    if text.startswith("#") or colour_key:
        match = HEX.fullmatch(text)
        if match:
            digits = match.group(1).upper()
            if len(digits) == 3:
                digits = "".join(ch * 2 for ch in digits)
            return make(raw, "#" + digits, "colour")
    if colour_key and COLOUR_NAME.fullmatch(text):
        return make(raw, text.lower(), "colour", flags=["named_colour"])
    return None


def wordy(raw: str, text: str, key: str | None) -> Val:
    """A value without digits: a colour, a file, `New`, a placeholder, or text."""
    lowered = text.lower()
    if lowered == "new":
        return make(raw, text, "new")
    if lowered in _PLACEHOLDERS:
        return make(raw, text, "empty", flags=["placeholder"])
    if text.startswith("#") or atoms.is_colour_key(key):  # (as `_colour` asks)
        colour = _colour(raw, text, key)
        if colour is not None:
            return colour
    if "." in text[-6:] and (file := _FILE.fullmatch(text)):
        return make(raw, file.group(1).strip(), "file")
    return untyped(raw, text)


# No scalar form is long (`All 39 seats in the Almaty City Mäslihat` is 40 characters); longer text
# is prose or a list, and never reaches the scalar patterns, which keeps them linear in practice.
LONGEST_SCALAR = 160


def scalar(raw: str, text: str, key: str | None) -> Val | None:
    """One non-composite value with a digit in it, or None."""
    if len(text) > LONGEST_SCALAR:
        return None
    first, last = text[0], text[-1]
    colour_key = atoms.is_colour_key(key)
    if first.isdigit() and _PLAIN.fullmatch(text):  # (`\d` is a digit to `isdigit` too)
        value = (colour_key and _colour(raw, text, key)) or _plain_number(raw, text, key)
        if value.flags != ["untyped"]:
            return value  # else not a number after all: `10.01.2021` may be a date
    if first == "#" or colour_key:
        colour = _colour(raw, text, key)
        if colour is not None:
            return colour
    # Each form is tried only where its first or last character allows it: most values are names.
    if "%" in text and (match := _PERCENT.fullmatch(text)):
        if match.group(3) is not None:
            return _number(raw, text, "percent", match.group(3), unit="%")
        return _number(raw, text, "percent", match.group(2), match.group(1), unit="%")
    if last in "ps." and (match := _PP.fullmatch(text)):
        return _number(raw, text, "pp", match.group(2), match.group(1), unit="pp")
    if first in SIGN_CHARS and (match := _SIGNED.fullmatch(text)):
        return _signed(raw, text, key, match)
    if last == "x" and text.endswith("px") and (match := _PX.fullmatch(text)):
        return _image_size(raw, text, key, match)
    if first.isdigit():
        if match := _WITH_UNIT.fullmatch(text):
            return _with_unit(raw, text, match)
        # Without a currency, money needs a scale word, and each holds an `n` or an `o`
        # (`4.22 million`): other text skips `_MONEY`, whose number backtracks digit by digit.
        if (last in _CURRENCY_AFTER_ENDS or " " in text) and (
                match := _MONEY_AFTER.fullmatch(text)):  # (before `_MONEY`, which would read
            if money := _money_after(raw, text, match):  # `4.2 billion USD` as a note)
                return money
        if _has_n_or_o(text) and (match := _MONEY.fullmatch(text)):
            if money := _money(raw, text, match):
                return money
        if last in "tdhs" and (match := _ORDINAL.fullmatch(text)):
            return make(raw, text, "ordinal", number=float(match.group(1)), decimals=0)
        if " of " in text and (match := _SEATS_OF.fullmatch(text)):
            return _seats_of(raw, text, *match.groups())
        if "/" in text and (match := _SLASH_OF.fullmatch(text)):
            return _slash_of(raw, text, key, match)
    if date := _date(raw, text):
        return date
    if not first.isdigit() and (match := _MONEY.fullmatch(text)):
        if money := _money(raw, text, match):
            return money
    if first in "aA" and (match := _ALL_SEATS.fullmatch(text)):
        return _seats_of(raw, text, match.group(1), match.group(1), match.group(2))
    if "." in text[-6:] and (file := _FILE.fullmatch(text)):
        return make(raw, file.group(1).strip(), "file")
    return None


# ---------------------------------------------------------------- composite forms

_SEAT_NOUN = r"(?:\s+(?:seats?|members|mandates|deputies))?"
_COUNT_ITEM = re.compile(  # `Amanat (25)`, `Amanat [25 seats]`, `Amanat: 25`, `Amanat – 25`
    rf"([^()\[\]\n]*?)\s*(?:[(\[]\s*({NUM}){_SEAT_NOUN}\s*[)\]]|(?::|\s[–-])\s*({NUM}){_SEAT_NOUN})",
    re.S,
)
_LONGEST_ITEM = 200  # a count item is a name and a number; longer text is prose
_LETTER = re.compile(r"[^\W\d_]")
_TRAILING_CHANGE = re.compile(r"(\S.*?)\s+([+\-–▲▼△▽↑↓]\s?\d.*)", re.S)  # `41.7% ▼3.2 pp`
_SPACE_SIGN = re.compile(r"\s[+\-–▲▼△▽↑↓]")  # what it needs: one scan, no backtracking
_SEPARATOR = re.compile(r"[,;\n•·]")
_ANNOTATED = re.compile(r"(.+?)\s*\(([^()]+)\)", re.S)


_FLAT_SPLIT = re.compile(r"[;\n•·]|,(?!\d)")
_SPLIT_MARKS = re.compile(r"[()\[\];\n•·,]")


def split_items(text: str) -> list[str]:
    """Split on `;`, newlines, bullets, and on commas not followed by a digit (`218,003` stays
    whole), at parenthesis depth 0 only (`Amanat (1,234)` stays whole)."""
    if "(" not in text and "[" not in text:
        return [item for item in (piece.strip() for piece in _FLAT_SPLIT.split(text)) if item]
    items, depth, start = [], 0, 0
    for mark in _SPLIT_MARKS.finditer(text):  # the characters that matter, not every one
        i, ch = mark.start(), mark.group()
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and (ch in ";\n•·" or (ch == "," and not text[i + 1 : i + 2].isdigit())):
            items.append(text[start:i].strip())
            start = i + 1
    items.append(text[start:].strip())
    return [item for item in items if item]


def looks_like_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and 1000 <= int(token) <= 2999


def count_item(raw: str, text: str) -> Val | None:
    match = _COUNT_ITEM.fullmatch(text) if len(text) <= _LONGEST_ITEM else None
    if match is None or not _LETTER.search(match.group(1)):
        return None
    token = match.group(2) or match.group(3)
    if looks_like_year(token):
        return None  # `Prize Ampère (1980)`: a year, not a count
    status, value, decimals = atoms.read_number(token)
    if status != atoms.OK or decimals:
        return None
    return make(raw, match.group(1).strip(), "count", number=value, decimals=0)


def _count_list(raw: str, text: str, items: list[str], key: str | None) -> Val | None:
    if len(items) < 2 and not atoms.is_group_key(key):
        return None
    parts = []
    for item in items:
        part = count_item(item, item)
        if part is None:
            return None
        parts.append(part)
    return make(raw, text, "count_list", parts=parts)


def typed_item(item: str, key: str | None) -> Val:
    """One item of a composite: a scalar, or text."""
    if not DIGIT.search(item):
        return wordy(item, item, key)
    return scalar(item, item, key) or untyped(item, item)


def composite(raw: str, text: str, key: str | None) -> Val | None:
    items = split_items(text) if _SEPARATOR.search(text) else [text]
    if ")" in text or "]" in text or ":" in text or "–" in text or " - " in text:
        counted = _count_list(raw, text, items, key)
        if counted is not None:
            return counted
    if len(items) >= 2:
        parts = []
        for item in items:  # stop at the first untyped part: most lists are of names
            part = typed_item(item, key)
            if _is_untyped(part):
                break
            parts.append(part)
        else:
            return make(raw, text, "compound", parts=parts)
        if "\n" in text and parts and parts[0].number is not None:
            # `104<br>{{PakSen|vacancy}}`: a figure on its first line, a note below it
            return _annotated(raw, text, parts[0], [])
        return None
    if len(text) > LONGEST_SCALAR:
        return None  # prose: neither a value with its change nor a value with a note
    if _SPACE_SIGN.search(text) and (match := _TRAILING_CHANGE.fullmatch(text)):  # `29 ▲5`
        scalars = [scalar(piece, piece, key) for piece in match.groups()]
        typed = [part for part in scalars if part is not None and not _is_untyped(part)]
        minus = match.group(2)[0] in "-–"  # `35 - 39` is a range, `41.7% -3.2 pp` a change
        if len(typed) == len(scalars) and (not minus or typed[1].kind in ("pp", "percent")):
            return make(raw, text, "compound", parts=typed)
    match = _ANNOTATED.fullmatch(text) if text[-1] == ")" else None
    if match is None:
        return None
    head = scalar(match.group(1), match.group(1), key)
    if head is None or _is_untyped(head):
        return None
    note_text = match.group(2).strip()
    if looks_like_year(note_text):  # `345,900 (2020)`: the year the figure is for
        note = make(note_text, note_text, "date", date=note_text, date_precision="year")
    else:
        note = typed_item(note_text, key)
    if not _is_untyped(note) and note.kind not in ("date", "ordinal"):
        return make(raw, text, "compound", parts=[head, note])
    # `4,164,252,000 (1st)`, `345,900 (2020)`: the note qualifies the head; typed notes are kept
    return _annotated(raw, text, head, [] if _is_untyped(note) else [note])


def _annotated(raw: str, text: str, head: Val, notes: list[Val]) -> Val:
    return make(
        raw,
        text,
        head.kind,
        number=head.number,
        total=head.total,
        unit=head.unit,
        date=head.date,
        date_precision=head.date_precision,
        decimals=head.decimals,
        flags=head.flags + ["annotated"],
        parts=notes,
    )


def core(raw: str, text: str, key: str | None) -> Val:
    """The typed value of cleaned text, before hints."""
    if not text:
        return make(raw, text, "empty")
    if not DIGIT.search(text):
        return wordy(raw, text, key)
    if atoms.is_identifier_key(key) and not atoms.is_colour_key(key):
        return untyped(raw, text, "identifier")
    value = scalar(raw, text, key)
    if value is not None and value.kind != "text":
        return value
    return composite(raw, text, key) or value or untyped(raw, text)
