"""Golden typed values of the two seed articles, through the flat parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.contract import SCHEMAS
from extractor.parse.flat import parse_flat
from extractor.schemas.registry import ROW_TABLES, build_records, records_to_rows

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
ELECTION_SEED = SEEDS / "003_722fa157b06a1392.txt"
LEGISLATURE_SEED = SEEDS / "000_699f6157ae16f6ee.txt"


def _records(path: Path):
    (article,) = parse_flat(path.read_text(encoding="utf-8"), str(path))
    return article, build_records(article)


@pytest.fixture(scope="module")
def election_seed():
    article, records = _records(ELECTION_SEED)
    return records, records_to_rows(article.doc_id, records)


@pytest.fixture(scope="module")
def legislature_seed():
    article, records = _records(LEGISLATURE_SEED)
    return records, records_to_rows(article.doc_id, records)


def _field(records, key, index=None):
    (found,) = [f for f in records.fields if f.key == key and f.index == index]
    return found.value


def test_election_infobox_is_an_election(election_seed):
    records, _ = election_seed
    assert records.schema_of_infobox == ["election"]
    (election,) = records.elections
    assert election.date.date == "2021-01-10"
    assert election.date.date_precision == "day"
    assert election.seats_for_election.number == 39
    assert election.majority.number == 20
    assert election.turnout.kind == "percent" and election.turnout.number == 30.25


def test_election_row(election_seed):
    _, rows = election_seed
    (row,) = rows["elections"]
    assert row["name"] == "2021 Almaty City Mäslihat election"
    assert row["date"] == "2021-01-10"
    assert row["seats_for_election"] == 39
    assert row["chamber_size"] == 39
    assert row["majority"] == 20
    assert row["turnout"] == 30.25
    assert row["previous_year"] == 2016 and row["next_year"] == 2023
    assert row["n_results"] == 4


def test_result_rows_keep_the_gap(election_seed):
    _, rows = election_seed
    results = rows["election_results"]
    assert [r["index"] for r in results] == [1, 2, 4, 5]
    assert [r["votes"] for r in results] == [218003, 32367, 24591, 23388]
    assert [r["seats"] for r in results] == [29, 15, 3, 3]
    assert [r["seats_reconciled"] for r in results] == [29, 15, 3, 3]
    assert [r["percentage"] for r in results] == [68.11, 10.11, 7.68, 7.31]
    assert [r["party"] for r in results] == [
        "Nur Otan", "Aq Jol", "Auyl", "People's Party of Kazakhstan"]
    assert results[0]["leader_since"] == "2019-07-05"
    assert results[2]["last_election"] == "new" and results[2]["seat_change"] == 3


def test_aq_jol_swing_and_colours(election_seed):
    records, rows = election_seed
    swing = records.elections[0].results[1].swing
    assert swing.kind == "pp" and swing.number == pytest.approx(10.3)
    assert "residue" in swing.flags
    aq_jol = rows["election_results"][1]
    assert aq_jol["swing"] == pytest.approx(10.3)
    assert "residue" in aq_jol["flags"].split(";")
    assert rows["election_results"][2]["colour"] == "#0A5B2D"
    assert aq_jol["colour"] == "#0A408A"


def test_provenance_of_result_fields(election_seed):
    records, _ = election_seed
    row = records.elections[0].results[2]
    assert row.sources["votes"][0] == "Popular Vote4"
    assert row.sources["colour"][0] == "Colour4"


def test_legislature_record(legislature_seed):
    records, rows = legislature_seed
    assert records.schema_of_infobox == ["legislature"]
    (row,) = rows["legislatures"]
    assert row["name"] == "Almaty City Mäslihat"
    assert row["members"] == 42
    assert row["house_type"] == "Unicameral"
    assert row["foundation"] == "1993-12-10"
    assert row["preceded_by"] == "Almaty City Soviet"
    assert row["last_election"] == "2023-03-19"
    assert row["next_election"] == "2028"
    assert row["n_groups"] == 8
    (leader,) = rows["legislature_leaders"]
    assert leader == {"doc_id": leader["doc_id"], "infobox": 0, "index": 1, "type": "Secretary",
                      "name": "Meyirjan Otynşiev", "party": "Amanat", "election": "2023-03-30"}


def test_next_election_is_a_year_and_meeting_place_lost(legislature_seed):
    records, _ = legislature_seed
    next_election = _field(records, "next_election", 1)
    assert next_election.kind == "date"
    assert (next_election.date, next_election.date_precision) == ("2028", "year")
    meeting_place = _field(records, "meeting_place")
    assert "lost_value" in meeting_place.flags


def test_maslihat_group_tree(legislature_seed):
    records, rows = legislature_seed
    body = records.legislatures[0]
    assert body.group_flags == []
    tree = [(g.name, g.seats, [(c.name, c.seats) for c in g.children]) for g in body.groups]
    assert tree == [
        ("Government", 25, [("Amanat", 25)]),
        ("Support", 17, [("Respublica", 5), ("People's Party", 3), ("Baytaq", 3),
                         ("Aq Jol", 2), ("Independents", 4)]),
    ]
    assert sum(g.seats for g in body.groups) == 42 == body.members.number
    parents = {r["name"]: r["parent"] for r in rows["legislature_groups"]}
    assert parents["Amanat"] == 0 and parents["Independents"] == 2
    assert parents["Government"] is None and parents["Support"] is None
    assert all(r["inferred"] for r in rows["legislature_groups"])


def test_parties_table_alignment(election_seed):
    records, rows = election_seed
    (table,) = records.tables
    assert table.section == "Parties"
    assert "realigned" in table.flags
    col = table.columns.index
    nur_otan = table.cells[1]
    assert nur_otan[col("Ideology")].text == "Big tent"
    assert nur_otan[col("Name")].text == "Nur Otan"
    candidates = nur_otan[col("No. of candidates")]
    assert candidates.kind == "integer" and candidates.number == 78
    registered = nur_otan[col("Registration date")]
    assert registered.kind == "date" and registered.date == "2020-11-18"
    assert table.cells[3][col("name_short")].text == "QHP"
    assert table.cells[3][col("Name")].text == "People's Party of Kazakhstan"
    assert any(name.endswith("swatch") for name in table.columns)
    assert table.column_kinds[col("No. of candidates")] == "integer"
    assert table.column_kinds[col("Registration date")] == "date"
    (meta,) = rows["tables"]
    assert meta["n_rows"] == 5 and meta["header_rows"] == 1


@pytest.mark.parametrize("seed", [ELECTION_SEED, LEGISLATURE_SEED])
def test_rows_carry_every_contract_column(seed):
    article, records = _records(seed)
    rows = records_to_rows(article.doc_id, records)
    assert set(rows) == set(ROW_TABLES)
    for table, table_rows in rows.items():
        names = set(SCHEMAS[table].names)
        for row in table_rows:
            assert set(row) == names, table
    assert len(rows["infobox_fields"]) == len(article.infoboxes[0].fields)
