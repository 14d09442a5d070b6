"""The page-wide fast paths of the wikitext reader agree with the plain algorithms they replace."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.model import Section
from extractor.parse.wikitext import (
    _FIRST_LETTER_CASES,
    _NAME,
    LOCAL_INFOBOX_NAMES,
    LineIndex,
    is_infobox_name,
    mask_opaque,
    parse_wikitext,
)
from extractor.unvalidated import new_section

from .conftest import HEADING, load_reference

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wikitext"


def test_unvalidated_sections_equal_validated_ones():
    section = new_section("History", 2, 14)
    assert section == Section(title="History", level=2, line=14)
    assert section.model_dump() == Section.model_validate(section.model_dump()).model_dump()
    assert section.model_fields_set == {"title", "level", "line"}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab \n\r\t\u2028é", max_size=30))
def test_blanking_keeps_only_line_breaks(piece):
    blanked = load_reference("extractor.parse.page_scan").blanked  # (its C twin has none)
    assert blanked(piece) == re.sub(r"[^\n]", " ", piece)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["<!--", "-->", "<nowiki>", "</nowiki>", "<pre/>", "a", "\n",
                                 "<math>", "</math >", "<", ">", " ", "é"]),
                max_size=20).map("".join))
def test_masking_blanks_as_a_substitution_per_character(text):
    plain = re.compile(
        r"<(?:!--.*?(?:-->|\Z)|(nowiki|pre|math|source|syntaxhighlight|gallery|timeline|score|"
        r"ce|chem|hiero|graph|imagemap|templatedata|categorytree|inputbox|section)\b[^<>]*?"
        r"(?:/>|>.*?(?:</\1\s*>|\Z)))", re.DOTALL | re.IGNORECASE)
    expected = plain.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    assert mask_opaque(text) == expected


_PLAIN_INFOBOX_NAME = re.compile(
    r"^\s*(?:template\s*:\s*)?infobox|[ _]infobox\s*$|"
    + "|".join(re.escape(local).replace("\\ ", "[ _]+") for local in LOCAL_INFOBOX_NAMES),
    re.IGNORECASE,
)


def test_local_names_first_letters_hold_every_case_the_flag_matches():
    everything = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    for first in {local[0] for local in LOCAL_INFOBOX_NAMES}:
        matched = set(re.findall(re.escape(first), everything, re.IGNORECASE))
        written = set(_FIRST_LETTER_CASES.get(first, first + first.upper()))
        assert matched == written, first


_NAME_PIECES = [*LOCAL_INFOBOX_NAMES, "İnfobox", "ınfokvir", "ſpeciesbox", "TAXOBOX", "Ficha__De",
                "FICHA  de", "Template:", "template :", " ", "_", "infobox", "Infobox", "x", "é",
                "ИНФОБОКС", "КАРТОЧКА", "Ინფოდაფა", "\n", "Collapsed infobox section"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_NAME_PIECES), max_size=5).map("".join))
def test_infobox_names_read_as_by_one_case_blind_pattern(name):
    is_infobox_name.cache_clear()
    assert is_infobox_name(name) == (_PLAIN_INFOBOX_NAME.search(name) is not None)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_infobox_names_of_any_text_read_as_by_one_pattern(name):
    assert is_infobox_name(name) == (_PLAIN_INFOBOX_NAME.search(name) is not None)


def test_corpus_template_names_read_as_by_one_pattern():
    names = set()
    for path in sorted(CORPUS.glob("*.wiki")):
        names.update(m.group(1) for m in _NAME.finditer(path.read_text(encoding="utf-8")))
    assert names
    for name in names:
        assert is_infobox_name(name) == (_PLAIN_INFOBOX_NAME.search(name) is not None), name


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["{{", "}}", "Infobox x", "|a=", "\n", "== H ==", "{|", "|}",
                                 "<ref>", "</ref>", " ", "b"]), max_size=25).map("".join),
       st.booleans())
def test_last_line_counted_from_the_table_of_starts_or_the_text(text, body):
    lines = LineIndex(text)
    assert lines.count() == text.count("\n") + 1
    lines.starts  # noqa: B018 - built: counted from the table
    assert lines.count() == text.count("\n") + 1
    article = parse_wikitext(text, title="t", doc_id="d", source="s", body=body, prose=False)
    assert article.end_line == text.count("\n") + 1


_HEADING_PIECES = ["==", "===", "=", " ", "A", "b c", "<!-- x -->", "<!--", "-->",
                   "<nowiki>=</nowiki>", "'''d'''", "[[e|f]]", "\t"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_HEADING_PIECES), min_size=1, max_size=7).map("".join),
                min_size=1, max_size=4))
def test_section_titles_read_as_from_the_raw_heading(heading_lines):
    from extractor.parse.wikitext import heading_text

    text = "Lead.\n" + "\n".join(heading_lines) + "\n"
    article = parse_wikitext(text, title="t", doc_id="d", source="s", prose=False)
    expected = []
    masked = mask_opaque(text)
    for raw, hidden in zip(text.split("\n"), masked.split("\n"), strict=True):
        heading = HEADING.match(hidden.strip()) if hidden.strip()[:1] == "=" else None
        if heading:
            source = (HEADING.match(raw.strip()) or heading).group(2)
            expected.append((heading_text(source), len(heading.group(1))))
    assert [(s.title, s.level) for s in article.sections[1:]] == expected
