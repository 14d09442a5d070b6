"""`page_scan`: the Python reference and its compiled C twin give the same answers, and the
name filter they share never drops an infobox name."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import extractor.parse.page_scan as loaded
from extractor.parse import wikitext as W

from .conftest import load_reference

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "wikitext"


reference = load_reference("extractor.parse.page_scan")
twin_loaded = not str(getattr(loaded, "__file__", "")).endswith(".py")
needs_twin = pytest.mark.skipif(not twin_loaded, reason="the compiled build is not in use")


def regions_of(text: str) -> list[tuple[int, int]]:
    return reference.opaque_regions(text)


def both(text: str, max_depth: int) -> tuple[object, object]:
    regions = regions_of(text)
    return (reference.scan_braces(text, regions, max_depth, W.NAME_KEYWORDS),
            loaded.scan_braces(text, regions, max_depth, W.NAME_KEYWORDS))


def test_the_name_patterns_are_the_same():
    assert reference.NAME.pattern == W._NAME.pattern


@needs_twin
@pytest.mark.skipif(not CORPUS.is_dir(), reason="the corpus is not beside the project")
def test_the_twin_agrees_on_every_corpus_page():
    pages = sorted(CORPUS.glob("*.wiki"))
    assert pages
    for path in pages:
        text = path.read_text(encoding="utf-8")
        for max_depth in (-1, 2, 40):
            ours, theirs = both(text, max_depth)
            assert ours == theirs, (path.name, max_depth)
        assert loaded.opaque_regions(text) == reference.opaque_regions(text), path.name
        masked = W.mask_opaque(text)
        assert loaded.template_pairs(masked) == reference.template_pairs(masked), path.name
        assert loaded.ref_spans(masked) == reference.ref_spans(masked), path.name
        assert loaded.block_lines(masked) == reference.block_lines(masked), path.name
        starts = reference.line_starts(text)
        ranges = [pair[:2] for pair in reference.template_pairs(masked)[0]]
        ranges += reference.ref_spans(masked)
        assert (loaded.line_firsts(masked, starts, ranges)
                == reference.line_firsts(masked, starts, ranges)), path.name
        regions = reference.opaque_regions(text)
        firsts = [start for start, _ in regions]
        for begin, end in ((0, len(text)), (len(text) // 3, len(text) // 2)):
            assert (loaded.masked_slice(text, regions, firsts, begin, end)
                    == reference.masked_slice(text, regions, firsts, begin, end)), path.name


PIECES = ["{", "}", "{{", "}}", "{{{", "}}}", "|", "=", " ", "\n", "\t", "\u3000", "x", "é",
          "–", "\U0001d518", "<", ">", "<!--", "-->", "<nowiki>", "</nowiki>", "<pre>", "<ref>",
          "[[", "]]", "Infobox", "infobox ", "İnfobox", "ınfobox", "Taxobox", "ficha de",
          "info/", "Карточка", "_infobox", "cite web", "INFOBOX"]


@needs_twin
@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60), st.sampled_from([-1, 0, 1, 2, 3, 8]))
def test_the_twin_agrees_on_brace_soup(pieces, max_depth):
    text = "".join(pieces)
    ours, theirs = both(text, max_depth)
    assert ours == theirs
    assert loaded.template_pairs(text) == reference.template_pairs(text)


@needs_twin
def test_the_twin_agrees_on_long_names_and_wide_characters():
    long_name = "{{" + " " * 300 + "a" * 200 + "Infobox}}"
    for text in (long_name, "{{\U0001d518 Infobox|x}}", "{{Infobox\u2013x}}" * 3,
                 "{{a<!-- c -->infobox}}", "}} {{a}} }}", "{{a|{{b|{{c}}}}}}", "{{" * 5000,
                 "{{Infobox x|{{" + "{{y}}" * 10 + "}}}}"):
        for max_depth in (-1, 1, 2, 3):
            assert both(text, max_depth)[0] == both(text, max_depth)[1], (text[:40], max_depth)
        assert loaded.template_pairs(text) == reference.template_pairs(text), text[:40]


# Every way a region starts, goes on and ends, in the cases and the characters `re` folds into a
# tag name's letters (İ and ı for i, ſ for s; the Kelvin sign and İ lower-case to k and i in a
# closing tag), with blanks, word characters and digits after names.
TAG_PIECES = ["<", ">", "/", "/>", "<!--", "-->", "--", "<!-", "!", "-", "<nowiki>", "</nowiki>",
              "</NOWIKI >", "</nowiki\u3000>", "<pre", "PRE", "<math", "</math>", "<ce>", "</CE>",
              "<chem", "<ſource>", "</source>", "</ſource>", "<İnputbox", "<ınputbox>",
              "</inputbox>", "</İNPUTBOX>", "<section begin=x/>", "<Section", "<br>", "<s",
              "<score>", "</score\n>", "<graph>", "<hiero>", "\u212a", "K", "ſ", "İ", "ı", "i", "s",
              " ", "\n", "é", "x", "_", "1", "\U0001d518", "\ud800", "<templatedata>",
              "<categorytree", "<syntaxhighlight lang=x>", "</syntaxhighlight>", "<timeline>",
              "<gallery/>", "<imagemap>", "</imagemap  >", "<nowiki_>", "<nowiki\u00b2>",
              "<pre\u0660>", "<ref>", "</ref>"]


@needs_twin
@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(TAG_PIECES), max_size=16).map("".join))
def test_the_twin_finds_the_opaque_regions_the_pattern_finds(text):
    assert loaded.opaque_regions(text) == reference.opaque_regions(text)


# Reference tags in every case and spacing, cut short, self-closed, glued to word characters,
# with every kind of blank (`\s` of a closer takes line breaks too) and the block marks.
LINE_PIECES = ["<ref>", "</ref>", "<REF name=a>", "<ref/>", "</Ref >", "</ref\n>", "<", "/", ">",
               "\n", "\r", "\x0b", "\x1c", "\u2028", "\u3000", "\t", " ", "a", "_", "1", "é",
               "<refs>", "<ref_", "<ref\u00b2>", "<ref name=x/>", "<ref/ >", "</ref", "<rEf",
               "{", "=", ":", "{|", "\U0001d518", "–"]


@needs_twin
@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(LINE_PIECES), max_size=24).map("".join))
def test_the_twin_finds_the_references_and_block_lines_the_patterns_find(text):
    assert loaded.ref_spans(text) == reference.ref_spans(text)
    assert loaded.block_lines(text) == reference.block_lines(text)


@needs_twin
@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(["a", "\n", "é", "\U0001d518", "{{", "}}", "\n\n"]),
                max_size=30).map("".join),
       st.lists(st.tuples(st.integers(-40, 40), st.integers(-40, 40)), max_size=8))
def test_the_twin_joins_the_lines_the_reference_joins(text, ranges):
    # offsets past either end, backwards and overlapping ranges: read as `str.find` reads them
    starts = reference.line_starts(text)
    assert loaded.line_firsts(text, starts, ranges) == reference.line_firsts(text, starts, ranges)


def test_block_lines_are_the_lines_that_start_with_a_mark():
    for text in LINE_PIECES + ["".join(LINE_PIECES), "a\n {|\n\t=b=\n:c\n\n{{x}}", ""]:
        lines = text.split("\n")
        expected = [k for k, line in enumerate(lines) if line.lstrip()[:1] in ("{", "=", ":")
                    and line.lstrip()]
        assert loaded.block_lines(text) == expected, text
        assert reference.block_lines(text) == expected, text


@needs_twin
@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(TAG_PIECES), max_size=16).map("".join), st.data())
def test_the_twin_masks_what_the_reference_masks(text, data):
    # each slice of the masked page, in the narrowest width its characters allow (as a join
    # makes it): a str of another width would compare unequal
    regions = reference.opaque_regions(text)
    starts = [start for start, _ in regions]
    begin = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(begin, len(text)))
    ours = loaded.masked_slice(text, regions, starts, begin, end)
    assert ours == reference.masked_slice(text, regions, starts, begin, end)
    if not regions:
        assert loaded.masked_slice(text, regions, starts, 0, len(text)) is text
    with pytest.raises(ValueError):
        loaded.masked_slice(text, regions, starts, 0, len(text) + 1)


def test_masking_blanks_the_regions_and_keeps_the_lines():
    text = "a<!-- x\ny -->b<nowiki>{{c}}</nowiki>d<math>e"
    assert W.mask_opaque(text) == "a" + " " * 6 + "\n" + " " * 5 + "b" + " " * 22 + "d" + " " * 7
    assert W.mask_opaque("no tags") == "no tags"


_LOCAL = [name for name in (W.INFOBOX_PREFIX, *W.LOCAL_INFOBOX_NAMES)]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_LOCAL), st.text(max_size=8), st.text(max_size=8),
       st.lists(st.booleans(), max_size=20))
def test_no_infobox_name_is_filtered_out(local, before, after, upper):
    cased = "".join(c.upper() if upper and upper[i % len(upper)] else c
                    for i, c in enumerate(local))
    for name in (cased, f"{before}{cased}{after}", f"{before} {cased}",
                 cased.replace(" ", "_"), f"Template:{cased}"):
        if W.is_infobox_name(name):
            assert reference.may_be_infobox(name, W.NAME_KEYWORDS), name


def test_no_corpus_infobox_name_is_filtered_out():
    if not CORPUS.is_dir():
        pytest.skip("the corpus is not beside the project")
    names = set()
    for path in CORPUS.glob("*.wiki"):
        names.update(m.group(1) for m in W._NAME.finditer(path.read_text(encoding="utf-8")))
    infobox_names = [name for name in names if W.is_infobox_name(name)]
    assert len(infobox_names) > 20
    assert all(reference.may_be_infobox(name, W.NAME_KEYWORDS) for name in infobox_names)


SIZE_SAMPLES = ["", "a", "\n", "a\nb\n", "é\n", "–\n\n", "\U0001d518", "\ud800", "x\udfffy\n",
                "{| a || b !! c |}\n! d", "–|!" * 70000,
                "\u07ff\u0800\uffff\U00010000", "ÿ" * 40 + "\n" * 17]


@needs_twin
@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.sampled_from(SIZE_SAMPLES),
                 st.lists(st.sampled_from(SIZE_SAMPLES), max_size=8).map("".join)))
def test_the_twin_agrees_on_sizes_and_lines(text):
    assert loaded.text_size(text) == reference.text_size(text)
    assert loaded.text_size(text, True) == reference.text_size(text, True)
    assert loaded.line_starts(text) == reference.line_starts(text)


def test_sizes_and_lines_are_what_they_say():
    for text in SIZE_SAMPLES:
        size = (len(text.encode("utf-8", "replace")), text.count("\n"))
        assert loaded.text_size(text) == (*size, -1)
        assert loaded.text_size(text, True) == (*size, text.count("|") + text.count("!"))
        starts = loaded.line_starts(text)
        assert starts == [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]


def test_many_nested_candidates_take_one_pass():
    import time

    page = "{{Infobox x|a=" * 20_000 + "}}" * 20_000
    regions: list[tuple[int, int]] = []
    clock = time.process_time()
    found = reference.scan_braces(page, regions, -1, W.NAME_KEYWORDS)
    assert time.process_time() - clock < 5  # a search per candidate would be minutes
    assert found is not None and len(found) == 20_000
    assert found[0] == (0, len(page), len("{{Infobox x"))
    assert found[-1][1] == 14 * 20_000 + 2
    few = "{{Infobox x|a={{Infobox y|b=1}}}}"
    assert reference.scan_braces(few, [], -1, W.NAME_KEYWORDS) == \
        [(0, len(few), 11), (14, 31, 25)]
    assert loaded.scan_braces(page, regions, -1, W.NAME_KEYWORDS) == found
