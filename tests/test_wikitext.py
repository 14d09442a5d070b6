"""Wikitext pages to the Article model: infoboxes, sections, prose, lists, tables, bad input."""

import json
from pathlib import Path

import mwparserfromhell
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.parse.wikitables import expand_spans
from extractor.parse.wikitext import is_infobox_name, parse_wikitext

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "wikitext"


def parse(text: str, title: str = "T"):
    return parse_wikitext(text, title=title, doc_id="t#1", source="t.wiki")


def fixture(name: str):
    return parse((FIXTURES / name).read_text(encoding="utf-8"), title=name)


def mwph_infobox_keys(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """The infoboxes and their parameter names as mwparserfromhell sees the whole page."""
    found = []
    for template in mwparserfromhell.parse(text).filter_templates(recursive=True):
        if is_infobox_name(str(template.name)):
            found.append((" ".join(str(template.name).split()).split("<!--")[0].strip(),
                          tuple(str(p.name).strip() for p in template.params)))
    return sorted(found)


def our_infobox_keys(article) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((ib.template, tuple(f.key for f in ib.fields)) for ib in article.infoboxes)


@pytest.mark.parametrize("name", ["election_infobox.wiki", "Senate_of_Pakistan.wiki",
                                  "table_spans.wiki"])
def test_infobox_keys_agree_with_mwparserfromhell(name):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert our_infobox_keys(parse(text)) == mwph_infobox_keys(text)


def test_election_infobox_fields():
    article = fixture("election_infobox.wiki")
    assert article.status == "ok"
    (infobox,) = article.infoboxes
    assert infobox.template == "Infobox election" and infobox.line == 2
    fields = {f.key: f for f in infobox.fields}
    assert [f.key for f in infobox.fields][:3] == ["election_name", "country", "type"]
    assert fields["election_date"].value == "{{start date|2023|3|19|df=y}}"
    assert fields["election_date"].hints["date"] == "2023-03-19"
    assert fields["election_date"].line == 11
    assert fields["party1"].text == "Amanat"
    assert fields["seat_change1"].hints["sign"] == "+" and fields["seat_change1"].text == "3"
    assert fields["seat_change3"].hints["sign"] == "-"
    assert fields["seat_change4"].hints["sign"] == "0"
    assert fields["popular_vote1"].text == "112,345"
    assert fields["popular_vote2"].text == "23,456"
    assert fields["percentage3"].text == "9.3%"
    assert fields["turnout"].text == "25.6%"
    assert json.loads(fields["turnout"].hints["notes"]) == ["Turnout counted on the party-list "
                                                            "ballot."]
    assert fields["map_caption"].text == "Results by constituency"
    assert json.loads(fields["after_election"].hints["list"]) == ["Meyirjan Otynşiev",
                                                                  "(re-elected)"]
    assert fields["seats_for_election"].text == "All 42 seats in the City Mäslihat"


def test_election_page_body():
    article = fixture("election_infobox.wiki")
    assert [s.title for s in article.sections] == ["", "Results"]
    assert article.paragraphs[0].text.startswith("The 2023 Almaty City Mäslihat election was")
    assert article.paragraphs[0].line == 39
    (table,) = article.tables
    assert table.caption == "Results of the 2023 election"
    assert [c.text for c in table.rows[0].cells] == ["Party", "Votes", "%", "Seats"]
    assert all(c.header for c in table.rows[0].cells)
    assert table.rows[1].cells[0].raw == "{{Party name with color|Amanat (party)}}"
    assert table.rows[1].cells[1].text == "112,345"
    assert table.section == 1


def test_legislature_political_groups_tree():
    article = fixture("Senate_of_Pakistan.wiki")
    (infobox,) = article.infoboxes
    fields = {f.key: f for f in infobox.fields}
    tree = json.loads(fields["political_groups1"].hints["tree"])
    assert len(tree) == 14 and tree[0]["name"] == "PML-N"
    assert json.loads(fields["meeting_place"].hints["list"])[0] == "Senate Secretariat"
    assert "paksen" in json.loads(fields["seats"].hints["unknown_templates"])
    assert article.paragraphs[0].line == 95  # text right after the infobox's closing braces


def test_political_groups_bold_headers_nest():
    text = """{{Infobox legislature
| political_groups = '''Government (25)'''
* {{Party name with color|Amanat}} (25)
'''Opposition (17)'''
* Respublica (5)
** Faction A (2)
* [[Aq Jol]]: 2
}}"""
    (infobox,) = parse(text).infoboxes
    tree = json.loads(infobox.fields[0].hints["tree"])
    assert [(g["name"], g["seats"]) for g in tree] == [("Government", 25), ("Opposition", 17)]
    assert tree[0]["children"][0] == {"name": "Amanat", "seats": 25, "children": []}
    respublica = tree[1]["children"][0]
    assert respublica["seats"] == 5 and respublica["children"][0]["name"] == "Faction A"
    assert tree[1]["children"][1]["seats"] == 2


def test_wikitable_spans_caption_nested():
    article = fixture("table_spans.wiki")
    outer, inner = article.tables
    assert outer.caption == "Seats by district and list"
    assert outer.line == 3 and outer.end_line == 26 and outer.kind == "wikitable"
    district, seats = outer.rows[0].cells
    assert district.rowspan == 2 and district.header and seats.colspan == 2
    north = outer.rows[2].cells[0]
    assert north.text == "North" and north.raw == "[[North District|North]]" and north.rowspan == 2
    assert outer.rows[2].cells[1].hints["colour"] == "#ff0000"
    host = outer.rows[4].cells[1]
    assert host.colspan == 2 and host.hints["nested_table"] == "1"
    assert [[c.text for c in r.cells] for r in inner.rows] == [["Inner"], ["nested cell"]]
    grid = [[c.text for c in row] for row in expand_spans(outer)]
    assert grid == [
        ["District", "Seats", "Seats"],
        ["District", "List", "Single-member"],
        ["North", "4", "3"],
        ["North", "2", "1"],
        ["South", "", ""],
        ["West", "1", "2"],
    ]
    assert [p.text for p in article.paragraphs] == ["Intro text before the table.",
                                                    "Text after the table."]


def test_expand_spans_pads_and_clips():
    article = parse('{|\n| rowspan=5 | a || b\n|-\n| c\n|-\n| d || e || f\n|}')
    grid = expand_spans(article.tables[0])
    assert [[c.text for c in row] for row in grid] == [["a", "b", "", ""], ["a", "c", "", ""],
                                                       ["a", "d", "e", "f"]]
    assert grid[0][0] is grid[2][0]  # one source cell, three slots
    assert grid[0][2].hints == {"filler": "1"}


def test_sections_paragraphs_lists():
    text = ("Lead ''text'' with [[a|link]].<ref>note</ref>\n\n== One ==\nPara one\ncontinues.\n"
            "* item {{nowrap|one}}\n* item two\n=== Deep ===\n# numbered\n")
    article = parse(text)
    assert [(s.title, s.level, s.line) for s in article.sections] == [
        ("", 1, None), ("One", 2, 3), ("Deep", 3, 8)]
    assert [(p.text, p.line, p.end_line, p.section) for p in article.paragraphs] == [
        ("Lead text with link.", 1, 1, 0), ("Para one continues.", 4, 5, 1)]
    assert [[i.text for i in lst.items] for lst in article.lists] == [["item one", "item two"],
                                                                      ["numbered"]]
    assert article.lists[0].section == 1


def test_nested_infobox_has_parent():
    text = ("{{Infobox person\n| name = A\n| module = {{Infobox officeholder\n | office = B\n"
            " | module = {{infobox military person|embed=yes|branch=C}}\n}}\n| spouse = D\n}}")
    article = parse(text)
    assert [(ib.template, ib.parent, ib.line) for ib in article.infoboxes] == [
        ("Infobox person", None, 1), ("Infobox officeholder", 0, 3),
        ("infobox military person", 1, 5)]
    assert [f.key for f in article.infoboxes[0].fields] == ["name", "module", "spouse"]
    assert our_infobox_keys(article) == mwph_infobox_keys(text)


@pytest.mark.parametrize("name", ["Infobox settlement", "infobox_tanàna", "Ficha de país",
                                  "Карточка города", "Yerleşim bilgi kutusu", "Taxobox",
                                  "Infobox/articulo/entitate territorial",
                                  "Miejscowość infobox"])
def test_infobox_names_in_other_languages(name):
    assert is_infobox_name(name)
    assert len(parse("{{" + name + "\n| a = 1\n}}").infoboxes) == 1


def test_not_infoboxes():
    assert not is_infobox_name("Navbox") and not is_infobox_name("Persondata")
    assert not is_infobox_name("Collapsed infobox section begin")


def test_infobox_in_comment_or_nowiki_is_ignored():
    text = "<!-- {{Infobox x|a=1}} --><nowiki>{{Infobox y|b=2}}</nowiki>\n{{Infobox z|c=3}}"
    article = parse(text)
    assert [ib.template for ib in article.infoboxes] == ["Infobox z"]
    assert our_infobox_keys(article) == mwph_infobox_keys(text)


def test_duplicate_key_is_a_warning():
    article = parse("{{Infobox x\n| a = 1\n| a = 2\n}}")
    assert [f.value for f in article.infoboxes[0].fields] == ["1", "2"]
    assert article.problems[0].code == "INFOBOX_DUPLICATE_KEY" and article.status == "ok"


def test_election_results_template_becomes_table():
    text = ("{{Election results\n|party1=Amanat|votes1=100|seats1=25\n"
            "|party2=Respublica|votes2=20|seats2=5\n|total_votes=120}}\nAfter.")
    article = parse(text)
    (table,) = article.tables
    assert table.kind == "election results"
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["party", "votes", "seats"], ["Amanat", "100", "25"], ["Respublica", "20", "5"]]
    assert article.paragraphs[0].text == "After."


