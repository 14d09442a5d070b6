"""One article written in both input forms gives the same typed records and the same findings
through both parse paths: everything after parsing is shared."""

from __future__ import annotations

import pytest

from extractor.model import Article
from extractor.parse.flat import parse_flat
from extractor.pipeline import process_article

from .conftest import FIXTURES

TWIN = FIXTURES / "twin"


def parse_twin(form: str) -> Article:
    if form == "flat":
        [article] = parse_flat((TWIN / "kestrel_election.txt").read_text(encoding="utf-8"), "k")
        return article
    from extractor.parse.wikitext import parse_wikitext

    text = (TWIN / "kestrel_election.wiki").read_text(encoding="utf-8")
    return parse_wikitext(text, title="2026 Kestrel Borough Council election",
                          doc_id="k#1", source="k")


def comparable(rows: dict[str, list[dict]]) -> dict[str, list[tuple]]:
    """The typed content of the rows, without what differs by form alone (ids, lines, raw
    markup, template names)."""
    keep = {
        "elections": ["name", "country", "type", "date", "seats_for_election", "chamber_size",
                      "majority", "turnout", "previous_year", "next_year", "n_results"],
        "election_results": ["index", "party", "leader", "seats", "seats_reconciled",
                             "seat_change", "votes", "percentage", "swing", "colour"],
        "findings": ["rule", "severity", "subject", "observed", "expected", "status"],
        "repairs": ["record", "field", "raw", "repaired", "method", "rule"],
    }
    return {
        table: sorted(tuple(row[c] for c in columns) for row in rows.get(table, []))
        for table, columns in keep.items()
    }


@pytest.mark.parametrize("form", ["flat", "wikitext"])
def test_each_form_finds_and_repairs_the_seat_error(form):
    rows = process_article(parse_twin(form))
    [repair] = rows["repairs"]
    assert (repair["field"], repair["raw"], repair["repaired"]) == ("seats", "16", "6")
    seat_sum = next(f for f in rows["findings"] if f["rule"] == "ELECTION_SEAT_SUM")
    assert seat_sum["severity"] == "error" and seat_sum["status"] == "repaired"


def test_both_forms_give_the_same_records_and_findings():
    flat = comparable(process_article(parse_twin("flat")))
    wikitext = comparable(process_article(parse_twin("wikitext")))
    assert flat["elections"] and flat["election_results"]
    for table in flat:
        assert wikitext[table] == flat[table], table
