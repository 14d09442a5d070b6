"""Every rule of the catalogue: one case that fires it and one that does not."""

from __future__ import annotations

import pytest

from extractor.model import Article, Cell, Paragraph, Row, Section, Table
from extractor.reconcile import RULES, reconcile
from extractor.schemas.election import Election, ElectionResult
from extractor.schemas.legislature import Legislature, PoliticalGroup
from extractor.schemas.registry import Records, TypedField, TypedTable
from extractor.values import parse_value


def article(*paragraphs: str, sections: tuple[str, ...] = ()) -> Article:
    """Paragraphs in the lead; `sections` names a section for each paragraph instead."""
    titles = [Section(title="", level=1)] + [Section(title=t, level=2) for t in sections]
    paras = [Paragraph(text=t, line=i + 2, end_line=i + 2, section=i + 1 if sections else 0)
             for i, t in enumerate(paragraphs)]
    return Article(doc_id="t#1", title="T", source="t", format="flat", sections=titles,
                   paragraphs=paras)


def row(index: int, party: str, **values: str) -> ElectionResult:
    keys = {"votes": "popular_vote", "pct": "percentage", "change": "seat_change",
            "last": "last_election"}
    names = {"pct": "percentage", "change": "seat_change", "last": "last_election"}
    typed = {names.get(k, k): parse_value(v, keys.get(k, k)) for k, v in values.items()}
    return ElectionResult(index=index, party=parse_value(party, "party"), **typed)


def election(*rows: ElectionResult, seats_for: str | None = None,
             majority: str | None = None) -> Election:
    return Election(infobox=0, results=list(rows),
                    seats_for_election=parse_value(seats_for, "seats_for_election")
                    if seats_for else None,
                    majority=parse_value(majority, "majority_seats") if majority else None)


def run(records: Records, art: Article | None = None):
    return reconcile(art or article(), records)


def codes(recon) -> list[str]:
    return [f.rule for f in recon.findings]


SEED_ROWS = [("Nur Otan", "218,003", "68.11%"), ("Aq Jol", "32,367", "10.11%"),
             ("Auyl", "24,591", "7.68%"), ("People's Party", "23,388", "7.31%")]


def seed_like(seats: list[int], majority: str = "20", **kw) -> Records:
    rows = [row(i + 1, p, seats=str(s), votes=v, pct=pc)
            for i, ((p, v, pc), s) in enumerate(zip(SEED_ROWS, seats, strict=True))]
    return Records(elections=[election(*rows, seats_for="All 39 seats in the Mäslihat",
                                       majority=majority, **kw)])


# --- elections ---------------------------------------------------------------------------

def test_seat_sum():
    assert "ELECTION_SEAT_SUM" in codes(run(seed_like([29, 15, 3, 3])))
    assert "ELECTION_SEAT_SUM" not in codes(run(seed_like([29, 4, 3, 3])))


def test_seat_sum_reads_seats_of_chamber():
    rows = [row(1, "A", seats="60"), row(2, "B", seats="47")]  # the chamber after the vote
    assert codes(run(Records(elections=[election(*rows, seats_for="98 of the 107 seats")]))
                 ) == []
    rows = [row(1, "A", seats="60"), row(2, "B", seats="50")]
    assert "ELECTION_SEAT_SUM" in codes(run(Records(elections=[
        election(*rows, seats_for="98 of the 107 seats")])))


def test_seat_sum_short_only_an_error_when_rows_cover_every_winner():
    short = [row(1, "A", seats="20", pct="60%"), row(2, "B", seats="10", pct="30%")]
    recon = run(Records(elections=[election(*short, seats_for="All 39 seats")]))
    assert "ELECTION_SEAT_SUM" not in codes(recon)  # 10% of the vote is unaccounted for
    full = [row(1, "A", seats="20", pct="60%"), row(2, "B", seats="10", pct="40%")]
    assert "ELECTION_SEAT_SUM" in codes(run(Records(elections=[
        election(*full, seats_for="All 39 seats")])))


