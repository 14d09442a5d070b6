"""The infoboxes-only page scan (`infobox_only_spans`) finds what the full scan finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.parse import wikitext as W

from .conftest import load_reference

OPAQUE = load_reference("extractor.parse.page_scan").OPAQUE

_OLD_OPAQUE = re.compile(
    r"<!--.*?(?:-->|\Z)|<(nowiki|pre|math|source|syntaxhighlight|gallery|timeline|score|ce|chem|"
    r"hiero|graph|imagemap|templatedata|categorytree|inputbox|section)\b[^<>]*?"
    r"(?:/>|>.*?(?:</\1\s*>|\Z))",
    re.DOTALL | re.IGNORECASE,
)

_TAGS = ["<!--", "-->", "<nowiki>", "</nowiki>", "<pre/>", "<ref>", "</ref>", "<ſource>",
         "</source >", "<İnputbox", "<Section begin=x/>", "<br>", "<ce>", "</CE>", "<", ">",
         "<math", "</math>", "<smal>", "\n"]
_PIECES = _TAGS + ["{{", "}}", "{", "}", "|", "Infobox", "infobox x", "Template:", " ",
                   "ficha", " de", "Ficha_de", "信息框", "=", "[[", "]]", "a", "b" * 130]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TAGS + ["a", "ſ", "x y"]), max_size=20).map("".join))
def test_the_opaque_lookahead_changes_no_match(text):
    assert ([m.span() for m in OPAQUE.finditer(text)]
            == [m.span() for m in _OLD_OPAQUE.finditer(text)])


def full_scan(text: str, max_depth: int | None):
    """The spans and the reasons for the full scan, as `parse_wikitext` reads a page."""
    masked = W.mask_opaque(text)
    unclosed: list[int] = []
    depth: list[int] = []
    spans = W.template_spans(masked, unclosed, depth)
    boxes = W.infobox_spans(spans)
    too_deep = max_depth is not None and depth[0] > max_depth
    tangled = any(W.too_tangled(text, span) for span in boxes)
    return boxes, bool(unclosed) or too_deep or tangled


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join),
       st.sampled_from([None, 0, 1, 2, 3]))
def test_infobox_only_spans_agree_with_the_full_scan(text, max_depth):
    boxes, needs_full = full_scan(text, max_depth)
    quick = W.infobox_only_spans(text, max_depth)
    if needs_full:
        assert quick is None
    else:
        assert quick is not None
        assert [(s.start, s.end, s.name) for s in quick] == \
            [(s.start, s.end, s.name) for s in boxes]


def test_a_comment_inside_the_name_is_read_as_masked():
    text = "{{<!-- c -->\n Infobox <nowiki>x</nowiki>country\n| a = {{b}} }} {{x}}"
    assert full_scan(text, 5)[0][0].name == W.infobox_only_spans(text, 5)[0].name
    assert W.infobox_only_spans(text, 5)[0].name.startswith("Infobox")


def test_a_long_comment_before_the_name():
    text = "{{<!--" + "c" * 3000 + "-->Infobox x|a=1}} {{Infobox y}}"
    assert [(s.start, s.end, s.name) for s in W.infobox_only_spans(text, None)] == \
        [(s.start, s.end, s.name) for s in full_scan(text, None)[0]]


def test_pages_that_need_the_full_scan():
    assert W.infobox_only_spans("{{Infobox x|a=1", None) is None  # never closed
    assert W.infobox_only_spans("{{a|{{b|{{c}}}}}} {{Infobox x}}", 2) is None  # too deep
    assert W.infobox_only_spans("{{a|{{b|{{c}}}}}} {{Infobox x}}", 3) is not None
    assert W.infobox_only_spans("}} {{a}} }}", 1) == []  # stray closers are text
    assert W.infobox_only_spans("no templates", 0) == []


def test_many_regions_and_nested_infoboxes_cost_in_proportion():
    import time

    pages = ["<!--{{-->" * 50_000 + "{{Infobox a|b=1}}",
             "{{Infobox x|a=" * 20_000 + "}}" * 20_000,
             "{{Infobox x|a=1}}\n" * 20_000]
    for page in pages:
        clock = time.process_time()
        spans = W.infobox_only_spans(page, None)
        assert spans is not None
        assert time.process_time() - clock < 5  # quadratic would be minutes
        assert [(s.start, s.end) for s in spans] == \
            [(s.start, s.end) for s in full_scan(page, None)[0]]


@pytest.mark.slow
@pytest.mark.parametrize("max_depth", [None, 20, 3])
def test_corpus_pages_agree_with_the_full_scan(max_depth):
    from pathlib import Path

    paths = sorted(Path("/work/shared/corpus/wikitext").glob("*.wiki"))
    if not paths:
        pytest.skip("corpus not available")
    for path in paths:
        text = path.read_text(encoding="utf-8")
        boxes, needs_full = full_scan(text, max_depth)
        quick = W.infobox_only_spans(text, max_depth)
        assert (quick is None) == needs_full, path.name
        if quick is not None:
            assert [(s.start, s.end, s.name) for s in quick] == \
                [(s.start, s.end, s.name) for s in boxes], path.name


@pytest.mark.slow
def test_dump_pages_agree_with_the_full_scan():
    from pathlib import Path

    from extractor.sources import iter_units

    dumps = Path("/work/shared/corpus/dumps")
    if not dumps.exists():
        pytest.skip("corpus not available")
    for unit in iter_units([str(dumps)]):
        if unit.format == "wikitext" and unit.text:
            boxes, needs_full = full_scan(unit.text, 20)
            quick = W.infobox_only_spans(unit.text, 20)
            assert (quick is None) == needs_full
            if quick is not None:
                assert [(s.start, s.end, s.name) for s in quick] == \
                    [(s.start, s.end, s.name) for s in boxes]


def _article_of(text: str, quick: bool) -> dict:
    """`parse_wikitext(..., body=False)` as an infoboxes-only run reads it, through the page
    scan (`quick`) or through the full scan it replaces."""
    real = W.infobox_only_spans
    if not quick:
        W.infobox_only_spans = lambda text, max_depth: None  # type: ignore[assignment]
    try:
        return W.parse_wikitext(text, title="t", doc_id="d", source="s", body=False,
                                max_depth=6).model_dump()
    finally:
        W.infobox_only_spans = real  # type: ignore[assignment]


@pytest.mark.slow
def test_mutated_corpus_pages_read_alike_both_ways():
    import random
    from pathlib import Path

    paths = sorted(Path("/work/shared/corpus/wikitext").glob("*.wiki"))[:60]
    if not paths:
        pytest.skip("corpus not available")
    rng = random.Random(7)
    pieces = ["{{", "}}", "<!--", "-->", "<nowiki>", "</nowiki>", "{{Infobox z|", "|", "\n==h==\n",
              "<ref>", "</ref>", "[[", "]]", "''", "<small>", "</small>"]
    for path in paths:
        lines = path.read_text(encoding="utf-8").split("\n")[:400]
        for _ in range(3):
            edited = list(lines)
            for _ in range(rng.randrange(1, 6)):
                at = rng.randrange(len(edited))
                pos = rng.randrange(len(edited[at]) + 1)
                edited[at] = edited[at][:pos] + rng.choice(pieces) + edited[at][pos:]
            text = "\n".join(edited)
            assert _article_of(text, True) == _article_of(text, False), path.name
