"""The data-quality report builds from synthetic output tables, whole, partial or empty."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from extractor.contract import SCHEMAS
from extractor.errors import UsageError
from extractor.report import build_report, evidence_lines

CHROMIUM = Path("/usr/bin/chromium")


def _rows(table: str, rows: list[dict]) -> pd.DataFrame:
    """Rows padded to the contract's columns, in its order."""
    names = SCHEMAS[table].names
    return pd.DataFrame([{n: r.get(n) for n in names} for r in rows], columns=names)


def synthetic_tables() -> dict[str, pd.DataFrame]:
    articles = _rows("articles", [
        {"doc_id": "a.txt#0", "title": "2021 Almaty City Mäslihat election", "source": "a.txt",
         "format": "flat", "status": "ok", "n_findings": 3, "problems": "XML_BAD_REFERENCE*3"},
        {"doc_id": "a.txt#1", "title": "Almaty City Mäslihat", "source": "a.txt",
         "format": "flat", "status": "partial",
         "error": "TABLE_RAGGED: row 3 has 2 cells (line 40)",
         "problems": "TABLE_RAGGED;XML_BAD_REFERENCE", "n_findings": 1},
        {"doc_id": "b.wiki#0", "title": "Δημοτικό Συμβούλιο", "source": "b.wiki",
         "format": "wikitext", "status": "failed", "error": "NOT_UTF8: cannot decode (line 1)",
         "problems": "NOT_UTF8"},
    ])
    fields = _rows("infobox_fields", [
        {"doc_id": "a.txt#0", "key": "seats", "kind": "integer", "flags": ""},
        {"doc_id": "a.txt#0", "key": "turnout", "kind": "percent", "flags": ""},
        {"doc_id": "a.txt#0", "key": "swing", "kind": "pp", "flags": "residue"},
        {"doc_id": "a.txt#0", "key": "party", "kind": "text", "flags": ""},
        {"doc_id": "a.txt#1", "key": "successor", "kind": "empty", "flags": ""},
        {"doc_id": "a.txt#1", "key": "leader", "kind": "text",
         "flags": "unknown_template:nowrap;unknown_template:small"},
        {"doc_id": "b.wiki#0", "key": "date", "kind": "date", "flags": "unknown_template:nowrap"},
    ])
    tables = _rows("tables", [{"doc_id": "a.txt#0", "table": 0, "flags": "ragged;realigned"}])
    cells = _rows("table_cells", [
        {"doc_id": "a.txt#0", "table": 0, "row": 0, "col": 0, "header": True, "kind": "text"},
        {"doc_id": "a.txt#0", "table": 0, "row": 1, "col": 0, "header": False, "kind": "text"},
        {"doc_id": "a.txt#0", "table": 0, "row": 1, "col": 1, "header": False, "kind": "integer"},
    ])
    findings = _rows("findings", [
        {"doc_id": "a.txt#0", "rule": "ELECTION_SEAT_SUM", "severity": "error",
         "message": "The parties' seats add up to 50, but 39 seats were contested.",
         "status": "repaired"},
        {"doc_id": "a.txt#0", "rule": "ELECTION_PERCENT_SUM", "severity": "warning",
         "message": "Percentages add up to 93.2%.", "status": "open"},
        {"doc_id": "a.txt#0", "rule": "SERIES_GAP", "severity": "info",
         "message": "Series skips number 3.", "status": "open"},
        {"doc_id": "a.txt#1", "rule": "ELECTION_SEAT_SUM", "severity": "error",
         "message": "Seats add up to 44, chamber has 42.", "status": "ambiguous",
         "evidence": json.dumps({"candidates": [
             {"text": "Nur Otan 29 → 28", "survives": True,
              "supported_by": [{"family": "prose", "line": 4, "text": "…"}]},
             {"text": "Auyl 3 → 2", "survives": True}]})},
    ])
    repairs = _rows("repairs", [
        {"doc_id": "a.txt#0", "record": "election[0].result[1]", "field": "seats", "raw": "15",
         "repaired": "4", "method": "unique_minimal_repair", "confidence": 0.93,
         "rule": "ELECTION_SEAT_SUM",
         "evidence": json.dumps({"witnesses": [{"source": "dhondt", "seats": 4},
                                               {"source": "prose", "claim": "29 seats"}],
                                 "candidates": 1})},
    ])
    elections = _rows("elections", [{"doc_id": "a.txt#0", "infobox": 0, "name": "2021 election"}])
    return {"articles": articles, "infobox_fields": fields, "tables": tables,
            "table_cells": cells, "findings": findings, "repairs": repairs,
            "elections": elections}