def test_majority():
    assert "ELECTION_MAJORITY" in codes(run(seed_like([29, 4, 3, 3], majority="21")))
    assert "ELECTION_MAJORITY" not in codes(run(seed_like([29, 4, 3, 3], majority="20")))


def test_majority_of_the_chamber_not_the_seats_contested():
    rows = [row(1, "A", seats="60"), row(2, "B", seats="47")]
    recon = run(Records(elections=[election(*rows, seats_for="98 of the 107 seats",
                                            majority="54")]))
    assert "ELECTION_MAJORITY" not in codes(recon)


def test_percent_sum():
    over = [row(1, "A", pct="60.0%"), row(2, "B", pct="45.0%")]
    assert "ELECTION_PERCENT_SUM" in codes(run(Records(elections=[election(*over)])))
    fine = [row(1, "A", pct="60.01%"), row(2, "B", pct="40.00%")]  # within rounding
    assert "ELECTION_PERCENT_SUM" not in codes(run(Records(elections=[election(*fine)])))


def test_percent_rest_and_what_it_implies():
    recon = run(seed_like([29, 4, 3, 3]), article("Parties need 7% threshold to win."))
    [rest] = recon.by_rule("ELECTION_PERCENT_REST")
    assert rest.severity == "info" and "6.79%" in rest.message
    assert "below the 7% threshold" in rest.message
    full = [row(1, "A", pct="60%"), row(2, "B", pct="40%")]
    assert "ELECTION_PERCENT_REST" not in codes(run(Records(elections=[election(*full)])))


def test_votes_and_percent_agree():
    bad = [row(1, "A", votes="600", pct="60%"), row(2, "B", votes="300", pct="40%"),
           row(3, "C", votes="100", pct="10%")]
    [f] = run(Records(elections=[election(*bad)])).by_rule("ELECTION_VOTES_PERCENT")
    assert f.evidence["outliers"] == ["B"] and "B is the odd one out" in f.message
    assert "ELECTION_VOTES_PERCENT" not in codes(run(seed_like([29, 4, 3, 3])))


def test_seat_change_against_last_election():
    rows = [row(1, "A", seats="10", change="+3", last="5")]
    assert "ELECTION_SEAT_CHANGE" in codes(run(Records(elections=[election(*rows)])))
    rows = [row(1, "A", seats="10", change="+3", last="7")]
    assert "ELECTION_SEAT_CHANGE" not in codes(run(Records(elections=[election(*rows)])))
    rows = [row(1, "A", seats="3", change="+3", last="New")]
    assert codes(run(Records(elections=[election(*rows)]))) == []


def test_previous_value_cannot_be_negative():
    rows = [row(1, "A", seats="2", change="+5"), row(2, "B", pct="10.11%", swing="+10.3 pp")]
    found = run(Records(elections=[election(*rows)])).by_rule("ELECTION_PREVIOUS_NEGATIVE")
    assert [f.subject for f in found] == ["election[0].result[1]", "election[0].result[2]"]
    rows = [row(1, "A", seats="7", change="+5"), row(2, "B", pct="10.11%", swing="+5.0 pp")]
    assert codes(run(Records(elections=[election(*rows)]))) == []


def test_sign_derived_from_the_last_election():
    rows = [row(1, "A", seats="3", change="3", last="6")]  # 3 = 6 - 3: a loss
    recon = run(Records(elections=[election(*rows)]))
    [f] = recon.by_rule("ELECTION_SIGN_DERIVED")
    assert f.observed == "-3" and f.status == "repaired"
    [r] = recon.repairs
    assert (r.field, r.raw, r.repaired, r.method) == ("seat_change", "3", "-3", "sign_derived")
    rows = [row(1, "A", seats="3", change="+3", last="0")]
    assert "ELECTION_SIGN_DERIVED" not in codes(run(Records(elections=[election(*rows)])))


