"""The fault matrix, article side: huge and hostile pages through a whole run, each one a row in
`articles` that names what it met, in bounded time and memory, beside a normal page that comes
through untouched. (The source side — encodings, compressed and cut dumps, hostile XML — is in
test_fault_sources.py; outputs in test_output_safety.py; kill -9 and --resume in test_engine.py.)
"""

from __future__ import annotations

import resource
import subprocess
import sys

import pandas as pd
import pytest

from extractor.pipeline import process_units
from extractor.sources import Unit

from .conftest import fuzz_tally

NORMAL = "{{Infobox settlement\n| name = Normal\n| population_total = 1,234\n}}\nProse.\n"

HOSTILE = {
    # name: (wikitext, the problem code its article must carry, or None for ok)
    "fifty_mb_article": (
        NORMAL + "A line of prose that repeats to make a very large page.\n" * 900_000,
        "LIMIT_ARTICLE_SIZE"),
    "ten_thousand_nested_templates": (
        "{{Infobox x\n| a = " + "{{x|" * 10_000 + "}}" * 10_000 + "\n| b = 2\n}}\n",
        "LIMIT_DEPTH"),
    "nested_templates_in_a_table_cell": (
        "{|\n|-\n| " + "{{x|" * 10_000 + "}}" * 10_000 + " || b\n|}\n", "LIMIT_DEPTH"),
    "hundred_thousand_row_table": (
        "{| class=wikitable\n! a !! b\n" + "".join(f"|-\n| r{i} || {i}\n"
                                                 for i in range(100_000)) + "|}\n",
        "LIMIT_TABLE_CELLS"),
    "ten_thousand_nested_tables": ("{|\n|-\n| a\n" * 10_000 + "|}\n" * 10_000, "TABLE_TOO_DEEP"),
    "unclosed_braces": ("{{Infobox x\n| a = " + "{{" * 5_000 + "\n", "LIMIT_DEPTH"),
    "nested_links_refs_and_tags": (
        "[[" * 5_000 + "]]" * 5_000 + "<ref>" * 5_000 + "</ref>" * 5_000
        + "<div>" * 5_000 + "<!--" * 5_000, None),
    "one_five_mb_line": (NORMAL + "word " * 1_000_000, None),
    "ten_thousand_infoboxes": ("{{Infobox x\n| a = 1\n}}\n" * 10_000, None),
}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """Every hostile page and a normal one, in one CLI run with 2 workers (peak memory measured
    over the run's processes)."""
    folder = tmp_path_factory.mktemp("hostile")
    pages = folder / "in"
    pages.mkdir()
    for name, (text, _) in HOSTILE.items():
        (pages / f"{name}.wiki").write_text(text, encoding="utf-8")
    (pages / "normal.wiki").write_text(NORMAL, encoding="utf-8")
    out = folder / "out"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run(
        [sys.executable, "-m", "extractor", "extract", str(pages), "-o", str(out), "-j", "2",
         "--no-report", "--quiet"], capture_output=True, text=True, timeout=600)
    peak_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    articles = pd.read_parquet(out / "articles")
    articles.index = articles["source"].map(lambda source: source.rsplit("/", 1)[-1][:-5])
    fuzz_tally["fault cases"] += len(HOSTILE)
    fuzz_tally["articles in"] += len(articles)
    fuzz_tally["MB peak of the hostile run"] = round(peak_mb)
    return result, articles, peak_mb


def test_the_run_finishes_with_every_page_in_articles(hostile_run):
    result, articles, _ = hostile_run
    assert result.returncode == 0, result.stderr  # partial pages are not failures
    assert set(articles.index) == set(HOSTILE) | {"normal"}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_hostile_page_names_what_it_met(hostile_run, name):
    _, articles, _ = hostile_run
    row = articles.loc[name]
    code = HOSTILE[name][1]
    if code is None:
        assert row["status"] == "ok", row["error"]
    else:
        assert row["status"] == "partial"
        assert row["error"].startswith(code), row["error"]
    assert "INTERNAL_ERROR" not in str(row["error"])


def test_the_normal_page_beside_them_is_untouched(hostile_run):
    _, articles, _ = hostile_run
    assert articles.loc["normal", "status"] == "ok"
    assert articles.loc["normal", "n_fields"] == 2


def test_the_fifty_mb_page_keeps_its_size_and_infobox(hostile_run):
    _, articles, _ = hostile_run
    row = articles.loc["fifty_mb_article"]
    assert row["bytes"] == len(HOSTILE["fifty_mb_article"][0].encode())
    assert row["n_fields"] == 2


def test_memory_stays_bounded(hostile_run):
    *_, peak_mb = hostile_run
    # the largest single process (a 50 MB page is read whole before it is cut to 8 MB)
    assert peak_mb < 1024, f"peak {peak_mb:.0f} MB"


def test_a_bug_parsing_one_unit_fails_it_alone(monkeypatch):
    from extractor.parse import flat  # (the pipeline imports parse_flat from it when it runs)

    real = flat.parse_flat

    def broken_on_b(text, *args):
        if "= B =" in text:
            raise RuntimeError("a parser bug")
        return real(text, *args)

    monkeypatch.setattr(flat, "parse_flat", broken_on_b)
    units = [Unit(source=f"{t}.txt", format="flat", text=f"= {t} =\n- K: 1\n") for t in "ABC"]
    rows, _ = process_units(units)
    status = {r["source"]: (r["status"], r["error"] or "") for r in rows["articles"]}
    assert status["A.txt"][0] == status["C.txt"][0] == "ok"
    assert status["B.txt"][0] == "failed" and status["B.txt"][1].startswith("PARSE_INTERNAL")