def write_tables(out: Path, frames: dict[str, pd.DataFrame], fmt: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        if fmt == "parquet":
            table = pa.Table.from_pandas(frame, schema=SCHEMAS[name], preserve_index=False)
            pq.write_table(table, out / f"{name}.parquet")
        else:
            frame.to_csv(out / f"{name}.csv", index=False)


@pytest.fixture(params=["parquet", "csv"])
def full_out(request, tmp_path) -> Path:
    out = tmp_path / "out"
    write_tables(out, synthetic_tables(), request.param)
    return out


def test_report_counts(full_out):
    paths = build_report(full_out)
    assert set(paths) == {"html", "md", "json"} and all(p.exists() for p in paths.values())
    summary = json.loads(paths["json"].read_text(encoding="utf-8"))
    totals = summary["totals"]
    assert totals["articles"] == 3 and totals["infobox_fields"] == 7
    assert totals["tables"] == 1 and totals["table_cells"] == 3
    assert totals["findings"] == 4 and totals["repairs"] == 1
    assert totals["records"]["elections"] == 1 and totals["records"]["legislatures"] == 0
    assert summary["articles_by_status"] == {"ok": 1, "partial": 1, "failed": 1}
    assert summary["failed_articles"]["items"][0]["error"].startswith("NOT_UTF8")
    assert summary["failed_articles"]["by_code"] == {"NOT_UTF8": 1}
    assert summary["problems_by_code"] == {
        "XML_BAD_REFERENCE": {"articles": 2, "times": 4}, "NOT_UTF8": {"articles": 1, "times": 1},
        "TABLE_RAGGED": {"articles": 1, "times": 1}}
    # 6 non-empty values, 4 typed (integer, percent, pp, date).
    assert totals["typed_share"] == pytest.approx(4 / 6, abs=1e-4)
    assert summary["value_kinds"]["table_cells"]["total"] == 2  # header cell left out
    assert summary["findings_by_severity"] == {"error": 2, "warning": 1, "info": 1}
    seat_sum = summary["findings_by_rule"][0]
    assert seat_sum["rule"] == "ELECTION_SEAT_SUM"
    assert (seat_sum["error"], seat_sum["repaired"], seat_sum["ambiguous"]) == (2, 1, 1)
    worst = summary["worst_articles"]["items"]
    assert [w["doc_id"] for w in worst] == ["a.txt#0", "a.txt#1"]
    assert worst[0]["errors"] == 1 and worst[0]["warnings"] == 1
    unresolved = summary["unresolved_errors"]["items"]
    assert [(u["doc_id"], u["status"]) for u in unresolved] == [("a.txt#1", "ambiguous")]
    assert unresolved[0]["evidence_lines"] == [
        "Candidate (fits every witness): Nur Otan 29 → 28, supported by the prose at line 4",
        "Candidate (fits every witness): Auyl 3 → 2"]
    repair = summary["repairs"]["items"][0]
    assert repair["raw"] == "15" and repair["repaired"] == "4"
    assert "witnesses #1: source dhondt, seats 4" in repair["evidence_lines"]
    templates = {t["template"]: t for t in summary["unknown_templates"]["items"]}
    assert templates["nowrap"]["fields"] == 2 and templates["nowrap"]["articles"] == 2
    assert templates["small"]["fields"] == 1
    assert summary["flags"]["tables"] == {"ragged": 1, "realigned": 1}


def test_html_is_self_contained(full_out):
    page = build_report(full_out)["html"].read_text(encoding="utf-8")
    lowered = page.lower()
    assert "http" not in lowered and "<script src" not in lowered and "<link" not in lowered
    assert "<svg" in page and "What this report is" in page
    assert "ELECTION_SEAT_SUM" in page and "Δημοτικό Συμβούλιο" in page
    assert "unique_minimal_repair" in page and "nowrap" in page
    assert "Problems met reading the pages" in page and "XML_BAD_REFERENCE" in page


def test_markdown_has_every_section(full_out):
    text = build_report(full_out)["md"].read_text(encoding="utf-8")
    for heading in ("# Data-quality report", "## Totals", "## Findings by rule and severity",
                    "## Unresolved errors", "### Problems met reading the pages, by code",
                    "## Worst articles", "## Repairs", "## Unknown templates"):
        assert heading in text
    assert "`15` → `4`" in text


def test_missing_tables_still_render(tmp_path):
    paths = build_report(tmp_path / "nothing-here")
    summary = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert summary["totals"]["articles"] == 0 and summary["unknown_templates"] is None
    assert all(info["source"] == "missing" for info in summary["inputs"].values())
    assert "No findings" in paths["html"].read_text(encoding="utf-8")


def test_empty_and_broken_tables_still_render(tmp_path):
    out = tmp_path / "out"
    frames = {name: _rows(name, []) for name in SCHEMAS}
    write_tables(out, frames, "parquet")
    (out / "findings.parquet").write_bytes(b"not a parquet file")
    (out / "repairs.parquet").unlink()
    (out / "repairs.csv").write_text("", encoding="utf-8")
    summary = json.loads(build_report(out)["json"].read_text(encoding="utf-8"))
    assert summary["totals"]["findings"] == 0 and summary["totals"]["typed_share"] is None
    assert "could not be read" in summary["inputs"]["findings"]["note"]
    assert summary["inputs"]["repairs"]["source"] == "csv"


def test_fallback_on_article_finding_counts(tmp_path):
    out = tmp_path / "out"
    write_tables(out, {"articles": synthetic_tables()["articles"]}, "csv")
    summary = json.loads(build_report(out)["json"].read_text(encoding="utf-8"))
    assert [w["doc_id"] for w in summary["worst_articles"]["items"]] == ["a.txt#0", "a.txt#1"]


def test_long_lists_are_capped(tmp_path):
    out = tmp_path / "out"
    findings = _rows("findings", [{"doc_id": f"d#{i}", "rule": "R", "severity": "warning",
                                   "status": "open"} for i in range(120)])
    write_tables(out, {"findings": findings}, "parquet")
    summary = json.loads(build_report(out)["json"].read_text(encoding="utf-8"))
    assert len(summary["worst_articles"]["items"]) == 50
    assert summary["worst_articles"]["more"] == 70


def test_data_urls_are_not_links(tmp_path):
    out = tmp_path / "out"
    articles = _rows("articles", [{"doc_id": "x#0", "title": "See https://example.org",
                                   "status": "failed", "error": "E: http://bad"}])
    write_tables(out, {"articles": articles}, "parquet")
    page = build_report(out)["html"].read_text(encoding="utf-8")
    assert "http" not in page.lower() and "example.org" in page


def test_evidence_lines_are_readable():
    assert evidence_lines(None) == [] and evidence_lines("") == []
    assert evidence_lines("not json") == ["not json"]
    assert evidence_lines('{"method": "dhondt", "seats": [29, 4, 3, 3]}') == [
        "method: dhondt", "seats: 29, 4, 3, 3"]


def test_not_a_directory(tmp_path):
    file = tmp_path / "f"
    file.write_text("x")
    with pytest.raises(UsageError):
        build_report(file)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_renders_in_headless_chromium(tmp_path):
    out = tmp_path / "out"
    write_tables(out, synthetic_tables(), "parquet")
    html = build_report(out)["html"]
    shot, profile = tmp_path / "r.png", tmp_path / "profile"
    subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
                    f"--screenshot={shot}", "--window-size=1200,2000", html.as_uri()],
                   capture_output=True, timeout=120, check=False)
    assert shot.exists() and shot.stat().st_size > 20_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    shutil.rmtree(profile, ignore_errors=True)