def candidates_table(number: str) -> TypedTable:
    header = [parse_value("Party"), parse_value("Candidates")]
    return TypedTable(table=0, columns=["Party", "Candidates"], column_kinds=["text", "integer"],
                      header_rows=1, cells=[header, [parse_value("A"), parse_value(number)]],
                      cell_columns=[["", ""], ["Party", "Candidates"]])


def test_seats_at_most_candidates():
    rows = [row(1, "A", seats="7")]
    recon = run(Records(elections=[election(*rows)], tables=[candidates_table("5")]))
    assert "ELECTION_SEATS_CANDIDATES" in codes(recon)
    recon = run(Records(elections=[election(*rows)], tables=[candidates_table("9")]))
    assert "ELECTION_SEATS_CANDIDATES" not in codes(recon)


def test_prose_majority_claim():
    text = "The Nur Otan won majority of 29 seats in the Mäslihat."
    recon = run(seed_like([25, 8, 3, 3]), article(text))
    [f] = recon.by_rule("ELECTION_PROSE_MAJORITY")
    assert f.subject == "election[0].result[1]" and f.observed == "25"
    assert "ELECTION_PROSE_MAJORITY" not in codes(run(seed_like([29, 4, 3, 3]), article(text)))


def test_prose_claims_of_share_seats_and_seats_contested():
    wrong = article("Nur Otan won 60.1% of the vote. Aq Jol won 5 seats. "
                    "Elections were held to elect 41 deputies.")
    found = run(seed_like([29, 4, 3, 3]), wrong).by_rule("ELECTION_PROSE_CLAIM")
    assert len(found) == 3
    right = article("Nur Otan won 68.1% of the vote. Aq Jol won 4 seats. "
                    "Elections were held to elect 39 deputies.")
    assert "ELECTION_PROSE_CLAIM" not in codes(run(seed_like([29, 4, 3, 3]), right))
    # claims about an earlier election, outside the lead and the results, are not held
    history = article("Aq Jol won 5 seats.", sections=("Background",))
    assert "ELECTION_PROSE_CLAIM" not in codes(run(seed_like([29, 4, 3, 3]), history))


# --- legislatures -----------------------------------------------------------------------

def body(members: str, support: int = 17, leaf: int = 4) -> Records:
    groups = [PoliticalGroup(name="Government", seats=25, position=0, children=[
                  PoliticalGroup(name="Amanat", seats=25, position=1)]),
              PoliticalGroup(name="Support", seats=support, position=2, children=[
                  PoliticalGroup(name="Respublica", seats=13, position=3),
                  PoliticalGroup(name="Independents", seats=leaf, position=4)])]
    return Records(legislatures=[Legislature(infobox=0, members=parse_value(members, "members"),
                                             groups=groups)])


def test_group_sum():
    assert "LEGISLATURE_GROUP_SUM" in codes(run(body("42", leaf=3)))
    assert "LEGISLATURE_GROUP_SUM" not in codes(run(body("42")))


def test_members_sum():
    assert "LEGISLATURE_MEMBERS_SUM" in codes(run(body("43")))
    assert "LEGISLATURE_MEMBERS_SUM" not in codes(run(body("42")))


def test_prose_members():
    said = article("The Mäslihat is composed of 40 deputies.", sections=("Composition",))
    assert "LEGISLATURE_PROSE_MEMBERS" in codes(run(body("42"), said))
    said = article("The Mäslihat is composed of 42 deputies. Until 2021 it consisted of 37 "
                   "deputies.", sections=("Composition",))
    assert "LEGISLATURE_PROSE_MEMBERS" not in codes(run(body("42"), said))


# --- every infobox ----------------------------------------------------------------------

