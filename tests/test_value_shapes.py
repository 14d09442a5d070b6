"""The fast shapes of `value_hints.fast_fields` for dates written with a month's name and for a
name with a year or a score in parentheses type every value as the general path types it (names
followed by a bare number, which take the general path, are checked too: they are near both)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import value_atoms
from extractor.value_hints import fast_fields
from extractor.values import parse_value

_KEYS = st.one_of(
    st.none(),
    st.sampled_from(["swing", "colour", "image", "next_election", "calling_code", "seats", "pct",
                     "founded", "year", "change", "isbn", "percentage", "party_colour", "win",
                     "party", "political_groups", "date", "term_start", "image_size"]),
)
_MONTH_WORDS = sorted({*value_atoms.MONTHS, "Page", "Mays", "Article", "Sep", "Mar", "Ca",
                       "Circa", "Px", "Usd", "Chf", "All", "New"})
_WORD = st.one_of(
    st.sampled_from(_MONTH_WORDS).map(str.capitalize),
    st.sampled_from(_MONTH_WORDS),
    st.from_regex(r"[A-Za-z]{1,10}", fullmatch=True),
)
_NAME = st.one_of(
    st.from_regex(r"[A-Za-zÄäŞşДд²]{1,8}(?:[ '’-][A-Za-zÄä]{1,8}){0,3}", fullmatch=True),
    st.sampled_from(["c", "ca", "All", "New", "px", "x px", "US", "CHF", "May", "Phelps",
                     "Amanat", "Nur Otan", "Ppx", "p", "s", "Circa", "usd", "Eur", "gbp", "C",
                     "All of the", "Seats", "Page", "Jean-Paul", "C'est", "Mar", "Sept", "N/A"]),
)
_DIGITS = st.from_regex(r"[0-9]{1,5}", fullmatch=True)


def _same(raw: str, key: str | None, rendered: bool) -> None:
    text, raw = (raw, "[[raw]]") if rendered else (None, raw)
    fast = parse_value(raw, key, text=text)
    general = parse_value(raw, key, text=text, hints={"notes": "[]"})  # a hint: no fast path
    assert repr(fast) == repr(general)  # repr: `-0.0` and `0.0`, `1` and `1.0` differ


@given(
    st.one_of(
        st.builds(lambda d, w, y: f"{d} {w} {y}", _DIGITS, _WORD, _DIGITS),
        st.builds(lambda w, d, y: f"{w} {d}, {y}", _WORD, _DIGITS, _DIGITS),
        st.builds(lambda w, y: f"{w} {y}", _WORD, _DIGITS),
        st.builds(lambda w, y: f"{w}. {y}", _WORD, _DIGITS),
    ),
    _KEYS,
    st.booleans(),
)
@settings(max_examples=600)
def test_dates_with_month_names_agree_with_the_general_path(raw, key, rendered):
    _same(raw, key, rendered)


@given(
    st.builds(lambda n, a, sep, b, tail: f"{n} ({a}{sep}{b}){tail}", _NAME, _DIGITS,
              st.sampled_from(["", "–", "-", "—", ", ", " - ", "/"]),
              st.sampled_from(["", "0", "12", "1999"]), st.sampled_from(["", "", " x", "."])),
    _KEYS,
    st.booleans(),
)
@settings(max_examples=600)
def test_names_with_a_year_or_score_agree_with_the_general_path(raw, key, rendered):
    _same(raw, key, rendered)


@given(
    st.builds(lambda n, d, tail: f"{n} {d}{tail}", _NAME, _DIGITS,
              st.sampled_from(["", "", " seats", "%", ".", ",000", " 000"])),
    _KEYS,
    st.booleans(),
)
@settings(max_examples=600)
def test_names_with_a_number_agree_with_the_general_path(raw, key, rendered):
    _same(raw, key, rendered)


def test_every_month_name_agrees_in_every_date_form():
    for word in value_atoms.MONTHS:
        for name in {word, word.capitalize(), word.upper()}:
            for raw in (f"22 {name} 2005", f"{name} 23, 1910", f"{name} 1993", f"31 {name} 2021",
                        f"{name} 31, 2021", f"{name} (1993)", f"5 {name} 0999", f"{name} 12",
                        f"{name} 999"):
                for key in (None, "date", "seats", "change", "year", "colour", "code"):
                    _same(raw, key, False)


def test_the_shapes_are_taken():
    assert fast_fields(None, "22 November 2005") == ("date", None, None, "2005-11-22", "day",
                                                     None)
    assert fast_fields("date", "March 23, 1910")[3] == "1910-03-23"
    assert fast_fields(None, "June 1993")[3:5] == ("1993-06", "month")
    assert fast_fields("win", "Cole (2–4)")[0] == "text"
    assert fast_fields(None, "USD 85") is None  # money: general path
    assert fast_fields("party", "Amanat (25)") is None  # a count list's count: general path
    assert fast_fields(None, "31 February 2021") is None  # invalid_date: general path
