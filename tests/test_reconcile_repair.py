"""The repair step: unique repairs, ambiguity, follow-ons reported once, cost of a no-op."""

from __future__ import annotations

import time

from extractor.model import Article
from extractor.reconcile import reconcile, reconciled_value
from extractor.reconcile.repair import Candidate, Constraint, Witness, rank
from extractor.schemas.registry import Records
from tests.test_reconcile_rules import article, body, codes, election, row, seed_like


def test_follow_on_prose_finding_is_not_reported_twice():
    text = "The Nur Otan won majority of 29 seats in the Mäslihat."
    recon = reconcile(article(text), seed_like([40, 4, 3, 3]))
    [f] = [f for f in recon.findings if f.severity != "info"]
    assert (f.rule, f.status) == ("ELECTION_SEAT_SUM", "repaired")
    assert "ELECTION_PROSE_MAJORITY" in f.evidence["also_explains"]
    assert reconciled_value(recon, "election[0].result[1]", "seats") == "29"


def test_without_witnesses_two_candidates_stay_ambiguous():
    rows = [row(1, "Nur Otan", seats="29"), row(2, "Aq Jol", seats="15"),
            row(3, "Auyl", seats="3"), row(4, "QHP", seats="3")]
    recon = reconcile(article(), Records(elections=[election(*rows, seats_for="All 39 seats",
                                                             majority="20")]))
    [f] = recon.by_rule("ELECTION_SEAT_SUM")
    assert f.status == "ambiguous" and recon.repairs == []
    assert [c["text"] for c in f.evidence["candidates"]] == ["Nur Otan 29 → 18",
                                                             "Aq Jol 15 → 4"]
    assert "Candidates: Nur Otan 29 → 18; Aq Jol 15 → 4." in f.message


def test_one_wrong_cell_breaking_two_constraints_is_one_finding():
    rows = [row(1, "A", seats="12", change="+3", last="5"), row(2, "B", seats="31")]
    recon = reconcile(article(), Records(elections=[election(*rows, seats_for="All 39 seats",
                                                             majority="20")]))
    assert [f.rule for f in recon.findings if f.severity == "error"] == ["ELECTION_SEAT_SUM"]
    [f] = recon.by_rule("ELECTION_SEAT_SUM")
    assert f.status == "repaired" and f.evidence["also_explains"] == ["ELECTION_SEAT_CHANGE"]
    assert reconciled_value(recon, "election[0].result[1]", "seats") == "8"


def test_seats_for_election_repaired_when_the_majority_agrees_with_the_rows():
    recon = reconcile(article(), seed_like([29, 4, 3, 3], majority="20").model_copy())
    assert codes(recon) == ["ELECTION_PERCENT_REST"]
    records = seed_like([29, 4, 3, 3])
    records.elections[0].seats_for_election = election(
        seats_for="All 37 seats").seats_for_election
    recon = reconcile(article(), records)
    [r] = recon.repairs
    assert (r.record, r.field, r.raw, r.repaired) == ("election[0]", "seats_for_election",
                                                      "All 37 seats", "39")
    [f] = [f for f in recon.findings if f.severity == "error"]
    assert f.evidence["also_explains"] == ["ELECTION_MAJORITY"]


def test_members_repaired_from_the_prose():
    said = article("The Mäslihat is composed of 42 deputies.", sections=("Composition",))
    recon = reconcile(said, body("43"))
    [r] = recon.repairs
    assert (r.record, r.field, r.raw, r.repaired) == ("legislature[0]", "members", "43", "42")
    assert r.evidence["supported_by"][0]["family"] == "prose"
    assert "LEGISLATURE_PROSE_MEMBERS" not in codes(recon)


def test_a_single_candidate_breaking_a_direct_statement_is_not_applied():
    cell = ("r", "seats")
    constraint = Constraint("C", (cell,), lambda v: v[cell] == 5, lambda c, v: [5])
    said = Witness("prose", True, {"family": "prose"}, lambda v: v[cell] == 7)
    outcome = rank([Candidate({cell: 5})], [said], {cell: 7})
    assert outcome.unique is None and constraint.code == "C"