def fields(*pairs: tuple[str, str]) -> Records:
    from extractor.keys import canonical_key

    found = []
    for position, (key_raw, raw) in enumerate(pairs):
        key, index = canonical_key(key_raw)
        found.append(TypedField(infobox=0, template=None, position=position, line=position + 1,
                                key_raw=key_raw, key=key, index=index,
                                value=parse_value(raw, key)))
    return Records(fields=found)


def test_series_gap():
    gap = fields(("Party1", "A"), ("Party2", "B"), ("Party4", "D"))
    [f] = run(gap).by_rule("INFOBOX_SERIES_GAP")
    assert f.observed == "3"
    assert codes(run(fields(("Party1", "A"), ("Party2", "B"), ("Party3", "C")))) == []


def test_series_duplicate():
    recon = run(fields(("Seats2", "4"), ("seats 2", "5")))
    assert "INFOBOX_SERIES_DUPLICATE" in codes(recon)
    assert "INFOBOX_SERIES_DUPLICATE" not in codes(run(fields(("Seats2", "4"),
                                                              ("Seats3", "5"))))


def test_duplicate_key_last_wins():
    [f] = run(fields(("Members", "41"), ("Members", "42"))).by_rule("INFOBOX_DUPLICATE_KEY")
    assert f.observed == "42" and f.evidence["values"] == ["41", "42"]
    assert codes(run(fields(("Members", "42")))) == []


def test_residue():
    assert "INFOBOX_RESIDUE" in codes(run(fields(("Swing2", "10px10.3 pp"))))
    assert "INFOBOX_RESIDUE" not in codes(run(fields(("Swing2", "+10.3 pp"))))


def test_lost_value():
    assert "INFOBOX_LOST_VALUE" in codes(run(fields(("Meeting Place", "250px"))))
    assert "INFOBOX_LOST_VALUE" not in codes(run(fields(("Structure1 Res", "250px"))))


def test_untyped_numbers():
    assert "INFOBOX_UNTYPED" in codes(run(fields(("Seats1", "many"))))
    assert "INFOBOX_UNTYPED" in codes(run(fields(("Popular Vote1", "1.234"))))
    assert "INFOBOX_UNTYPED" not in codes(run(fields(("Party1", "Nur Otan"))))


# --- tables -----------------------------------------------------------------------------

def table(rows: list[list[str]], columns: list[str]) -> tuple[Article, TypedTable]:
    cells = [[parse_value(c) for c in columns]] + [[parse_value(c) for c in r] for r in rows]
    typed = TypedTable(table=0, columns=columns, column_kinds=[], header_rows=1, cells=cells,
                       cell_columns=[[""] * len(columns)] + [columns] * len(rows))
    raw = Table(rows=[Row(cells=[Cell(text=c) for c in r], line=i + 1)
                      for i, r in enumerate([columns, *rows])], line=1, end_line=len(rows) + 1)
    art = article()
    art.tables = [raw]
    return art, typed


def test_table_total():
    art, typed = table([["A", "10", "40.0%"], ["B", "15", "60.0%"], ["Total", "26", "100%"]],
                       ["Party", "Votes", "%"])
    [f] = run(Records(tables=[typed]), art).by_rule("TABLE_TOTAL")
    assert (f.observed, f.expected) == ("25", "26")
    art, typed = table([["A", "10", "40.0%"], ["B", "15", "60.0%"], ["Total", "25", "100%"]],
                       ["Party", "Votes", "%"])
    assert codes(run(Records(tables=[typed]), art)) == []


def test_table_total_of_decimals_within_rounding():
    rows = [["A", "44.52"], ["B", "31.88"], ["C", "23.61"], ["Total", "100.00"]]
    art, typed = table(rows, ["Party", "Share"])
    assert codes(run(Records(tables=[typed]), art)) == []
    rows[2][1] = "23.31"
    art, typed = table(rows, ["Party", "Share"])
    assert codes(run(Records(tables=[typed]), art)) == ["TABLE_TOTAL"]


