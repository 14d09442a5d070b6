"""Canonical keys: one spelling per parameter, series index split off."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.keys import canonical_key


@pytest.mark.parametrize(
    "raw",
    ["Popular Vote1", "popular_vote1", "popular vote 1", "Popular-Vote 1", " POPULAR  VOTE_1 "],
)
def test_spellings_of_one_key_agree(raw):
    assert canonical_key(raw) == ("popular_vote", 1)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Structure1 Res", ("structure_res", 1)),
        ("Leader1 Type", ("leader_type", 1)),
        ("Seats For Election", ("seats_for_election", None)),
        ("Image2", ("image", 2)),
        ("party1", ("party", 1)),
        ("seats1", ("seats", 1)),
        ("votes1", ("votes", 1)),
        ("leaders_seat1", ("leaders_seat", 1)),
        ("Last Election4", ("last_election", 4)),
        ("Coa Res", ("coa_res", None)),
        ("Seat Change4", ("seat_change", 4)),
        ("party_12", ("party", 12)),
    ],
)
def test_series_index(raw, expected):
    assert canonical_key(raw) == expected


def test_leading_digits_are_part_of_the_name():
    assert canonical_key("1data1") == ("1data", 1)
    assert canonical_key("2nd_term") == ("2nd_term", None)
    assert canonical_key("1") == ("1", None)  # a positional template parameter


def test_unit_digits_are_not_an_index():
    assert canonical_key("area_km2") == ("area_km2", None)
    assert canonical_key("population_density_km2") == ("population_density_km2", None)
    assert canonical_key("Area km²") == ("area_km2", None)
    assert canonical_key("ISO 3166 code") == ("iso_3166_code", None)
    assert canonical_key("item2") == ("item", 2)


def test_later_digit_runs_stay_in_the_name():
    assert canonical_key("blank1_name_sec2") == ("blank_name_sec2", 1)
    assert canonical_key("photo5a") == ("photo_a", 5)


def test_unicode_letters_are_kept():
    assert canonical_key("País") == ("país", None)
    assert canonical_key("Дата") == ("дата", None)
    assert canonical_key("Дата выборов 2") == ("дата_выборов", 2)
    assert canonical_key("जनसंख्या") == ("जनसंख्या", None)  # vowel signs are marks
    # composed and decomposed accents are one key
    assert canonical_key("Pai\u0301s") == canonical_key("País")


@pytest.mark.parametrize(
    ("raw", "key"),
    [("%", "percent"), ("±", "change"), ("+/−", "change"), ("+/-", "change"), (" + / − ", "change"),
     ("Δ", "change"), ("#", "number"), ("No.", "number")],
)  # fmt: skip
def test_symbol_headers_are_named(raw, key):
    assert canonical_key(raw) == (key, None)


def test_empty_and_punctuation_only():
    assert canonical_key("") == ("", None)
    assert canonical_key(" -- ") == ("", None)


def test_cached():
    canonical_key("Popular Vote7")
    hits = canonical_key.cache_info().hits
    canonical_key("Popular Vote7")
    assert canonical_key.cache_info().hits == hits + 1


def test_a_unit_and_its_power_written_apart_are_one_key():
    # found by the property below: `M 2` was the series `m` number 2, `m2` the unit
    assert canonical_key("M 2") == canonical_key("m2") == ("m2", None)
    assert canonical_key("Area km 2") == canonical_key("area_km2") == ("area_km2", None)
    assert canonical_key("Item 2") == canonical_key("item2") == ("item", 2)


_words = st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), min_size=1, max_size=4)


@given(_words, st.integers(min_value=1, max_value=99), st.sampled_from([" ", "_", "-"]))
def test_variants_normalise_the_same(words, index, sep):
    snake = "_".join(words) + str(index)
    spaced = sep.join(w.capitalize() for w in words) + sep + str(index)
    assert canonical_key(spaced) == canonical_key(snake)


@given(st.text(max_size=30))
def test_never_raises_and_is_idempotent(raw):
    key, index = canonical_key(raw)
    assert index is None or index >= 0
    if index is None and key and not key[0].isdigit():
        assert canonical_key(key) == (key, None)


def _general(raw: str):
    """`canonical_key` without its shortcut for keys already canonical."""
    from extractor import keys as K

    symbol = K._SYMBOLS.get("".join(raw.split()).lower())
    if symbol is not None:
        return symbol, None
    name = K._words(raw)
    match = K._series_digits(name)
    if match is None:
        return name, None
    left = name[: match.start()].rstrip("_")
    right = name[match.end():].lstrip("_")
    return (f"{left}_{right}" if left and right else left or right), int(match.group())


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(alphabet="abz_ Z1.-é%", max_size=12),
                 st.from_regex(r"[a-z_]{1,12}", fullmatch=True)))
def test_the_shortcut_for_canonical_keys_changes_nothing(raw):
    assert canonical_key(raw) == _general(raw)
