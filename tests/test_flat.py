"""The flat article format through the Lark grammar: seeds, fixtures, bad input, round trips."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.model import (
    Article,
    BulletItem,
    BulletList,
    Cell,
    Infobox,
    InfoboxField,
    Paragraph,
    Row,
    Section,
    Table,
)
from extractor.parse.flat import normalize_newlines, parse_flat
from extractor.render import to_flat

from .conftest import FIXTURES

FLAT_FILES = sorted(
    p for p in FIXTURES.rglob("*.txt") if p.parent.name in {"flat", "seeds", "bad"}
)


def covered_lines(article: Article) -> list[int]:
    """Every line number the model accounts for, once per element that claims it."""
    lines = [article.line] if article.title else []
    for box in article.infoboxes:
        if box.header_line is not None:
            lines.append(box.header_line)
        lines += [f.line for f in box.fields]
    lines += [s.line for s in article.sections if s.line is not None]
    for p in article.paragraphs:
        lines += range(p.line, p.end_line + 1)
    lines += [i.line for lst in article.lists for i in lst.items]
    lines += [r.line for t in article.tables for r in t.rows]
    return lines


def assert_lossless(text: str, articles: list[Article]) -> None:
    text = normalize_newlines(text)
    expected = [n for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    claimed = sorted(n for a in articles for n in covered_lines(a))
    assert claimed == expected  # each non-blank line exactly once


def test_election_seed_structure(seed_text):
    [article] = parse_flat(seed_text("003_722fa157b06a1392.txt"), "003.txt")
    assert article.title == "2021 Almaty City Mäslihat election"
    assert article.status == "ok"
    [box] = article.infoboxes
    assert box.header == "Infobox"
    assert len(box.fields) == 53
    assert [f.key for f in box.fields[:3]] == ["Election Name", "Country", "Type"]
    assert box.fields[-1].key == "After Party" and box.fields[-1].value == "Nur Otan"
    assert [f.line for f in box.fields] == sorted(f.line for f in box.fields)
    swing = next(f for f in box.fields if f.key == "Swing2")
    assert swing.value == "10px10.3 pp"
    assert [s.title for s in article.sections[1:]] == [
        "Background", "Electoral system", "Parties", "Results"
    ]
    [table] = article.tables
    assert len(table.rows) == 6
    assert all(len(r.cells) == 9 for r in table.rows)
    assert table.rows[0].cells[0].header and table.rows[0].cells[0].text == "Name"
    assert [c.text for c in table.rows[1].cells][:4] == ["", "Nur Otan", "Nur Otan", "Big tent"]
    assert article.sections[table.section].title == "Parties"


def test_legislature_seed_structure(seed_text):
    [article] = parse_flat(seed_text("000_699f6157ae16f6ee.txt"), "000.txt")
    [box] = article.infoboxes
    assert box.header == "Almaty City Mäslihat"
    assert len(box.fields) == 16
    assert box.fields[1].key == "Meeting Place" and box.fields[1].value == "250px"
    [bullets] = article.lists
    assert len(bullets.items) == 6
    assert article.sections[bullets.section].title == "Commissions"
    assert bullets.items[0].text.startswith("Commission on Economy")
    assert not any(f.key.startswith("Commission") for f in box.fields)


@pytest.mark.parametrize("path", FLAT_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fixture_line_lands_once(path):
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8: the source layer reports it (tests/test_cli.py)")
    articles = parse_flat(text, str(path))
    assert articles
    assert_lossless(text, articles)


def test_several_articles_in_one_file_are_numbered():
    text = (FIXTURES / "flat" / "multi_three.txt").read_text(encoding="utf-8")
    articles = parse_flat(text, "multi_three.txt")
    assert [a.doc_id for a in articles] == [f"multi_three.txt#{n}" for n in (1, 2, 3)]
    assert all(a.title for a in articles)


def test_crlf_matches_lf():
    crlf = (FIXTURES / "flat" / "crlf_election.txt").read_bytes()
    assert b"\r\n" in crlf
    a = parse_flat(crlf.decode("utf-8"), "x")[0]
    b = parse_flat(crlf.decode("utf-8").replace("\r\n", "\n"), "x")[0]
    assert a.model_dump() == b.model_dump()


def test_bullet_with_colon_is_not_a_field():
    text = "= T =\n\nIntro.\n\n== S ==\n- Time: 10:30\n- Place: hall\n"
    [article] = parse_flat(text, "x")
    assert article.infoboxes == []
    assert [i.text for i in article.lists[0].items] == ["Time: 10:30", "Place: hall"]


def test_field_values_keep_colons_and_may_be_empty():
    text = "= T =\n- Start: 10:30 UTC\n- Empty:\n- Blank: \n\nProse.\n"
    [article] = parse_flat(text, "x")
    fields = [(f.key, f.value) for f in article.infoboxes[0].fields]
    assert fields == [("Start", "10:30 UTC"), ("Empty", ""), ("Blank", "")]


def test_residue_header_line():
    text = "= T =\n\nind|Independent; endorsed by a registered political party.\n- Name: X\n"
    [article] = parse_flat(text, "x")
    assert article.infoboxes[0].header.startswith("ind|Independent")
    assert article.paragraphs == []


def test_text_then_dash_line_without_colon_is_a_paragraph_and_list():
    text = "= T =\n\nThe parts are\n- one\n- two\n"
    [article] = parse_flat(text, "x")
    assert article.infoboxes == []
    assert article.paragraphs[0].text == "The parts are"
    assert [i.text for i in article.lists[0].items] == ["one", "two"]


def test_broken_table_is_partial_with_line():
    text = "= T =\n\n| a | b |\n| 1 | 2 | 3 |\n| 4 | 5\n"
    [article] = parse_flat(text, "x")
    assert article.status == "partial"
    codes = {(p.code, p.line) for p in article.problems}
    assert codes == {("FLAT_TABLE_RAGGED", 4), ("FLAT_TABLE_UNCLOSED_ROW", 5)}
    assert [c.text for c in article.tables[0].rows[2].cells] == ["4", "5"]


def test_middle_article_error_keeps_neighbours():
    text = (FIXTURES / "bad" / "middle_broken.txt").read_text(encoding="utf-8")
    articles = parse_flat(text, "m")
    assert [a.status for a in articles] == ["ok", "partial", "ok"]


def test_no_title_and_empty():
    [lost] = parse_flat("Some prose.\n\n- a bullet\n", "x")
    assert lost.status == "failed" and lost.problems[0].code == "FLAT_NO_TITLE"
    assert lost.paragraphs[0].text == "Some prose."
    [empty] = parse_flat("", "e.txt")
    assert empty.status == "failed" and empty.doc_id == "e.txt#1"


# --- property: generated articles rendered to the flat format parse back to the same model ---

_word = st.text(alphabet=string.ascii_letters + "ÄäöÜßçéАБВжقلم青川", min_size=1, max_size=8)
_phrase = st.lists(_word, min_size=1, max_size=5).map(" ".join)
_value = st.one_of(st.just(""), _phrase, _phrase.map(lambda s: s + ": 10:30"),
                   st.sampled_from(["218,003", "68.11%", "10px10.3 pp", "250px", "0A408A"]))
_key = st.lists(_word, min_size=1, max_size=3).map(" ".join).map(lambda s: s.replace(":", ""))


@st.composite
def articles(draw) -> Article:
    title = draw(_phrase)
    boxes = []
    if draw(st.booleans()):
        header = draw(st.one_of(st.none(), st.just("Infobox"), st.just(title)))
        fields = draw(st.lists(st.tuples(_key, _value), min_size=1, max_size=6))
        boxes.append(Infobox(header=header, line=0, fields=[
            InfoboxField(key=k, value=v, line=0) for k, v in fields
        ]))
    sections = [Section(title="", level=1)]
    paragraphs, lists, tables = [], [], []
    for s in range(draw(st.integers(0, 3)) + 1):
        if s:
            sections.append(Section(title=draw(_phrase), level=draw(st.integers(2, 4))))
        kinds = ["paragraph", "bullets", "table", "none"]
        if s == 0 and not boxes:
            # `- a: b` lines right after the title are the infobox, by the format's definition
            kinds.remove("bullets")
        kind = draw(st.sampled_from(kinds))
        if kind == "paragraph":
            paragraphs.append(Paragraph(text=draw(_phrase), line=0, end_line=0, section=s))
        elif kind == "bullets":
            items = draw(st.lists(st.one_of(_phrase, _phrase.map(lambda x: x + ": y")),
                                  min_size=1, max_size=4))
            lists.append(BulletList(items=[BulletItem(text=i, line=0) for i in items], section=s))
        elif kind == "table":
            width = draw(st.integers(1, 4))
            cell = st.one_of(st.just(""), _phrase)
            rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width),
                                 min_size=1, max_size=4))
            tables.append(Table(rows=[Row(cells=[Cell(text=c, header=(i == 0)) for c in r], line=0)
                                      for i, r in enumerate(rows)],
                                line=0, end_line=0, section=s))
    return Article(doc_id="", title=title, source="", format="flat", infoboxes=boxes,
                   sections=sections, paragraphs=paragraphs, lists=lists, tables=tables)


def _shape(article: Article) -> dict:
    """The model without positions (a generated article has none)."""
    return {
        "title": article.title,
        "infoboxes": [(b.header, [(f.key, f.value) for f in b.fields]) for b in article.infoboxes],
        "sections": [(s.title, s.level) for s in article.sections],
        "paragraphs": [(p.text, p.section) for p in article.paragraphs],
        "lists": [([i.text for i in lst.items], lst.section) for lst in article.lists],
        "tables": [
            ([[c.text for c in r.cells] for r in t.rows], t.section) for t in article.tables
        ],
    }


@settings(max_examples=150, deadline=None)
@given(articles())
def test_rendered_articles_parse_back(article):
    text = to_flat(article)
    parsed = parse_flat(text, "gen.txt")
    assert len(parsed) == 1
    assert _shape(parsed[0]) == _shape(article)
    assert parsed[0].status == "ok"
    assert_lossless(text, parsed)


@settings(max_examples=60, deadline=None)
@given(st.lists(articles(), min_size=2, max_size=4))
def test_a_dump_of_rendered_articles_parses_back(many):
    text = "\n".join(to_flat(a) for a in many)
    parsed = parse_flat(text, "dump.txt")
    assert [_shape(a) for a in parsed] == [_shape(a) for a in many]
    assert_lossless(text, parsed)
