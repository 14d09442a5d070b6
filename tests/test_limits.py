"""Per-article limits: a pathological page becomes a `partial` or `failed` article that names the
limit it met, in bounded time and memory, and the pages beside it are untouched."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from extractor.limits import (
    DEFAULT_LIMITS,
    ArticleTimeout,
    Limits,
    deadline,
    flatten_deep,
)
from extractor.pipeline import process_units
from extractor.run import extract
from extractor.sources import Unit

NEIGHBOUR = "{{Infobox settlement\n| name = Neighbour\n| population_total = 1,234\n}}\n"


def wikitext_unit(text: str, title: str = "Page") -> Unit:
    return Unit(source=f"{title}.wiki", format="wikitext", text=text, title=title,
                doc_id=f"{title}.wiki#1")


def one_article(text: str, limits: Limits = DEFAULT_LIMITS, **kwargs) -> tuple[dict, dict]:
    rows, _ = process_units([wikitext_unit(text)], limits=limits, **kwargs)
    return rows["articles"][0], rows


def nested(depth: int) -> str:
    return "{{Infobox x\n| a = " + "{{x|" * depth + "y" + "}}" * depth + "\n| b = 2\n}}\n"


def test_ten_thousand_nested_templates_are_read_as_text_and_named():
    started = time.perf_counter()
    article, rows = one_article(nested(10_000))
    assert time.perf_counter() - started < 10
    assert article["status"] == "partial"
    assert article["error"].startswith("LIMIT_DEPTH")
    fields = {r["key"]: r for r in rows["infobox_fields"]}
    assert fields["b"]["text"] == "2"  # the field after the deep one survives
    # the templates past the limit were read as text, and the source is given back whole
    assert fields["a"]["raw"] == "{{x|" * 10_000 + "y" + "}}" * 10_000
    assert "&#123;" not in fields["a"]["text"]


def test_nesting_within_the_limit_is_untouched():
    article, _ = one_article(nested(15))
    assert article["status"] == "ok"
    assert flatten_deep("{{a|{{b}}}}", 5) == "{{a|{{b}}}}"


@pytest.mark.parametrize("levels", [0, 1, 3, 25])
def test_the_parser_measures_how_deep_templates_nest(levels):
    from extractor.parse.wikitext import template_spans

    text = "}} stray " + "{{t|" * levels + "}}" * levels + " {{flat}} {{flat}} {{unclosed"
    depth: list[int] = []
    template_spans(text, [], depth)
    assert depth == [max(levels, 1)]


def test_a_hundred_thousand_row_table_stops_at_the_cell_limit():
    rows = "".join(f"|-\n| r{i} || {i}\n" for i in range(100_000))
    text = NEIGHBOUR + "{| class=wikitable\n! a !! b\n" + rows + "|}\n"
    limits = Limits(table_cells=2_000)
    article, out = one_article(text, limits)
    assert article["status"] == "partial"
    assert article["error"].startswith("LIMIT_TABLE_CELLS")
    assert len(out["table_cells"]) <= 2_000
    assert len(out["table_cells"]) >= 1_900
    assert article["bytes"] == len(text)
    assert any(r["key"] == "population_total" for r in out["infobox_fields"])


def test_an_over_size_article_is_read_up_to_the_limit():
    body = "Filler line of prose about nothing in particular.\n" * 40_000  # ~2 MB
    article, out = one_article(NEIGHBOUR + body, Limits(article_mb=0.5))
    assert article["status"] == "partial"
    assert article["error"].startswith("LIMIT_ARTICLE_SIZE")
    assert article["bytes"] == len(NEIGHBOUR + body)
    assert {r["key"] for r in out["infobox_fields"]} >= {"name", "population_total"}


def test_an_over_size_flat_article_keeps_its_neighbours():
    small = "= Small =\n- Key: 1\n\nProse.\n"
    big = "= Big =\n- Key: 2\n\n" + "A long line of prose.\n" * 50_000
    unit = Unit(source="many.txt", format="flat", text=small + big)
    rows, _ = process_units([unit], limits=Limits(article_mb=0.2))
    articles = {r["title"]: r for r in rows["articles"]}
    assert articles["Small"]["status"] == "ok"
    assert articles["Big"]["status"] == "partial"
    assert articles["Big"]["error"].startswith("LIMIT_ARTICLE_SIZE")


def test_the_deadline_is_not_swallowed_by_a_broad_except():
    started = time.perf_counter()
    with pytest.raises(ArticleTimeout), deadline(0.05):
        while True:
            try:
                sum(range(10_000))
            except Exception:  # noqa: BLE001 - the point: a careless handler does not hide it
                pass
    assert time.perf_counter() - started < 2


def test_no_deadline_fires_after_the_block():
    with deadline(0.01):
        pass
    time.sleep(0.05)  # a stray timer would raise here


def test_parsing_past_the_time_limit_is_a_failed_article():
    rows = "".join(f"|-\n| r{i} || {i}\n" for i in range(20_000))
    slow = wikitext_unit("{|\n" + rows + "|}\n", "Slow")
    fine = wikitext_unit(NEIGHBOUR, "Fine")
    out, _ = process_units([slow, fine], limits=Limits(seconds=0.001))
    status = {r["title"]: (r["status"], r["error"] or "") for r in out["articles"]}
    assert status["Slow"][0] == "failed" and status["Slow"][1].startswith("LIMIT_TIME")
    # a 1 ms budget may stop even a small page, in parsing (failed) or in typing (partial)
    assert status["Fine"][0] == "ok" or status["Fine"][1].startswith("LIMIT_TIME")


def test_typing_past_the_time_limit_keeps_raw_rows(monkeypatch):
    from extractor import pipeline

    # Reconciling runs under the same limit as typing. It is the step patched because the
    # compiled pipeline calls build_records directly (both are hot modules of one build),
    # where it looks reconcile up by name.
    real = pipeline.reconcile

    def slow_reconcile(article, records):
        time.sleep(0.5)
        return real(article, records)

    monkeypatch.setattr(pipeline, "reconcile", slow_reconcile)
    article, rows = one_article(NEIGHBOUR, Limits(seconds=0.1))
    assert article["status"] == "partial"
    assert article["error"].startswith("LIMIT_TIME")
    assert {r["flags"] for r in rows["infobox_fields"]} == {"typing_stopped"}


def test_limits_through_the_cli_run(tmp_path):
    page = tmp_path / "deep.wiki"
    page.write_text(nested(500), encoding="utf-8")
    (tmp_path / "fine.wiki").write_text(NEIGHBOUR, encoding="utf-8")
    extract([str(tmp_path)], out_dir=tmp_path / "out", fmt="parquet", report=False,
            limits=Limits(depth=10))
    articles = pd.read_parquet(tmp_path / "out" / "articles").set_index("title")
    assert articles.loc["deep", "status"] == "partial"
    assert articles.loc["fine", "status"] == "ok"