def test_rule_descriptions_come_from_the_catalogue(full_out):
    rules = pytest.importorskip("extractor.reconcile.rules")
    summary = json.loads(build_report(full_out)["json"].read_text(encoding="utf-8"))
    by_code = {r["rule"]: r for r in summary["findings_by_rule"]}
    expected = getattr(rules.RULES.get("ELECTION_SEAT_SUM"), "description", "")
    assert by_code["ELECTION_SEAT_SUM"]["description"] == expected
    assert by_code["SERIES_GAP"]["description"] == getattr(rules.RULES.get("SERIES_GAP"),
                                                          "description", "")


def test_reads_parquet_datasets_of_parts(tmp_path):
    """The sinks write OUT/<table>/part-NNNNN.parquet; parts are stacked, a damaged one skipped."""
    out = tmp_path / "out"
    findings = synthetic_tables()["findings"]
    (out / "findings").mkdir(parents=True)
    for i, part in enumerate((findings.iloc[:2], findings.iloc[2:])):
        table = pa.Table.from_pandas(part, schema=SCHEMAS["findings"], preserve_index=False)
        pq.write_table(table, out / "findings" / f"part-{i:05d}.parquet")
    (out / "findings" / "part-00002.parquet").write_bytes(b"broken")
    summary = json.loads(build_report(out)["json"].read_text(encoding="utf-8"))
    assert summary["totals"]["findings"] == 4
    assert summary["findings_by_severity"] == {"error": 2, "warning": 1, "info": 1}
    note = summary["inputs"]["findings"]["note"]
    assert "findings/part-00002.parquet could not be read" in note and "2 of 3 parts" in note


