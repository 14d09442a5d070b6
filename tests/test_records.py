"""Schema choice, record building and group-tree inference on hand-built articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.model import Article, Infobox, InfoboxField
from extractor.schemas.groups import (
    AMBIGUOUS,
    COUNTS_MISSING,
    SUM_MISMATCH,
    TOTAL_UNKNOWN,
    infer_tree,
)
from extractor.schemas.registry import (
    build_records,
    choose_schema,
    colour_hex,
    records_to_rows,
    template_schema,
)
from extractor.values import TypedValue


def _article(fields: list[tuple[str, str]], template: str | None = None,
             header: str | None = None, hints: dict[str, dict[str, str]] | None = None) -> Article:
    hints = hints or {}
    infobox = Infobox(template=template, header=header, line=1, fields=[
        InfoboxField(key=k, value=v, line=i + 2, hints=hints.get(k, {}))
        for i, (k, v) in enumerate(fields)])
    return Article(doc_id="t#1", title="T", source="t", format="wikitext", infoboxes=[infobox])


# --- schema choice --------------------------------------------------------------------------

def test_template_names_choose_the_schema():
    assert template_schema("Infobox election") == "election"
    assert template_schema("infobox_legislative election") == "election"
    assert template_schema("Template:Infobox legislature") == "legislature"
    assert template_schema("Infobox settlement") is None
    assert template_schema(None) is None


def test_unknown_template_needs_a_strong_signature():
    box = Infobox(template="Infobox person", line=1)
    assert choose_schema(box, {"name", "turnout", "party"}) == "generic"
    flat = Infobox(header="Infobox", line=1)
    assert choose_schema(flat, {"turnout", "election_date"}) == "election"


# --- elections ------------------------------------------------------------------------------

WIKI_ELECTION = [
    ("election_name", "2019 Example election"), ("country", "Example"),
    ("election_date", "{{start date|2019|5|26|df=y}}"),
    ("seats_for_election", "All 60 seats in the Assembly"), ("majority_seats", "31"),
    ("turnout", "61.2%"),
    ("party1", "[[Blue Party]]"), ("leader1", "[[Ann Lee]]"), ("seats_after1", "33"),
    ("seat_change1", "{{increase}}4"), ("popular_vote1", "120,000"), ("percentage1", "48.0%"),
    ("swing1", "{{increase}}3.1 pp"), ("colour1", "0000FF"),
    ("party2", "Red Party"), ("seats_after2", "27"), ("popular_vote2", "99,500"),
    ("percentage2", "40.1%"), ("seats_before2", "31"),
    ("party3", ""), ("seats_after3", ""),
]


def test_wikitext_election_keys_map_to_result_rows():
    records = build_records(_article(WIKI_ELECTION, template="Infobox election",
                                     hints={"seat_change1": {"sign": "+"},
                                            "swing1": {"sign": "+"}}))
    assert records.schema_of_infobox == ["election"]
    rows = records_to_rows("t#1", records)
    (election,) = rows["elections"]
    assert election["majority"] == 31 and election["seats_for_election"] == 60
    assert election["chamber_size"] == 60 and election["turnout"] == 61.2
    results = rows["election_results"]
    assert [r["index"] for r in results] == [1, 2]  # the all-empty row 3 is no result
    assert results[0]["seats"] == 33 and results[0]["votes"] == 120000
    assert results[0]["seat_change"] == 4 and results[0]["colour"] == "#0000FF"
    assert results[1]["last_election"] == "31"


def test_duplicate_key_last_one_wins_and_is_reported():
    fields = [("Election Name", "X"), ("Turnout", "50%"), ("Party1", "A"), ("Seats1", "3"),
              ("Seats1", "4")]
    records = build_records(_article(fields, header="Infobox"))
    assert records.elections[0].results[0].seats.number == 4
    assert records.duplicates == {0: ["seats1"]}
    assert len(records.fields) == 5  # every occurrence stays in the fields


def test_empty_duplicate_overrides_like_mediawiki():
    fields = [("Election Name", "X"), ("Turnout", "50%"), ("Majority Seats", "20"),
              ("Majority Seats", "")]
    records = build_records(_article(fields, header="Infobox"))
    assert records.elections[0].majority is None


def test_election_name_falls_back_to_header():
    fields = [("Turnout", "50%"), ("Election Date", "1 May 2020"), ("Party1", "A")]
    records = build_records(_article(fields, header="City vote 2020"))
    assert records.elections[0].name.text == "City vote 2020"


# --- legislatures ---------------------------------------------------------------------------

def test_legislature_from_wikitext_keys_and_tree_hint():
    tree = json.dumps([{"name": "Coalition", "seats": 10, "children": [
        {"name": "A", "seats": 6, "children": []}, {"name": "B", "seats": 4, "children": []}]},
        {"name": "C", "seats": 5, "children": []}])
    fields = [("name", "Example Senate"), ("house_type", "Upper house"), ("members", ""),
              ("seats", "15"), ("leader1_type", "Chair"), ("leader1", "Jo Bloggs"),
              ("party1", "(A)"), ("election1", "12 March 2015"),
              ("leader2_type", ""), ("leader2", ""),
              ("political_groups1", "*A\n*B\n*C"), ("last_election1", "5 March 2015"),
              ("next_election1", "5 March 2018")]
    records = build_records(_article(fields, template="Infobox legislature",
                                     hints={"political_groups1": {"tree": tree}}))
    rows = records_to_rows("t#1", records)
    (body,) = rows["legislatures"]
    assert body["name"] == "Example Senate" and body["members"] == 15
    assert body["last_election"] == "2015-03-05" and body["next_election"] == "2018-03-05"
    (leader,) = rows["legislature_leaders"]
    assert leader["party"] == "A" and leader["election"] == "2015-03-12"
    groups = [(g["name"], g["parent"], g["depth"], g["inferred"])
              for g in rows["legislature_groups"]]
    assert groups == [("Coalition", None, 0, False), ("A", 0, 1, False), ("B", 0, 1, False),
                      ("C", None, 0, False)]


def test_colour_hex():
    def tv(text):
        return TypedValue(raw=text, text=text, kind="colour")
    assert colour_hex(tv("0a5b2d")) == "#0A5B2D"
    assert colour_hex(tv("#abc")) == "#AABBCC"
    assert colour_hex(tv("orange")) == "orange"
    assert colour_hex(None) is None


# --- group-tree inference -------------------------------------------------------------------

def _shape(groups):
    return [(g.position, _shape(g.children)) for g in groups]


def test_nesting_without_total_is_flagged():
    items = [("Administration", 27), ("Civic", 16), ("Green", 7), ("Ind", 4),
             ("Opposition", 21), ("Labour", 15), ("Liberal", 6)]
    roots, flags = infer_tree(items, None)
    assert flags == [TOTAL_UNKNOWN]
    assert _shape(roots) == [(0, [(1, []), (2, []), (3, [])]), (4, [(5, []), (6, [])])]
    roots, flags = infer_tree(items, 48)
    assert flags == [] and len(roots) == 2


def test_plain_list_stays_flat():
    roots, flags = infer_tree([("A", 10), ("B", 5), ("C", 5)], 20)
    assert flags == [] and _shape(roots) == [(0, []), (1, []), (2, [])]
    assert not any(g.inferred for g in roots)


def test_ambiguous_nesting_stays_flat():
    roots, flags = infer_tree([("A", 5), ("B", 5), ("C", 5), ("D", 5)], 10)
    assert AMBIGUOUS in flags and len(roots) == 4


def test_sum_mismatch_and_missing_counts():
    _, flags = infer_tree([("Gov", 5), ("X", 5), ("Opp", 3)], 9)
    assert SUM_MISMATCH in flags
    roots, flags = infer_tree([("Gov", 5), ("X", None)], 5)
    assert flags == [COUNTS_MISSING] and len(roots) == 2


def _trees(max_leaves: int = 7):
    leaf = st.builds(lambda n: (n, []), st.integers(1, 9))
    node = st.recursive(leaf, lambda kids: st.lists(kids, min_size=1, max_size=3).map(
        lambda children: (sum(c[0] for c in children), children)), max_leaves=max_leaves)
    return st.lists(node, min_size=1, max_size=4)


def _preorder(forest, out=None, parent=None):
    out = [] if out is None else out
    for count, children in forest:
        position = len(out)
        out.append((count, parent))
        _preorder(children, out, position)
    return out


def _all_readings(counts, i, j):
    """Every forest over counts[i:j], as tuples of parent positions (brute force)."""
    if i == j:
        yield ()
        return
    for k in range(i + 1, j + 1):
        for inner in _all_readings(counts, i + 1, k):
            tree = (None,) + tuple(i if p is None else p for p in inner)
            for rest in _all_readings(counts, k, j):
                yield tree + rest


def _valid(counts, parents, total):
    sums: dict[int, int] = {}
    for count, parent in zip(counts, parents, strict=True):
        if parent is not None:
            sums[parent] = sums.get(parent, 0) + count
    if any(counts[p] != s or counts[p] <= 0 for p, s in sums.items()):
        return False
    return sum(c for c, p in zip(counts, parents, strict=True) if p is None) == total


def _parents_of(roots, n):
    parents = [None] * n
    stack = list(roots)
    while stack:
        group = stack.pop()
        for child in group.children:
            parents[child.position] = group.position
            stack.append(child)
    return tuple(parents)


@settings(max_examples=150, deadline=None)
@given(_trees())
def test_flattened_trees_are_recovered_when_unambiguous(forest):
    flat = _preorder(forest)
    counts = [c for c, _ in flat]
    if len(counts) > 9:
        return
    total = sum(c for c, _ in forest)
    truth = tuple(p for _, p in flat)
    valid = [p for p in _all_readings(counts, 0, len(counts)) if _valid(counts, p, total)]
    assert truth in valid
    roots, flags = infer_tree([(f"g{i}", c) for i, c in enumerate(counts)], total)
    found = _parents_of(roots, len(counts))
    if len(valid) == 1:
        assert found == truth and flags == []
    elif AMBIGUOUS not in flags:
        assert found in valid


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-3, 40)), max_size=12),
       st.one_of(st.none(), st.integers(-5, 100)))
def test_inference_never_crashes(counts, total):
    roots, flags = infer_tree([(f"g{i}", c) for i, c in enumerate(counts)], total)
    assert len(_parents_of(roots, len(counts))) == len(counts)
    assert isinstance(flags, list)


# --- wikitext infoboxes through the wikitext parser -------------------------------------------

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "records"


def _wikitext_rows(name: str):
    from extractor.parse.wikitext import parse_wikitext

    path = FIXTURES / name
    article = parse_wikitext(path.read_text(encoding="utf-8"), title=path.stem, doc_id="w#1",
                             source=str(path))
    records = build_records(article)
    return records, records_to_rows("w#1", records)


def test_real_legislature_infobox_senate_of_pakistan():
    records, rows = _wikitext_rows("Senate_of_Pakistan.wiki")
    assert records.schema_of_infobox == ["legislature"]
    (body,) = rows["legislatures"]
    assert body["name"] == "Senate of Pakistan"
    assert body["members"] == 104  # `seats`, its vacancy template unrendered
    assert body["house_type"] == "Upper House"
    assert body["last_election"] == "2015-03-05" and body["next_election"] == "2018-03-05"
    assert body["n_groups"] == 14
    leaders = rows["legislature_leaders"]
    assert [(x["index"], x["type"], x["name"], x["party"]) for x in leaders] == [
        (1, "Chairman", "Raza Rabbani", "PPP"), (2, "Deputy Chairman", "A.G. Haideri", "JUI"),
        (3, "House Leader", "Raja Zafar-ul-Haq", "PML-N"),
        (4, "Opposition Leader", "Aitzaz Ahsan", "PPP")]
    assert all(x["election"] == "2015-03-12" for x in leaders)
    groups = rows["legislature_groups"]
    assert groups[0]["name"] == "PML-N" and groups[-1]["name"] == "Independents"
    assert not any(g["inferred"] for g in groups)


def test_election_infobox_markup_maps_to_records():
    records, rows = _wikitext_rows("example_election.wiki")
    assert records.schema_of_infobox == ["election"]
    (election,) = rows["elections"]
    assert (election["date"], election["seats_for_election"], election["majority"]) == (
        "2022-05-05", 51, 26)
    assert election["turnout"] == 41.7
    results = rows["election_results"]
    assert [r["index"] for r in results] == [1, 2, 4]
    assert [r["seats"] for r in results] == [28, 19, 4]
    assert [r["seat_change"] for r in results] == [4, -3, 0]
    assert [r["swing"] for r in results] == [3.9, -1.4, None]
    assert [r["colour"] for r in results] == ["#1F77B4", "#D62728", None]
    assert results[0]["last_election"] == "24" and results[0]["leader_since"] == "2017-09-01"
    (table,) = records.tables
    assert table.columns == ["Party", "Votes / #", "Votes / %", "Seats / Won", "Seats / +/−"]
    assert [table.cells[r][4].number for r in (2, 3, 4)] == [4, -3, 0]


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wikitext"


@pytest.mark.slow
def test_whole_corpus_builds_records_with_contract_columns():
    from extractor.contract import SCHEMAS
    from extractor.parse.wikitext import parse_wikitext

    paths = sorted(CORPUS.glob("*.wiki"))
    assert paths, "corpus not found"
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        article = parse_wikitext(text, title=path.stem, doc_id=path.name, source=str(path))
        rows = records_to_rows(article.doc_id, build_records(article))
        for table, table_rows in rows.items():
            names = set(SCHEMAS[table].names)
            assert all(set(row) == names for row in table_rows), (path.name, table)


def test_compound_votes_and_seats_give_their_leading_count():
    fields = [("Election Name", "X"), ("Turnout", "50%"), ("Party1", "A"),
              ("Popular Vote1", "61,204 (45.3%)"), ("Seats1", "29 (+5)")]
    rows = records_to_rows("t#1", build_records(_article(fields, header="Infobox")))
    (row,) = rows["election_results"]
    assert (row["votes"], row["seats"], row["seats_raw"]) == (61204, 29, "29 (+5)")


_KEYS = st.sampled_from(["Party1", "Seats2", "Members", "Political Groups1", "Turnout",
                         "Election Date", "Leader1 Type", "Swing3", "Colour1", "name", "x"])
_VALUES = st.one_of(st.sampled_from(["", "42", "New", "A (3), B (2)", "10px1.2 pp", "0A5B2D",
                                     "2028", "250px", "{{increase}} 4", "All 9 seats"]),
                    st.text(max_size=30))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_KEYS, _VALUES), max_size=12),
       st.sampled_from([None, "Infobox election", "Infobox legislature", "Infobox person"]))
def test_any_infobox_builds_rows_without_raising(fields, template):
    article = _article(fields, template=template, header=None if template else "Infobox")
    rows = records_to_rows("t#1", build_records(article))
    assert len(rows["infobox_fields"]) == len(fields)


def test_a_lone_file_link_keeps_its_file_name():
    from extractor.parse.wikitext import parse_wikitext
    from extractor.schemas.registry import build_records

    text = ("{{Infobox station\n| name = Tenby\n| image = [[File:Tenby Lifeboat.jpg|thumb|The "
            "[[lifeboat]] station]]\n| caption = [[File:a.jpg]] and text\n}}\n"
            "{|\n! Station !! Photo\n|-\n| {{lbs|Tenby}} || [[Image:Tenby.png|100px]]\n|}\n")
    records = build_records(parse_wikitext(text, title="T", doc_id="t#1", source="t"))
    image = next(f.value for f in records.fields if f.key == "image")
    assert (image.kind, image.text) == ("file", "Tenby Lifeboat.jpg")
    caption = next(f.value for f in records.fields if f.key == "caption")
    assert caption.text == "and text"
    row = records.tables[0].cells[1]
    assert [v.text for v in row] == ["Tenby", "Tenby.png"]
