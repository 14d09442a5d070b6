"""The command line as a user runs it: a subprocess, real files, real output folders."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from extractor.contract import SCHEMAS

from .conftest import FIXTURES


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "extractor", *args], capture_output=True, text=True, timeout=300
    )
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


@pytest.mark.parametrize("command", [[], ["extract"], ["report"], ["explain"]])
def test_help_on_every_command(command):
    result = run(*command, "--help")
    assert "usage: extractor" in result.stdout


@pytest.fixture(scope="module")
def fixtures_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = run("extract", str(FIXTURES / "flat"), str(FIXTURES / "seeds"),
                 str(FIXTURES / "bad"), "-o", str(out), "--jobs", "1", check=False)
    # fixtures/bad holds files that cannot be read: the run finishes and says so in its status
    assert result.returncode == 1, result.stderr
    assert "article(s) failed" in result.stderr and "Traceback" not in result.stderr
    return out, result.stdout


def test_extract_writes_every_table_in_both_formats(fixtures_out):
    out, summary = fixtures_out
    for table, schema in SCHEMAS.items():
        frame = pd.read_csv(out / f"{table}.csv")
        assert list(frame.columns) == schema.names
        parquet = pd.read_parquet(out / table)
        assert list(parquet.columns) == schema.names
        assert len(parquet) == len(frame)
    assert "articles" in summary and "findings" in summary
    for name in ("report.html", "report.md", "report.json"):
        assert (out / name).is_file()


def test_every_article_is_a_row_with_its_status(fixtures_out):
    out, _ = fixtures_out
    articles = pd.read_csv(out / "articles.csv")
    by_source = articles.groupby(articles["source"].str.rsplit("/", n=1).str[-1])
    statuses = {name: sorted(group["status"]) for name, group in by_source}
    assert statuses["middle_broken.txt"] == ["ok", "ok", "partial"]
    assert statuses["empty.txt"] == ["failed"]
    assert statuses["no_title.txt"] == ["failed"]
    assert statuses["latin1.txt"] == ["partial"]  # its bad bytes replaced and flagged
    assert statuses["multi_three.txt"] == ["ok", "ok", "ok"]
    broken = articles[articles["source"].str.endswith("broken_table.txt")].iloc[0]
    assert broken["status"] == "partial" and "line 10" in broken["error"]
    latin = articles[articles["source"].str.endswith("latin1.txt")].iloc[0]
    assert "UTF-8" in latin["error"] or "utf-8" in latin["error"]


def test_seed_election_tables(fixtures_out):
    out, _ = fixtures_out
    fields = pd.read_parquet(out / "infobox_fields")
    seed = fields[fields["doc_id"] == "003_722fa157b06a1392.txt#1"]
    assert len(seed) == 53
    results = pd.read_parquet(out / "election_results")
    aq_jol = results[(results["doc_id"] == "003_722fa157b06a1392.txt#1")
                     & (results["party"] == "Aq Jol")].iloc[0]
    assert aq_jol["seats"] == 15 and aq_jol["seats_reconciled"] == 4
    cells = pd.read_parquet(out / "table_cells")
    assert len(cells[cells["doc_id"] == "003_722fa157b06a1392.txt#1"]) == 6 * 9


def test_format_choice(tmp_path):
    run("extract", str(FIXTURES / "seeds"), "-o", str(tmp_path / "c"), "--format", "csv",
        "--no-report", "--quiet", "--jobs", "1")
    assert (tmp_path / "c" / "articles.csv").is_file()
    assert not (tmp_path / "c" / "articles").exists()
    run("extract", str(FIXTURES / "seeds"), "-o", str(tmp_path / "p"), "--format", "parquet",
        "--no-report", "--quiet", "--jobs", "1")
    assert not (tmp_path / "p" / "articles.csv").exists()
    assert len(pd.read_parquet(tmp_path / "p" / "articles")) == 2


def test_glob_and_missing_inputs(tmp_path):
    run("extract", str(FIXTURES / "seeds" / "*.txt"), "-o", str(tmp_path), "--quiet",
        "--no-report", "--jobs", "1")
    assert len(pd.read_csv(tmp_path / "articles.csv")) == 2
    missing = run("extract", str(tmp_path / "nothing-here"), "-o", str(tmp_path / "x"),
                  check=False)
    assert missing.returncode == 2
    assert "extractor: error:" in missing.stderr and "Traceback" not in missing.stderr


def test_failed_articles_set_the_exit_status_unless_told_not_to(tmp_path):
    empty = tmp_path / "empty.wiki"
    empty.write_bytes(b"")
    args = ("extract", str(empty), str(FIXTURES / "seeds"), "--quiet", "--no-report", "-j", "1")
    assert run(*args, "-o", str(tmp_path / "a"), check=False).returncode == 1
    assert run(*args, "-o", str(tmp_path / "b"), "--fail-on", "never").returncode == 0
    assert run("extract", str(FIXTURES / "seeds"), "-o", str(tmp_path / "c"), "--quiet",
               "--no-report", "-j", "1").returncode == 0


def test_fail_on_error(tmp_path):
    # the seed's seat error is repaired: no error remains
    clean = run("extract", str(FIXTURES / "seeds"), "-o", str(tmp_path / "a"), "--quiet",
                "--no-report", "--fail-on", "error", "--jobs", "1", check=False)
    assert clean.returncode == 0
    # 8 + 8 seats of 10, and nothing to tell which row is wrong: the error stays open
    ambiguous = tmp_path / "ambiguous.txt"
    ambiguous.write_text(
        "= 2030 Example election =\n\nInfobox\n- Election Name: 2030 Example election\n"
        "- Election Date: 1 May 2030\n- Seats For Election: All 10 seats in X\n"
        "- Party1: A\n- Seats1: 8\n- Party2: B\n- Seats2: 8\n",
        encoding="utf-8",
    )
    failing = run("extract", str(ambiguous), "-o", str(tmp_path / "b"), "--quiet",
                  "--no-report", "--fail-on", "error", "--jobs", "1", check=False)
    assert failing.returncode == 3
    findings = pd.read_csv(tmp_path / "b" / "findings.csv")
    seat_sum = findings[findings["rule"] == "ELECTION_SEAT_SUM"].iloc[0]
    assert seat_sum["status"] == "ambiguous"


def test_explain_prints_records_findings_and_repairs():
    result = run("explain", str(FIXTURES / "seeds" / "003_722fa157b06a1392.txt"))
    assert "ELECTION_SEAT_SUM" in result.stdout
    assert "15 -> 4" in result.stdout


def test_report_command_rebuilds(fixtures_out):
    out, _ = fixtures_out
    (out / "report.json").unlink()
    result = run("report", str(out))
    assert (out / "report.json").is_file()
    assert "report.html" in result.stdout


def test_only_infoboxes_skips_tables_but_keeps_the_witnesses(tmp_path):
    run("extract", str(FIXTURES / "twin"), str(FIXTURES / "wikitext"), "-o", str(tmp_path),
        "--only", "infoboxes", "--quiet", "--no-report", "--jobs", "1", "--fail-on", "never")
    assert len(pd.read_csv(tmp_path / "table_cells.csv")) == 0
    assert len(pd.read_csv(tmp_path / "infobox_fields.csv")) > 0
    repairs = pd.read_csv(tmp_path / "repairs.csv")
    # both forms of the election: the prose and the candidates table still weigh in
    assert sorted(repairs["doc_id"]) == ["kestrel_election.txt#1", "kestrel_election.wiki#1"]
    evidence = repairs[repairs["doc_id"] == "kestrel_election.wiki#1"].iloc[0]["evidence"]
    assert '"family": "prose"' in evidence and "No. of candidates" in evidence
