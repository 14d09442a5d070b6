"""`value_rules.normalise` translates only text holding a character it changes: the scan that
decides must find exactly those characters, so the result is the unconditional translation's."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from extractor import value_rules
from extractor.value_rules import _TRANSLATE, _TRANSLATED, normalise

_SPECIAL = "".join(map(chr, _TRANSLATE))


def test_the_scan_finds_exactly_the_translated_characters():
    found = {code for code in range(0x110000) if _TRANSLATED.search(chr(code))}
    assert found == set(_TRANSLATE)


def _normalise_always_translating(text: str) -> str:
    text = text.translate(_TRANSLATE)
    if "\n" in text or "\r" in text:
        lines = (line.strip() for line in text.replace("\r", "\n").split("\n"))
        text = "\n".join(line for line in lines if line)
    text = text.strip()
    return value_rules._SPACES.sub(" ", text) if "  " in text else text


@given(st.text(alphabet=st.sampled_from(_SPECIAL + " \n\r\tab1é–—,.%"), max_size=30) | st.text())
def test_normalise_equals_translating_every_text(text):
    assert normalise(text) == _normalise_always_translating(text)


# `scalar` tries `_MONEY` on text opening with a digit only when it holds an `n` or an `o`:
# without a currency (which opens with no digit) money needs a scale word, and each holds one.
def test_every_scale_word_holds_n_or_o():
    assert all(value_rules._has_n_or_o(word) for word in value_rules._SCALES)


def test_only_n_and_o_match_them_ignoring_case():
    pattern = re.compile("n|o", re.I)
    assert {chr(c) for c in range(0x110000) if pattern.fullmatch(chr(c))} == set("nNoO")


@given(st.from_regex(r"[0-9][0-9 ,.'’]{0,8}[ a-zA-Z0-9()$%.,:/\[\]-]{0,12}", fullmatch=True))
def test_digit_text_without_n_or_o_is_never_money(text):
    match = value_rules._MONEY.fullmatch(text)
    if not value_rules._has_n_or_o(text) and match:
        assert value_rules._money(text, text, match) is None