def test_table_infobox_mismatch():
    art, typed = table([["A", "Jane Roe", "7"]], ["Party", "Leader", "Seats"])
    infobox = election(row(1, "A", seats="7", leader="John Doe"))
    [f] = run(Records(elections=[infobox], tables=[typed]), art).by_rule(
        "TABLE_INFOBOX_MISMATCH")
    assert f.evidence["infobox_field"] == "leader"
    infobox = election(row(1, "A", seats="7", leader="Jane Roe"))
    assert codes(run(Records(elections=[infobox], tables=[typed]), art)) == []


# --- the reconciler itself --------------------------------------------------------------

def test_internal_failure_is_a_finding_not_a_crash(monkeypatch):
    import extractor.reconcile as reconcile_module

    def broken(_fields):
        raise RuntimeError("boom")

    monkeypatch.setattr(reconcile_module, "infobox_findings", broken)
    assert codes(run(fields(("Members", "42")))) == ["RECONCILE_INTERNAL"]
    monkeypatch.undo()
    assert codes(run(fields(("Members", "42")))) == []


TESTED = {
    "ELECTION_SEAT_SUM", "ELECTION_MAJORITY", "ELECTION_PERCENT_SUM", "ELECTION_PERCENT_REST",
    "ELECTION_VOTES_PERCENT", "ELECTION_SEAT_CHANGE", "ELECTION_PREVIOUS_NEGATIVE",
    "ELECTION_SIGN_DERIVED", "ELECTION_SEATS_CANDIDATES", "ELECTION_PROSE_MAJORITY",
    "ELECTION_PROSE_CLAIM", "LEGISLATURE_GROUP_SUM", "LEGISLATURE_MEMBERS_SUM",
    "LEGISLATURE_PROSE_MEMBERS", "INFOBOX_SERIES_GAP", "INFOBOX_SERIES_DUPLICATE",
    "INFOBOX_DUPLICATE_KEY", "INFOBOX_RESIDUE", "INFOBOX_LOST_VALUE", "INFOBOX_UNTYPED",
    "TABLE_TOTAL", "TABLE_INFOBOX_MISMATCH", "RECONCILE_INTERNAL",
}


def test_every_rule_of_the_catalogue_is_tested_here():
    assert set(RULES) == TESTED


@pytest.mark.parametrize("code", sorted(RULES))
def test_catalogue_entries_are_complete(code):
    rule = RULES[code]
    assert rule.code == code and rule.severity in ("error", "warning", "info")
    assert rule.template and rule.description and rule.tolerance


def test_catalogue_rows_for_the_readme():
    from extractor.reconcile.rules import catalogue_rows

    rows = catalogue_rows()
    assert [r["code"] for r in rows] == list(RULES)
    assert rows[0]["code"] == "ELECTION_SEAT_SUM" and rows[0]["severity"] == "error"


def test_keys_written_two_ways_collide():
    [f] = run(fields(("Members", "41"), ("members", "42"))).by_rule("INFOBOX_DUPLICATE_KEY")
    assert f.observed == "42" and "Members / members appears 2 times" in f.message


def test_seats_before_are_not_the_base_of_a_seat_change():
    changed = row(1, "A", seats="411", change="+209", last="205")
    changed.sources = {"last_election": ("seats_before1", 7)}  # at dissolution, not notional
    assert codes(run(Records(elections=[election(changed)]))) == []
    changed.sources = {"last_election": ("last_election1", 7)}
    assert codes(run(Records(elections=[election(changed)]))) == ["ELECTION_SEAT_CHANGE"]


def test_claims_about_a_candidate_reach_the_row():
    rows = [row(1, "Party A", pct="52.0%", candidate="Jane Roe"),
            row(2, "Party B", pct="48.0%", candidate="John Doe")]
    said = article("Jane Roe won 55.0% of the vote.")
    [f] = run(Records(elections=[election(*rows)]), said).by_rule("ELECTION_PROSE_CLAIM")
    assert f.subject == "election[0].result[1]"