def test_election_box_sequence_becomes_table():
    text = ("{{Election box begin|title=General election 2019}}\n"
            "{{Election box candidate|party=Labour|candidate=A|votes=1,000|percentage=50.0}}\n"
            "{{Election box candidate|party=Green|candidate=B|votes=500|percentage=25.0}}\n"
            "{{Election box majority|votes=500|percentage=25.0}}\n"
            "{{Election box end}}\nText.")
    article = parse(text)
    (table,) = article.tables
    assert table.caption == "General election 2019"
    assert [c.text for c in table.rows[1].cells] == ["candidate", "Labour", "A", "1,000", "50.0",
                                                     ""]
    assert table.rows[3].cells[0].text == "majority"
    assert [p.text for p in article.paragraphs] == ["Text."]


def test_broken_page_is_partial_and_goes_on():
    article = fixture("broken.wiki")
    assert article.status == "partial"
    codes = [p.code for p in article.problems]
    assert "INFOBOX_UNCLOSED" in codes and "TABLE_UNCLOSED" in codes
    assert [f.key for f in article.infoboxes[0].fields] == ["name", "population"]
    assert [s.title for s in article.sections] == ["", "History", "Later"]
    assert article.paragraphs[-1].text == "Still read."


def test_deep_nesting_does_not_raise():
    text = "{{Infobox x\n| a = " + "{{b|" * 10_000 + "}}" * 10_000 + "\n}}\nText.\n" + \
        "[[" * 5000 + "\n{|\n" * 3000
    article = parse(text)
    assert article.status in ("ok", "partial")
    assert article.paragraphs