def test_an_article_without_records_costs_microseconds():
    empty = Article(doc_id="t#1", title="T", source="t", format="flat")
    records = Records()
    start = time.perf_counter()
    for _ in range(2000):
        reconcile(empty, records)
    assert (time.perf_counter() - start) / 2000 < 50e-6


def test_records_are_named_by_their_infobox():
    records = seed_like([29, 15, 3, 3])
    records.elections[0].infobox = 2
    recon = reconcile(article("The Nur Otan won majority of 29 seats."), records)
    [r] = recon.repairs
    assert r.record == "election[2].result[2]"
    assert recon.by_rule("ELECTION_SEAT_SUM")[0].subject == "election[2]"


def test_two_independent_errors_are_two_findings_and_one_two_cell_repair():
    text = ("The election was held to elect 39 deputies. The Nur Otan won majority of 29 "
            "seats. Parties need a 7% threshold.")
    recon = reconcile(article(text), seed_like([29, 15, 3, 3], majority="21"))
    errors = [f for f in recon.findings if f.severity == "error"]
    assert [(f.rule, f.status) for f in errors] == [("ELECTION_SEAT_SUM", "repaired"),
                                                   ("ELECTION_MAJORITY", "repaired")]
    assert sorted((r.record, r.field, r.repaired, r.rule) for r in recon.repairs) == [
        ("election[0]", "majority", "20", "ELECTION_MAJORITY"),
        ("election[0].result[2]", "seats", "4", "ELECTION_SEAT_SUM")]


def test_two_cell_candidates_left_ambiguous_are_each_reported():
    text = "The Nur Otan won majority of 29 seats. Parties need a 7% threshold."
    recon = reconcile(article(text), seed_like([29, 15, 3, 3], majority="21"))
    errors = [f for f in recon.findings if f.severity == "error"]
    assert [(f.rule, f.status) for f in errors] == [("ELECTION_SEAT_SUM", "ambiguous"),
                                                   ("ELECTION_MAJORITY", "ambiguous")]
    survivors = [c["text"] for c in errors[0].evidence["candidates"] if c["survives"]]
    assert survivors == ["majority 21 → 20, Aq Jol 15 → 4",
                         "seats_for_election 39 → 40, Aq Jol 15 → 5"]
    assert recon.repairs == []


def test_three_entangled_errors_are_reported_and_not_repaired():
    rows = [row(1, "A", seats="12", change="+3", last="5"), row(2, "B", seats="38")]
    recon = reconcile(article(), Records(elections=[election(*rows, seats_for="All 39 seats",
                                                             majority="21")]))
    errors = [f.rule for f in recon.findings if f.severity == "error"]
    assert errors == ["ELECTION_SEAT_SUM", "ELECTION_MAJORITY", "ELECTION_SEAT_CHANGE"]
    assert recon.repairs == []


def test_a_table_disagreement_resolved_by_the_repair_is_not_reported_again():
    from extractor.schemas.registry import TypedTable
    from extractor.values import parse_value

    names = ["Party", "Seats"]
    cells = [[parse_value(n) for n in names], [parse_value("Aq Jol"), parse_value("4")]]
    table = TypedTable(table=0, columns=names, column_kinds=[], header_rows=1, cells=cells,
                       cell_columns=[["", ""], names])
    records = seed_like([29, 15, 3, 3])
    records.tables = [table]
    recon = reconcile(article(), records)
    [r] = recon.repairs
    assert (r.record, r.repaired) == ("election[0].result[2]", "4")
    assert any(s["family"] == "table" for s in r.evidence["supported_by"])
    assert "TABLE_INFOBOX_MISMATCH" not in codes(recon)
    [f] = recon.by_rule("ELECTION_SEAT_SUM")
    assert "TABLE_INFOBOX_MISMATCH" in f.evidence["also_explains"]
