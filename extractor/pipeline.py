"""Orchestration: sources -> parse -> typed records -> reconciliation -> rows -> sinks.

`process_article` is the one pure per-article function; it is what runs in this process, in a
process pool, or on Dask workers. A bug met while processing one article is contained: the article
is reported `partial` with an INTERNAL_ERROR problem, its raw fields are still written, and the run
goes on.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.limits import (
    DEFAULT_LIMITS,
    ArticleTimeout,
    Limits,
    deadline,
    may_pass_cells,
    time_problem,
    within_limits,
)
from extractor.model import Article, Problem
from extractor.parse.page_scan import text_size
from extractor.parse.wikitext import parse_wikitext, utf8_length
from extractor.reconcile import reconcile
from extractor.schemas.registry import build_records, records_to_rows

Rows = dict[str, list[dict[str, Any]]]


def articles_from_unit(
    unit: Any, body: bool = True, prose: bool = True, limits: Limits = DEFAULT_LIMITS
) -> list[Article]:
    """One source unit (a flat file, a wikitext page) to its articles; unreadable units become
    a failed article carrying the source's problem. `body=False` reads only the infoboxes of a
    wikitext page, `prose=False` skips its paragraphs and bullets (the flat grammar always
    reads everything: it is one pass either way). Text past the `limits` is not parsed; the
    article it belongs to carries a LIMIT_* problem."""
    fatal = [p for p in unit.problems if p.severity == "fatal"]
    if fatal and not unit.text:
        return [unit_article(unit, unit.problems)]
    facts = (text_size(unit.text, may_pass_cells(len(unit.text), limits))
             if unit.format != "flat" else (0, 0, -1))  # one pass for the page's size, lines…
    text, limited = within_limits(unit.text, unit.format, limits, facts[2])
    if unit.format == "flat":
        # (imported here: the Lark grammar's import, ~45 ms, is no part of a dump run's start-up)
        from extractor.parse.flat import parse_flat

        articles = parse_flat(text, unit.source, unit.line,
                              getattr(unit, "first_article", 1), getattr(unit, "label", None))
        # a flat unit is cut before a title line once it is big, so an over-size one is
        # over-size because of its last article
        _note_limits(articles[-1], limited, unit.text[len(text):])
    else:
        articles = [
            parse_wikitext(
                text,
                title=unit.title or "",
                doc_id=unit.doc_id,
                source=unit.source,
                page_id=unit.page_id,
                body=body,
                prose=prose,
                max_depth=limits.depth,
                size=facts[:2] if text is unit.text else None,
            )
        ]
        _note_limits(articles[0], limited, unit.text[len(text):])
    for article in articles:
        article.problems[:0] = [p for p in unit.problems if p not in article.problems]
    return articles


def _note_limits(article: Article, limited: list[Problem], dropped: str) -> None:
    """The limits an article met go first (they explain what follows), and its size stays that
    of its whole text: the limits keep a prefix of it, `dropped` is the rest."""
    if limited:
        article.problems[:0] = limited
        article.bytes = (article.bytes or 0) + utf8_length(dropped)


def unit_article(unit: Any, problems: list[Problem]) -> Article:
    """The one article row of a unit that could not be parsed."""
    article = Article(
        doc_id=unit.doc_id or f"{Path(unit.source).name}#{getattr(unit, 'first_article', 1)}",
        title=unit.title or "",
        source=unit.source,
        format=unit.format,
        line=unit.line,
        page_id=unit.page_id,
    )
    article.problems.extend(problems)
    return article


def article_row(article: Article, n_findings: int) -> dict[str, Any]:
    return {
        "doc_id": article.doc_id,
        "title": article.title,
        "source": article.source,
        "format": article.format,
        "page_id": article.page_id,
        "line": article.line,
        "status": article.status,
        "error": article.error,
        "problems": problem_codes(article.problems),
        "n_infoboxes": len(article.infoboxes),
        "n_fields": sum(len(box.fields) for box in article.infoboxes),
        "n_tables": len(article.tables),
        "n_findings": n_findings,
        "bytes": article.bytes,
    }


def problem_codes(problems: list[Problem]) -> str | None:
    """`CODE;CODE*3`: each code once, in order of first meeting, with its count when over one
    (warnings show nowhere else in the output)."""
    counts = Counter(p.code for p in problems)
    return ";".join(code if n == 1 else f"{code}*{n}" for code, n in counts.items()) or None


def raw_rows(article: Article, flag: str) -> Rows:
    """Untyped rows straight from the model: the fallback when typing an article failed."""
    fields = [
        {
            "doc_id": article.doc_id, "infobox": b, "template": box.template or box.header,
            "position": i, "line": f.line, "key_raw": f.key, "key": f.key, "raw": f.value,
            "text": f.text if f.text is not None else f.value, "kind": "text", "flags": flag,
        }
        for b, box in enumerate(article.infoboxes)
        for i, f in enumerate(box.fields)
    ]
    cells = [
        {
            "doc_id": article.doc_id, "table": t, "row": r, "col": c, "header": cell.header,
            "line": row.line, "rowspan": cell.rowspan, "colspan": cell.colspan,
            "raw": cell.raw if cell.raw is not None else cell.text, "text": cell.text,
            "kind": "text", "flags": flag,
        }
        for t, table in enumerate(article.tables)
        for r, row in enumerate(table.rows)
        for c, cell in enumerate(row.cells)
    ]
    return {"infobox_fields": fields, "table_cells": cells}


def process_article(
    article: Article,
    only_infoboxes: bool = False,
    unit: Any = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Rows:
    """The per-article function: typed records, reconciliation, and every output row.

    `only_infoboxes` leaves tables out of the output. An article parsed without its body or its
    prose (`unit` given, see `articles_from_unit`) is read again whole when it holds an election
    or a legislature, so reconciliation has the same witnesses (prose, tables) either way; such
    pages are rare, and no other output reads the prose. Typing that runs past the time limit
    leaves the article `partial` with its raw, untyped rows."""
    rows: Rows
    n_findings = 0
    try:
        with deadline(limits.seconds):
            article, rows = _typed_rows(article, only_infoboxes, unit, limits)
        n_findings = sum(1 for f in rows.get("findings", []) if f["severity"] != "info")
    except ArticleTimeout:
        article.problems.append(time_problem(limits, "typing and reconciling", fatal=False))
        rows = raw_rows(article, "typing_stopped")
    except Exception as error:  # a bug on one article must not stop a dump run
        article.problems.append(Problem(
            code="INTERNAL_ERROR",
            message=f"{type(error).__name__}: {error}",
            severity="error",
        ))
        rows = raw_rows(article, "typing_failed")
    if only_infoboxes:
        rows.pop("tables", None)
        rows.pop("table_cells", None)
    rows["articles"] = [article_row(article, n_findings)]
    return rows


def _typed_rows(
    article: Article, only_infoboxes: bool, unit: Any, limits: Limits
) -> tuple[Article, Rows]:
    records = build_records(article)
    if unit is not None and (records.elections or records.legislatures):
        article = articles_from_unit(unit, body=True, limits=limits)[0]
        records = build_records(article)
    rows = records_to_rows(article.doc_id, records)
    recon = reconcile(article, records)
    for table, table_rows in recon.to_rows(article.doc_id).items():
        rows[table] = table_rows
    _apply_repairs(rows, recon)
    return article, rows


def _apply_repairs(rows: Rows, recon: Any) -> None:
    """Carry repaired seats into `election_results.seats_reconciled` (raw `seats` stays)."""
    for repair in getattr(recon, "repairs", []):
        if repair.field != "seats":
            continue
        for row in rows.get("election_results", []):
            if repair.record.endswith(f"result[{row['index']}]") and repair.record.startswith(
                f"election[{row['infobox']}]"
            ):
                try:
                    row["seats_reconciled"] = int(float(repair.repaired))
                except ValueError:
                    pass


@dataclass
class Tally:
    """What a run did, for the end summary."""

    articles: int = 0
    bytes: int = 0
    status: Counter = field(default_factory=Counter)
    severity: Counter = field(default_factory=Counter)
    open: Counter = field(default_factory=Counter)  # findings by severity, repaired ones excluded

    def add(self, rows: Rows) -> None:
        for row in rows.get("articles", []):
            self.articles += 1
            self.bytes += row["bytes"] or 0
            self.status[row["status"]] += 1
        for row in rows.get("findings", []):
            self.severity[row["severity"]] += 1
            if row.get("status") != "repaired":
                self.open[row["severity"]] += 1

    def merge(self, other: Tally) -> None:
        self.articles += other.articles
        self.bytes += other.bytes
        self.status.update(other.status)
        self.severity.update(other.severity)
        self.open.update(other.open)


def process_units(
    units: list[Any], only_infoboxes: bool = False, limits: Limits = DEFAULT_LIMITS
) -> tuple[Rows, Tally]:
    """A batch of source units to rows (the unit of work shipped to a process or a worker)."""
    merged: Rows = {}
    tally = Tally()
    for unit in units:
        lazy = unit.format == "wikitext"
        try:
            with deadline(limits.seconds):
                articles = articles_from_unit(unit, body=not only_infoboxes, prose=not lazy,
                                              limits=limits)
        except ArticleTimeout:
            stopped = unit_article(unit, [time_problem(limits, "parsing", fatal=True)])
            articles, lazy = [stopped], False
        except Exception as error:  # a bug on one unit: it fails alone, the batch goes on
            broken = unit_article(unit, [Problem(
                code="PARSE_INTERNAL", severity="fatal",
                message=f"{type(error).__name__}: {error}"[:300])])
            articles, lazy = [broken], False
        for article in articles:
            rows = process_article(article, only_infoboxes, unit if lazy else None, limits)
            tally.add(rows)
            for table, table_rows in rows.items():
                merged.setdefault(table, []).extend(table_rows)
    return merged, tally


def batches(units: Iterable[Any], max_units: int = 64, max_bytes: int = 4 << 20) -> Iterator[list]:
    """Units in batches. When reading the units fails, the batch read so far is still handed
    out before the error is raised, so no article read before a failure is lost."""
    batch: list[Any] = []
    size = 0
    try:
        for unit in units:
            batch.append(unit)
            size += len(unit.text)
            if len(batch) >= max_units or size >= max_bytes:
                yield batch
                batch, size = [], 0
    except Exception:
        if batch:
            yield batch
        raise
    if batch:
        yield batch


def now() -> float:
    return time.perf_counter()