def test_empty_page_fails():
    assert parse("  \n").status == "failed"


def test_utf8_and_crlf_tolerated():
    article = parse("{{Infobox x\r\n| a = 1\r\n}}\r\nText\r\n")
    assert article.infoboxes[0].fields[0].value == "1"
    assert article.paragraphs[0].text == "Text"


def test_huge_unclosed_infobox_is_read_without_the_tokenizer():
    article = parse("{{Infobox x\n| a = " + "word " * 500_000 + "\n| b = {{nts|5}}\n")
    assert [p.code for p in article.problems] == ["INFOBOX_UNCLOSED"]
    assert article.status == "partial"
    (infobox,) = article.infoboxes
    assert [f.key for f in infobox.fields] == ["a", "b"] and infobox.fields[1].text == "5"
    assert infobox.fields[1].line == 3


def test_unclosed_infoboxes_repeated_stay_linear():
    article = parse("{{Infobox x\n|a=1\n" * 20_000)
    assert article.status == "partial" and len(article.infoboxes[0].fields) == 20_000


def test_huge_closed_infobox_is_refused():
    article = parse("{{Infobox x\n| a = " + "word " * 500_000 + "\n}}")
    assert [p.code for p in article.problems] == ["INFOBOX_TOO_LARGE"]


# --- whole corpus (opt-in: pytest -m slow) ---------------------------------------------------
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def corpus_pages():
    from extractor.sources import SourceStats, iter_units

    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not beside the repository")
    for unit in iter_units([str(CORPUS)], stats=SourceStats()):
        if unit.format == "wikitext" and not unit.problems:
            yield unit, parse_wikitext(unit.text, title=unit.title, doc_id=unit.doc_id,
                                       source=unit.source, page_id=unit.page_id)


# mwparserfromhell's whole-page tokenizer gives up on this infobox (a long italic run in a later
# <ref> makes it backtrack) and reads `{{Infobox officeholder` as text; parsed as a span, it is
# one well-formed template, as MediaWiki renders it.
MWPH_WHOLE_PAGE_MISSES = {"Angela Merkel", "dbp en  Angela Merkel"}


@pytest.mark.slow
def test_corpus_infobox_keys_agree_with_mwparserfromhell():
    checked = 0
    for unit, article in corpus_pages():
        ours, theirs = our_infobox_keys(article), mwph_infobox_keys(unit.text)
        checked += len(theirs)
        missing = [ib for ib in theirs if ib not in ours]
        assert not missing, (unit.doc_id, missing)
        if len(ours) != len(theirs):
            assert unit.title in MWPH_WHOLE_PAGE_MISSES, (unit.doc_id, ours, theirs)
    assert checked > 300