def test_witness_evidence_reads_as_sentences():
    prose = {"family": "prose", "kind": "majority_seats", "line": 60, "number": 29.0,
             "party": "Nur Otan", "section": "", "text": "The Nur Otan won 29 seats."}
    evidence = {
        "supported_by": [prose, {**prose, "reading": "holds a majority", "majority": 20},
                         {"family": "apportionment", "seats": 39, "threshold": 7.0,
                          "parties": ["Nur Otan", "Aq Jol"], "votes": [218003, 32367],
                          "methods": {"dhondt": [35, 4], "sainte_lague": [35, 4],
                                      "largest_remainder": [34, 5]}},
                         {"family": "table", "table": 0, "row": 1, "column": "Seats",
                          "value": 29, "party": "Nur Otan"}],
        "raw_value_in_table": [{"table": 0, "row": 5, "column": "No. of candidates",
                                "value": 15}],
        "rejected": [{"text": "Nur Otan 29 → 18", "survives": False,
                      "contradicted_by": [prose, {"family": "apportionment"}]}],
        "note": "kept",
    }
    lines = evidence_lines(json.dumps(evidence))
    assert lines[0] == ("Supported by the prose (line 60): “The Nur Otan won 29 seats.” — "
                        "Nur Otan: 29 seats; Nur Otan holds a majority (20 seats needed)")
    assert lines[1] == ("Supported by seats recomputed from the votes (39 seats, 7% threshold): "
                        "D'Hondt and Sainte-Laguë give Nur Otan 35, Aq Jol 4; "
                        "largest remainder gives Nur Otan 34, Aq Jol 5")
    assert lines[2] == ("Supported by the article's table 0 (row 1, column “Seats”): "
                        "Nur Otan 29")
    assert lines[3].startswith("The raw value 15 stands in the article's table 0, row 5")
    assert lines[4] == ("Rejected alternative: Nur Otan 29 → 18, contradicted by the prose at "
                        "line 60 and seats recomputed from the votes")
    assert lines[5] == "note: kept"


def test_tables_with_missing_columns_and_odd_values(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "findings.csv").write_text("doc_id,rule\nx#0,R1\nx#0,\n", encoding="utf-8")
    (out / "infobox_fields.csv").write_text(
        'doc_id,kind,flags\nx#0,,"unknown_template:;;residue"\nx#0,integer,"a:b:c"\n',
        encoding="utf-8")
    (out / "repairs.csv").write_text(
        "doc_id,raw,repaired,confidence,evidence\nx#0,<b>1</b>,2,high,[1\n", encoding="utf-8")
    paths = build_report(out)
    summary = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert summary["totals"]["findings"] == 2
    assert summary["findings_by_severity"]["(none)"] == 2
    assert summary["flags"]["infobox_fields"] == {"a": 1, "residue": 1, "unknown_template": 1}
    assert summary["repairs"]["items"][0]["evidence_lines"] == ["[1"]
    assert summary["repairs"]["items"][0]["confidence"] is None
    page = paths["html"].read_text(encoding="utf-8")
    assert "&lt;b&gt;1&lt;/b&gt;" in page and "<b>1</b>" not in page
