"""Odd data never makes reconcile raise, and never trips the internal-failure guard."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.model import Article, Paragraph
from extractor.reconcile import reconcile
from extractor.schemas.election import Election, ElectionResult
from extractor.schemas.legislature import Legislature, PoliticalGroup
from extractor.schemas.registry import Records, TypedField, TypedTable
from extractor.values import TypedValue, parse_value

RAWS = ["", "0", "3", "+3", "−2", "-7", "15", "29", "New", "n/a", "1.234", "68.11%", "100%",
        "250%", "10px10.3 pp", "+10.3 pp", "All 39 seats", "98 of the 107 seats", "0 of 0 seats",
        "218,003", "99999999999999", "Total", "Nur Otan", "Aq Jol", "12 (+3)", "1e400"]
KINDS = ["integer", "decimal", "percent", "pp", "change", "seats_of", "new", "empty", "text"]
NUMBERS = st.one_of(st.none(), st.integers(-10**12, 10**12).map(float),
                    st.floats(allow_nan=True, allow_infinity=True))

raw_values = st.builds(parse_value, st.sampled_from(RAWS),
                       st.sampled_from([None, "seats", "seat_change", "swing", "percentage"]))
odd_values = st.builds(lambda raw, kind, number, total, flags: TypedValue(
    raw=raw, text=raw, kind=kind, number=number, total=total, flags=flags),
    st.sampled_from(RAWS), st.sampled_from(KINDS), NUMBERS, NUMBERS,
    st.lists(st.sampled_from(["unsigned", "residue", "lost_value", "untyped"]), max_size=2))
values = st.one_of(st.none(), raw_values, odd_values)

results = st.builds(ElectionResult, index=st.integers(-2, 60), party=values, seats=values,
                    seat_change=values, last_election=values, votes=values, percentage=values,
                    swing=values, leader=values)
elections = st.builds(Election, infobox=st.integers(0, 3), seats_for_election=values,
                      majority=values, results=st.lists(results, max_size=6))
groups = st.recursive(
    st.builds(PoliticalGroup, name=st.sampled_from(["A", "B", ""]),
              seats=st.one_of(st.none(), st.integers(-5, 60)), position=st.integers(0, 9)),
    lambda children: st.builds(PoliticalGroup, name=st.sampled_from(["P", "Q"]),
                               seats=st.one_of(st.none(), st.integers(-5, 60)),
                               position=st.integers(0, 9),
                               children=st.lists(children, max_size=3)),
    max_leaves=8)
legislatures = st.builds(Legislature, infobox=st.integers(0, 3), members=values,
                         groups=st.lists(groups, max_size=4),
                         group_flags=st.lists(st.sampled_from(["group_sum_mismatch"]),
                                              max_size=1))


@st.composite
def tables(draw):
    width = draw(st.integers(1, 4))
    rows = draw(st.lists(st.lists(st.one_of(raw_values, odd_values), min_size=width,
                                  max_size=width), max_size=5))
    columns = draw(st.lists(st.sampled_from(["Party", "Seats", "Votes", "%", "Candidates",
                                             "Leader", ""]), min_size=width, max_size=width))
    return TypedTable(table=draw(st.integers(0, 2)), columns=columns, column_kinds=[],
                      header_rows=draw(st.integers(0, 2)), cells=rows,
                      cell_columns=[columns for _ in rows])


fields = st.builds(TypedField, infobox=st.integers(0, 2), template=st.none(),
                   position=st.integers(0, 9), line=st.integers(1, 50),
                   key_raw=st.sampled_from(["Seats1", "seats 1", "Members", "Party2", "X9"]),
                   key=st.sampled_from(["seats", "members", "party", "x"]),
                   index=st.one_of(st.none(), st.integers(-1, 100)),
                   value=st.one_of(raw_values, odd_values))
PROSE = ["The A won majority of 29 seats.", "It is composed of 42 deputies.",
         "A won 68.1% of the vote.", "the 7% threshold", "to elect 0 seats", "won 1,000 seats"]


@settings(max_examples=100, deadline=None)
@given(st.lists(elections, max_size=2), st.lists(legislatures, max_size=2),
       st.lists(tables(), max_size=2), st.lists(fields, max_size=8),
       st.lists(st.sampled_from(PROSE), max_size=4))
def test_reconcile_never_raises_on_odd_records(elections_, bodies, tables_, fields_, prose):
    article = Article(doc_id="f#1", title="F", source="f", format="flat",
                      paragraphs=[Paragraph(text=t, line=i + 1, end_line=i + 1)
                                  for i, t in enumerate(prose)])
    records = Records(fields=fields_, elections=elections_, legislatures=bodies,
                      tables=tables_)
    recon = reconcile(article, records)
    assert not [f for f in recon.findings if f.rule == "RECONCILE_INTERNAL"], [
        f.message for f in recon.findings if f.rule == "RECONCILE_INTERNAL"]
    rows = recon.to_rows("f#1")
    assert len(rows["findings"]) == len(recon.findings)