@pytest.mark.slow
def test_corpus_manifest_infobox_names_are_all_found():
    """Every template the manifest names as an infobox is found in its file (the manifest
    lists `Infobox X` as `X`). One manifest entry is inside an HTML comment: not an infobox."""
    import csv
    import re

    from extractor.sources import SourceStats, iter_units

    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not beside the repository")
    with open(CORPUS / "MANIFEST.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    commented_out = {"publication"}  # gensim Animalia (book): <!--{{Infobox publication|...}}-->
    for row in rows:
        wanted = {n for n in row["infobox_template_names"].split(",") if n} - commented_out
        found = set()
        for unit in iter_units([str(CORPUS / row["file"])], stats=SourceStats()):
            if unit.format != "wikitext" or unit.problems:
                continue
            article = parse_wikitext(unit.text, title=unit.title, doc_id=unit.doc_id,
                                     source=unit.source)
            found |= {re.sub(r"(?i)^infobox[ _]+", "", ib.template) for ib in article.infoboxes}
        assert wanted <= found, (row["file"], wanted - found)


@pytest.mark.slow
def test_fifty_megabyte_page():
    text = (CORPUS / "wikitext" / "wtf__United-Kingdom.wiki").read_text(encoding="utf-8")
    big = (text * (50_000_000 // len(text) + 1))[:50_000_000]
    article = parse(big)
    assert article.status in ("ok", "partial") and len(article.infoboxes) > 100


def test_bullets_and_breaks_in_a_value_give_a_list():
    (infobox,) = parse("{{Infobox x\n| a = * one\n* [[two]]\n| b = x<br />y\n| c = z\n}}").infoboxes
    hints = [f.hints.get("list") for f in infobox.fields]
    assert hints == ['["one", "two"]', '["x", "y"]', None]


TOKENS = ["{{", "}}", "[[", "]]", "{|", "|}", "|-", "|", "||", "!", "!!", "|+", "=", "==",
          "\n", " ", "'''", "''", "<ref>", "</ref>", "<!--", "-->", "<nowiki>", "*", "#",
          "Infobox x", "a", "1", "{{{", "}}}", "<br>", "&amp;", "rowspan=2", ":"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=80))
def test_any_markup_soup_parses_without_raising(tokens):
    article = parse("".join(tokens))
    assert article.status in ("ok", "partial", "failed")
    assert not [p for p in article.problems if p.code == "PARSE_INTERNAL"], article.problems


def test_reference_over_several_lines_stays_in_its_paragraph():
    article = parse("Claim.<ref name=a>\nSource line\n* not a bullet\n</ref> More.\n\nNext.")
    assert [(p.text, p.line, p.end_line) for p in article.paragraphs] == [
        ("Claim. More.", 1, 4), ("Next.", 6, 6)]
    assert article.lists == []


def test_indented_table_is_a_table():
    article = parse("Intro.\n:{| class=\"wikitable\"\n! A !! B\n|-\n| 1 || 2\n|}\nAfter.")
    (table,) = article.tables
    assert [[c.text for c in r.cells] for r in table.rows] == [["A", "B"], ["1", "2"]]
    assert [p.text for p in article.paragraphs] == ["Intro.", "After."]


@pytest.mark.parametrize("soup", ["[http://x ", "<div ", "<pre ", "<ref name=x ", "<math>", "== ",
                                  "[[", "{{", "<!--", "'''", "<ref>\n", "{|\n|-\n"])
def test_unclosed_markup_repeated_stays_linear(soup):
    """Each of these once made a regular expression rescan the rest of the page per opener."""
    article = parse(soup * 50_000)
    assert article.status in ("ok", "partial")


@pytest.mark.parametrize("soup", ["<ref>", "<div>", "[http://x ", "{|\n|"])
def test_tangled_infobox_is_split_without_the_tokenizer(soup):
    """mwparserfromhell backtracks once per unclosed construct (30,000 <ref>: 40 s)."""
    article = parse("{{Infobox x|a=" + soup * 20_000 + "|b=2}}\n" + soup * 20_000)
    assert article.problems[0].code == "INFOBOX_TANGLED"
    assert article.infoboxes[0].fields[0].key == "a"
    assert article.infoboxes[0].fields[-1].value == "2"
    results = parse("{{Election results|party1=A" + soup * 20_000 + "|votes1=3}}")
    assert results.status in ("ok", "partial")


def test_body_and_prose_switches():
    text = (FIXTURES / "election_infobox.wiki").read_text(encoding="utf-8")
    infobox_only = parse_wikitext(text, title="T", doc_id="t#1", source="t", body=False)
    assert len(infobox_only.infoboxes) == 1 and not infobox_only.tables
    assert not infobox_only.paragraphs and len(infobox_only.sections) == 1
    no_prose = parse_wikitext(text, title="T", doc_id="t#1", source="t", prose=False)
    assert len(no_prose.tables) == 1 and len(no_prose.sections) == 2
    assert not no_prose.paragraphs and not no_prose.lists
