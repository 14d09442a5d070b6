"""The table cell's render without a second markup search, and the cheaper name
normalisation, agree with the general code they shortcut."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.templates import (
    _INNER_TEMPLATE,
    _SPACES,
    MARKUP,
    _normalise_name,
    fast_render,
    fast_render_marked,
)

CORPUS = Path("/work/shared/corpus/wikitext")


def reference_name(name: str) -> str:
    """The normalisation as it was written first: the spaces regex on every name."""
    if "<!--" in name:
        name = re.sub(r"<!--.*?(-->|$)", "", name, flags=re.DOTALL)
    name = _SPACES.sub(" ", name.replace("_", " ")).strip().lower()
    if name.startswith("template:"):
        name = name[len("template:"):].strip()
    return name


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="Ab_ :\t\u00a0\n<!->İx", max_size=30))
def test_name_normalisation_matches_the_reference(name):
    assert _normalise_name(name) == reference_name(name)


NAMES = ["flag", "Flag", "formatnum:", "nts", "sort", "dts", "convert", "increase", "ubl",
         "efn", "coord", "lang", "nowrap", "party color", "cite web", "nosuch", "Template:Flag"]
_PIECE = st.text(alphabet="ab1 2|=:[]'&_\t<>/{}x-\n\ue000\ue0010", max_size=10)


@st.composite
def cell_text(draw) -> str:
    parts = draw(st.lists(st.one_of(
        _PIECE,
        st.builds(lambda n, a: "{{" + n + "|" + a + "}}", st.sampled_from(NAMES), _PIECE),
        st.sampled_from(["[[A|b]]", "''x''", "<br>", "<ref>n</ref>", "&amp;", "__", "<!--c-->",
                         "<nowiki>{{x}}</nowiki>"])), max_size=5))
    return "".join(parts)


@settings(max_examples=600, deadline=None)
@given(cell_text(), st.booleans(), st.booleans())
def test_marked_render_matches_fast_render(text, keep_unknown, notes):
    if MARKUP.search(text):  # its callers' promise
        assert (fast_render_marked(text, keep_unknown, notes)
                == fast_render(text, keep_unknown=keep_unknown, notes=notes))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_every_corpus_template_and_cell_renders_alike():
    seen: set[str] = set()
    for path in sorted(CORPUS.glob("*.wiki")):
        text = path.read_text(encoding="utf-8")
        pieces = [m.group() for m in _INNER_TEMPLATE.finditer(text)]
        pieces += [line.lstrip("|!") for line in text.splitlines() if line.startswith(("|", "!"))]
        for piece in pieces:
            if piece in seen or len(piece) > 2000 or not MARKUP.search(piece):
                continue
            seen.add(piece)
            assert fast_render_marked(piece, True) == fast_render(piece, keep_unknown=True)
    assert len(seen) > 1000
