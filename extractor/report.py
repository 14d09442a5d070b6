"""The data-quality report: what the pipeline read and typed, what it found, what it repaired.

`build_report(out_dir)` reads the output tables the sinks wrote (Parquet when present, else CSV;
the columns are the ones fixed in `extractor.contract`), reduces them with pandas aggregations to
one summary dictionary, and writes that summary three ways: `report.json` (for machines),
`report.md` (for a terminal or a pull request) and `report.html` (self-contained: inline CSS and
inline SVG charts, no external references, opens offline).

A missing, empty or unreadable table never stops the report: it is noted under `inputs` and the
sections built from it say that there is nothing to show.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from extractor.contract import SCHEMAS
from extractor.errors import UsageError
from extractor.report_assets import render_html
from extractor.safe_io import write_text_atomic

# Long lists are cut to keep the report readable and fast; the cut is always announced.
TOP = 50
MAX_REPAIRS = 1000
# Kinds that carry no typed information: plain text, and empty values (left out of the share).
UNTYPED_KINDS = {"text", "untyped", ""}
EMPTY_KINDS = {"empty"}
STATUSES = ("ok", "partial", "failed")
SEVERITIES = ("error", "warning", "info")
RECORD_TABLES = ("elections", "election_results", "legislatures", "legislature_groups",
                 "legislature_leaders")
# Only these columns are loaded; every other table is counted from its metadata.
COLUMNS_NEEDED: dict[str, list[str]] = {
    "articles": ["doc_id", "title", "source", "format", "status", "error", "problems",
                 "n_findings"],
    "infobox_fields": ["doc_id", "kind", "flags"],
    "tables": ["doc_id", "flags"],
    "table_cells": ["kind", "header"],
    "findings": ["doc_id", "rule", "severity", "subject", "message", "status", "evidence"],
    "repairs": list(SCHEMAS["repairs"].names),
}
UNKNOWN_TEMPLATE = "unknown_template:"


@dataclass
class Loaded:
    frame: pd.DataFrame
    rows: int
    source: str  # "parquet", "csv" or "missing"
    note: str = ""


def build_report(out_dir: str | Path) -> dict[str, Path]:
    """Write report.html, report.md and report.json into `out_dir`; return their paths by format."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"not a directory: {out}")
    out.mkdir(parents=True, exist_ok=True)
    summary = summarize(load_tables(out), out)
    paths = {"json": out / "report.json", "md": out / "report.md", "html": out / "report.html"}
    write_text_atomic(paths["json"], json.dumps(summary, ensure_ascii=False, indent=2))
    write_text_atomic(paths["md"], render_markdown(summary))
    write_text_atomic(paths["html"], render_html(summary))
    return paths


# ---------------------------------------------------------------------------------- loading


def load_tables(out: Path) -> dict[str, Loaded]:
    loaded = {}
    for name in SCHEMAS:
        wanted = COLUMNS_NEEDED.get(name, [])
        loaded[name] = _load_table(out, name, wanted)
    return loaded


def _load_table(out: Path, name: str, wanted: list[str]) -> Loaded:
    """Parquet first (one file, or a dataset folder of parts), then CSV (one file, or parts)."""
    notes: list[str] = []
    folder = out / name
    parts = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    single = out / f"{name}.parquet"
    for files in ([single] if single.is_file() else [], parts):
        if files:
            loaded = _read_parts(files, name, wanted, notes, _read_parquet, "parquet")
            if loaded is not None:
                return loaded
    csv_parts = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    single = out / f"{name}.csv"
    for files in ([single] if single.is_file() else [], csv_parts):
        if files:
            loaded = _read_parts(files, name, wanted, notes, _read_csv, "csv")
            if loaded is not None:
                return loaded
    return Loaded(_empty(name, wanted), 0, "missing", "; ".join(notes))


def _read_parts(files: list[Path], name: str, wanted: list[str], notes: list[str],
                reader, source: str) -> Loaded | None:
    """Read and stack the parts of one table; a damaged part is noted and skipped, not fatal."""
    frames, rows, read = [], 0, 0
    for path in files:
        try:
            frame, n = reader(path, name, wanted)
        except Exception as exc:  # a damaged file is a fact to report, not a crash
            label = f"{name}/{path.name}" if path.parent.name == name else path.name
            notes.append(f"{label} could not be read ({type(exc).__name__})")
            continue
        frames.append(frame)
        rows, read = rows + n, read + 1
    if not read:
        return None
    if len(files) > 1:
        notes.append(f"{read} of {len(files)} parts read")
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return Loaded(_normalize(frame, name, wanted), rows, source, "; ".join(notes))


def _read_parquet(path: Path, name: str, wanted: list[str]) -> tuple[pd.DataFrame, int]:
    file = pq.ParquetFile(path)
    rows = file.metadata.num_rows
    present = [c for c in wanted if c in file.schema_arrow.names]
    frame = file.read(columns=present).to_pandas() if present else pd.DataFrame(index=range(rows))
    return frame, rows


def _read_csv(path: Path, name: str, wanted: list[str]) -> tuple[pd.DataFrame, int]:
    # Counting-only tables still need one column read to count rows (quoted fields may span lines).
    columns = set(wanted) or {SCHEMAS[name].names[0]}
    try:
        frame = pd.read_csv(path, usecols=lambda c: c in columns, dtype=str,
                            keep_default_na=False)
    except pd.errors.EmptyDataError:  # a zero-byte file is an empty table
        frame = pd.DataFrame()
    return frame, len(frame)


def _empty(name: str, wanted: list[str]) -> pd.DataFrame:
    return _normalize(pd.DataFrame(), name, wanted)


def _normalize(frame: pd.DataFrame, name: str, wanted: list[str]) -> pd.DataFrame:
    """Give each wanted column one predictable type: strings ('' when missing), bools, floats."""
    schema = SCHEMAS[name]
    for col in wanted:
        if col not in frame.columns:
            frame[col] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
        type_ = str(schema.field(col).type)
        if type_ == "string":
            frame[col] = frame[col].fillna("").astype(str)
        elif type_ == "bool":
            frame[col] = frame[col].astype(str).str.lower().isin(["true", "1"])
        else:
            frame[col] = pd.to_numeric(frame[col], errors="coerce")
    return frame[wanted] if wanted else frame


# ---------------------------------------------------------------------------------- summary


def summarize(tables: dict[str, Loaded], out: Path) -> dict:
    articles, fields = tables["articles"].frame, tables["infobox_fields"].frame
    cells, findings = tables["table_cells"].frame, tables["findings"].frame
    titles = dict(zip(articles["doc_id"], articles["title"], strict=True))
    return {
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "out_dir": str(out),
        "inputs": {n: {"source": t.source, "rows": t.rows, "note": t.note}
                   for n, t in tables.items()},
        "totals": _totals(tables, fields),
        "articles_by_status": _counts(articles["status"], STATUSES),
        "articles_by_format": _counts(articles["format"]),
        "failed_articles": _article_list(articles, "failed"),
        "partial_articles": _article_list(articles, "partial"),
        "problems_by_code": _problem_counts(articles["problems"]),
        "value_kinds": {
            "infobox_fields": _kinds(fields["kind"]),
            "table_cells": _kinds(cells.loc[~cells["header"], "kind"]),
        },
        "flags": {"infobox_fields": _flag_counts(fields["flags"]),
                  "tables": _flag_counts(tables["tables"].frame["flags"])},
        "findings_by_severity": _counts(findings["severity"], SEVERITIES),
        "findings_by_status": _counts(findings["status"]),
        "findings_by_rule": _findings_by_rule(findings),
        "worst_articles": _worst_articles(findings, articles, titles),
        "unresolved_errors": _unresolved_errors(findings, titles),
        "repairs": _repairs(tables["repairs"].frame, titles),
        "unknown_templates": _unknown_templates(fields),
    }


def _totals(tables: dict[str, Loaded], fields: pd.DataFrame) -> dict:
    kinds = _kinds(fields["kind"])
    counted = ("articles", "infobox_fields", "tables", "table_cells", "findings", "repairs")
    totals: dict[str, object] = {name: tables[name].rows for name in counted}
    totals["typed_share"] = kinds["typed_share"]
    totals["records"] = {name: tables[name].rows for name in RECORD_TABLES}
    return totals


def _counts(column: pd.Series, order: tuple[str, ...] = ()) -> dict[str, int]:
    """Value counts as a plain dict, the `order` keys first (also when zero), blanks as '(none)'."""
    counts = column.replace("", "(none)").value_counts()
    result = {key: int(counts.get(key, 0)) for key in order}
    result.update({str(k): int(v) for k, v in counts.items() if k not in result})
    return result


def _capped(frame: pd.DataFrame, limit: int = TOP) -> dict:
    return {"items": frame.head(limit).to_dict("records"), "more": max(0, len(frame) - limit)}


def _article_list(articles: pd.DataFrame, status: str) -> dict:
    """The articles of one status, and how many share each error code (the text before ':')."""
    chosen = articles.loc[articles["status"] == status, ["doc_id", "title", "source", "error"]]
    block = _capped(chosen.sort_values("doc_id"))
    codes = chosen["error"].str.split(":", n=1).str[0].str.strip()
    block["by_code"] = _counts(codes.where(codes.str.len() <= 60, "(unrecognised)"))
    return block


def _problem_counts(problems: pd.Series) -> dict[str, dict[str, int]]:
    """Per problem code (the articles' `problems`: `CODE;CODE*3`), the articles that met it and
    how many times in all; most articles first. Warnings show here and nowhere else."""
    counts: dict[str, dict[str, int]] = {}
    for value in problems[problems != ""]:
        for item in value.split(";"):
            code, _, times = item.partition("*")
            entry = counts.setdefault(code, {"articles": 0, "times": 0})
            entry["articles"] += 1
            entry["times"] += int(times) if times.isdigit() else 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1]["articles"], item[0])))


def _kinds(kind: pd.Series) -> dict:
    counts = _counts(kind.replace("", "(none)"))
    total = int(len(kind))
    empty = sum(counts.get(k, 0) for k in EMPTY_KINDS)
    untyped = sum(v for k, v in counts.items() if k in UNTYPED_KINDS or k == "(none)")
    typed = total - empty - untyped
    share = round(typed / (total - empty), 4) if total - empty else None
    return {"total": total, "typed": typed, "untyped": untyped, "empty": empty,
            "typed_share": share, "by_kind": counts}


def _flag_counts(flags: pd.Series) -> dict[str, int]:
    """How often each flag occurs; `name:detail` flags are counted under their name."""
    counts: dict[str, int] = {}
    # Few distinct flag strings recur over millions of values: split each distinct one once.
    for combo, n in flags[flags != ""].value_counts().items():
        for name in {f.split(":", 1)[0].strip() for f in str(combo).split(";")} - {""}:
            counts[name] = counts.get(name, 0) + int(n)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return dict(ranked[:TOP])


def _crosstab(frame: pd.DataFrame, rows: str, columns: str) -> pd.DataFrame:
    """Counts of `rows` × `columns` (pd.crosstab aggregates in Python on large frames)."""
    return frame.groupby([rows, columns], sort=False).size().unstack(fill_value=0)


def _findings_by_rule(findings: pd.DataFrame) -> list[dict]:
    if findings.empty:
        return []
    by_severity = _crosstab(findings, "rule", "severity")
    by_status = _crosstab(findings, "rule", "status")
    examples = findings.drop_duplicates("rule").set_index("rule")["message"]
    descriptions = _rule_descriptions()
    rows = []
    for rule in by_severity.index:
        row = {"rule": rule or "(no rule)"}
        row.update({s: int(by_severity.at[rule, s]) if s in by_severity else 0 for s in SEVERITIES})
        row["total"] = int(by_severity.loc[rule].sum())
        for status in ("repaired", "ambiguous"):
            row[status] = int(by_status.at[rule, status]) if status in by_status else 0
        row["example"] = examples.get(rule, "")
        row["description"] = descriptions.get(rule, "")
        rows.append(row)
    return sorted(rows, key=lambda r: (-r["error"], -r["warning"], -r["total"], r["rule"]))


def _rule_descriptions() -> dict[str, str]:
    """What each rule checks, from the rule catalogue when it is installed; else nothing."""
    try:
        from extractor.reconcile.rules import RULES
    except ImportError:
        return {}
    return {code: getattr(rule, "description", "") for code, rule in RULES.items()}


def _worst_articles(findings: pd.DataFrame, articles: pd.DataFrame, titles: dict) -> dict:
    serious = findings[findings["severity"].isin(["error", "warning"])]
    if serious.empty:
        return _worst_from_article_counts(articles)
    table = _crosstab(serious, "doc_id", "severity")
    for severity in ("error", "warning"):
        if severity not in table:
            table[severity] = 0
    table = table.sort_values(["error", "warning"], ascending=False, kind="stable")
    top = table.head(TOP)
    rules = (serious[serious["doc_id"].isin(top.index)].groupby("doc_id")["rule"]
             .agg(lambda r: sorted(set(r))))
    items = [{"doc_id": doc, "title": titles.get(doc, ""), "errors": int(row["error"]),
              "warnings": int(row["warning"]), "rules": rules.get(doc, [])}
             for doc, row in top.iterrows()]
    return {"items": items, "more": max(0, len(table) - TOP)}


def _worst_from_article_counts(articles: pd.DataFrame) -> dict:
    """No findings table: fall back on the per-article count the articles table carries."""
    counted = articles[articles["n_findings"].fillna(0) > 0]
    counted = counted.sort_values("n_findings", ascending=False, kind="stable")
    items = [{"doc_id": r.doc_id, "title": r.title, "errors": None,
              "warnings": None, "findings": int(r.n_findings), "rules": []}
             for r in counted.head(TOP).itertuples()]
    return {"items": items, "more": max(0, len(counted) - TOP)}


def _unresolved_errors(findings: pd.DataFrame, titles: dict) -> dict:
    """Errors no repair resolved (open or ambiguous), with their evidence, ambiguous first."""
    chosen = findings[(findings["severity"] == "error") & (findings["status"] != "repaired")]
    chosen = chosen.assign(_order=(chosen["status"] != "ambiguous").astype(int))
    chosen = chosen.sort_values(["_order", "rule", "doc_id"], kind="stable")
    items = [{"doc_id": r["doc_id"], "title": titles.get(r["doc_id"], ""), "rule": r["rule"],
              "subject": r["subject"], "status": r["status"], "message": r["message"],
              "evidence_lines": evidence_lines(r["evidence"], limit=12)}
             for r in chosen.head(TOP).to_dict("records")]
    return {"items": items, "more": max(0, len(chosen) - TOP)}


def _repairs(repairs: pd.DataFrame, titles: dict) -> dict:
    chosen = repairs.head(MAX_REPAIRS)
    items = []
    for row in chosen.to_dict("records"):
        confidence = row["confidence"]
        row["confidence"] = None if pd.isna(confidence) else float(confidence)
        row["title"] = titles.get(row["doc_id"], "")
        row["evidence_lines"] = evidence_lines(row["evidence"])
        items.append(row)
    return {"items": items, "more": max(0, len(repairs) - MAX_REPAIRS)}


def _unknown_templates(fields: pd.DataFrame) -> dict | None:
    """Templates the parser did not know, ranked by the infobox fields whose value they touched."""
    touched = fields.loc[fields["flags"].str.contains(UNKNOWN_TEMPLATE, regex=False),
                         ["doc_id", "flags"]]
    if touched.empty:
        return None
    # Work on distinct flag strings and distinct (article, flags) pairs, not on every field.
    templates = {combo: sorted({f.strip()[len(UNKNOWN_TEMPLATE):].strip()
                                for f in combo.split(";")
                                if f.strip().startswith(UNKNOWN_TEMPLATE)} - {""})
                 for combo in touched["flags"].unique()}
    fields_per: dict[str, int] = {}
    for combo, n in touched["flags"].value_counts().items():
        for name in templates[combo]:
            fields_per[name] = fields_per.get(name, 0) + int(n)
    pairs = touched.drop_duplicates()
    pairs = pairs.assign(template=pairs["flags"].map(templates)).explode("template")
    articles_per = pairs.dropna(subset=["template"]).groupby("template")["doc_id"].nunique()
    grouped = pd.DataFrame({"template": list(fields_per), "fields": list(fields_per.values())})
    grouped["articles"] = grouped["template"].map(articles_per).fillna(0).astype(int)
    grouped = grouped.sort_values(["fields", "articles", "template"],
                                  ascending=[False, False, True], kind="stable")
    return _capped(grouped)


# ---------------------------------------------------------------------------------- evidence


def evidence_lines(evidence: object, limit: int = 40) -> list[str]:
    """Turn the JSON evidence of a repair into short sentences a person can check.

    The witnesses the reconciler records (prose statements, seats recomputed from the votes, the
    article's own tables, rejected alternatives) get one sentence each; any other shape is
    flattened into `key: value` lines, so nothing recorded is hidden.
    """
    if evidence is None or (isinstance(evidence, float) and pd.isna(evidence)) or evidence == "":
        return []
    try:
        data = json.loads(evidence) if isinstance(evidence, str) else evidence
    except ValueError:
        return [str(evidence)]
    lines: list[str] = []
    if isinstance(data, dict):
        lines += [f"Supported by {w}" for w in _witnesses(data.get("supported_by"))]
        lines += [_raw_in_table(note) for note in _dicts(data.get("raw_value_in_table"))]
        lines += [_rejected(c) for c in _dicts(data.get("rejected"))]
        lines += [_candidate(c) for c in _dicts(data.get("candidates"))]
        if data.get("also_explains"):
            lines.append("Also explains: " + ", ".join(map(str, data["also_explains"])))
        data = {k: v for k, v in data.items() if k not in _KNOWN_EVIDENCE}
    if data:
        _flatten(data, "", lines)
    if len(lines) > limit:
        lines = lines[:limit] + [f"… and {len(lines) - limit} more lines"]
    return lines


_KNOWN_EVIDENCE = {"supported_by", "raw_value_in_table", "rejected", "candidates",
                   "also_explains"}
_METHOD_NAMES = {"dhondt": "D'Hondt", "sainte_lague": "Sainte-Laguë",
                 "largest_remainder": "largest remainder"}


def _dicts(value: object) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _witnesses(value: object) -> list[str]:
    """One sentence per witness; prose read twice (seats, then majority) becomes one sentence."""
    prose: dict[tuple, list[str]] = {}
    sentences: list[str | tuple] = []  # a tuple stands for the prose sentence of that key
    for w in _dicts(value):
        if w.get("family") == "prose":
            key = (w.get("line"), w.get("text"), w.get("section"))
            if key not in prose:
                prose[key] = []
                sentences.append(key)
            prose[key].append(_prose_claim(w))
        else:
            sentences.append(_witness(w))
    return [s if isinstance(s, str) else _prose_sentence(s, prose[s]) for s in sentences]


def _prose_sentence(key: tuple, claims: list[str]) -> str:
    line, text, section = key
    where = ", ".join(x for x in (f"line {line}" if line is not None else "",
                                  f"section “{section}”" if section else "") if x)
    quote = _clip(str(text or ""), 160)
    claims = [c for c in dict.fromkeys(claims) if c]
    return f"the prose ({where}): “{quote}”" + (f" — {'; '.join(claims)}" if claims else "")


def _prose_claim(w: dict) -> str:
    party, number = w.get("party"), w.get("number")
    if w.get("reading") == "holds a majority":
        needed = f" ({_scalar(w['majority'])} seats needed)" if w.get("majority") else ""
        return f"{party} holds a majority{needed}"
    if number is not None:
        return f"{party + ': ' if party else ''}{_scalar(number)} seats"
    return ""


def _witness(w: dict) -> str:
    family = w.get("family")
    if family == "apportionment":
        return _apportionment(w)
    if family == "table":
        return (f"the article's table {w.get('table')} (row {w.get('row')}, column "
                f"“{w.get('column')}”): {w.get('party') or ''} {_scalar(w.get('value'))}".rstrip())
    return ", ".join(f"{k.replace('_', ' ')} {_scalar(v)}" for k, v in w.items())


def _apportionment(w: dict) -> str:
    parties = w.get("parties") or []
    by_result: dict[tuple, list[str]] = {}
    for method, seats in (w.get("methods") or {}).items():
        by_result.setdefault(tuple(seats), []).append(_METHOD_NAMES.get(method, method))
    results = []
    for seats, methods in by_result.items():
        names = methods[0] if len(methods) == 1 else ", ".join(methods[:-1]) + " and " + methods[-1]
        shares = ", ".join(f"{p} {n}" for p, n in zip(parties, seats, strict=False)) or \
            ", ".join(map(str, seats))
        results.append(f"{names} {'give' if len(methods) > 1 else 'gives'} {shares}")
    threshold = w.get("threshold")
    rules = f"{_scalar(w.get('seats'))} seats" + (
        f", {_scalar(threshold)}% threshold" if threshold is not None else "")
    return f"seats recomputed from the votes ({rules}): " + "; ".join(results)


def _raw_in_table(note: dict) -> str:
    return (f"The raw value {_scalar(note.get('value'))} stands in the article's table "
            f"{note.get('table')}, row {note.get('row')}, column “{note.get('column')}”: "
            f"possibly copied from the wrong column")


def _rejected(candidate: dict) -> str:
    return f"Rejected alternative: {_change_text(candidate)}{_witness_summary(candidate)}"


def _candidate(candidate: dict) -> str:
    verdict = "fits every witness" if candidate.get("survives") else "contradicted"
    return f"Candidate ({verdict}): {_change_text(candidate)}{_witness_summary(candidate)}"


def _change_text(candidate: dict) -> str:
    return candidate.get("text") or ", ".join(
        f"{c.get('record')}.{c.get('field')} {c.get('from')} → {c.get('to')}"
        for c in _dicts(candidate.get("changes")))


def _witness_summary(candidate: dict) -> str:
    parts = []
    for key, verb in (("supported_by", "supported by"), ("contradicted_by", "contradicted by")):
        sources = _sources(_dicts(candidate.get(key)))
        if sources:
            parts.append(f"{verb} {' and '.join(sources)}")
    return ", " + "; ".join(parts) if parts else ""


def _sources(witnesses: list[dict]) -> list[str]:
    """Name the witnesses briefly: 'the prose at lines 60, 82', 'seats recomputed from ...'."""
    lines = sorted({w["line"] for w in witnesses
                    if w.get("family") == "prose" and w.get("line") is not None})
    sources = []
    if lines:
        sources.append("the prose at line" + ("s " if len(lines) > 1 else " ")
                       + ", ".join(map(str, lines)))
    if any(w.get("family") == "apportionment" for w in witnesses):
        sources.append("seats recomputed from the votes")
    tables = {w.get("table") for w in witnesses if w.get("family") == "table"}
    if tables:
        sources.append("the article's table" + ("s" if len(tables) > 1 else ""))
    return sources


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _flatten(data: object, prefix: str, lines: list[str]) -> None:
    label = prefix.replace("_", " ")
    if isinstance(data, dict):
        if data and all(not isinstance(v, (dict, list)) for v in data.values()) and prefix:
            lines.append(f"{label}: " + ", ".join(f"{k.replace('_', ' ')} {_scalar(v)}"
                                                  for k, v in data.items()))
            return
        for key, value in data.items():
            _flatten(value, f"{prefix} › {key}" if prefix else str(key), lines)
    elif isinstance(data, list):
        if all(not isinstance(v, (dict, list)) for v in data):
            lines.append(f"{label}: " + ", ".join(_scalar(v) for v in data) if label
                         else ", ".join(_scalar(v) for v in data))
            return
        for i, value in enumerate(data, 1):
            _flatten(value, f"{prefix} #{i}" if prefix else f"#{i}", lines)
    else:
        lines.append(f"{label}: {_scalar(data)}" if label else _scalar(data))


def _scalar(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# ---------------------------------------------------------------------------------- markdown


def render_markdown(summary: dict) -> str:
    """The same report as plain Markdown: headings, short paragraphs and pipe tables."""
    from extractor.report_assets import INTRO, SECTION_NOTES

    totals = summary["totals"]
    out = ["# Data-quality report", "",
           f"Generated {summary['generated_at']} from `{summary['out_dir']}`.", ""]
    out += [line for para in INTRO for line in (para, "")]
    out += ["## Totals", "", _md_table(["what", "count"], _total_rows(totals)), ""]
    out += ["## Articles by status", "", SECTION_NOTES["status"], "",
            _md_table(["status", "articles"], summary["articles_by_status"].items()), ""]
    for status in ("failed", "partial"):
        block = summary[f"{status}_articles"]
        if block["items"]:
            out += [f"### {status.capitalize()} articles by error code", "",
                    _md_table(["error code", "articles"], block["by_code"].items()), "",
                    f"### {status.capitalize()} articles", "",
                    _md_table(["article", "title", "error"],
                              [(a["doc_id"], a["title"], a["error"]) for a in block["items"]]),
                    _md_more(block["more"]), ""]
    if summary["problems_by_code"]:
        out += ["### Problems met reading the pages, by code", "", SECTION_NOTES["problems"], "",
                _md_table(["code", "articles", "times"],
                          [(code, n["articles"], n["times"])
                           for code, n in summary["problems_by_code"].items()]), ""]
    out += ["## Values by kind", "", SECTION_NOTES["kinds"], ""]
    for table, kinds in summary["value_kinds"].items():
        out += [f"### {table.replace('_', ' ')} — typed share {_pct(kinds['typed_share'])}", "",
                _md_table(["kind", "values"], kinds["by_kind"].items()), ""]
    out += ["## Findings by rule and severity", "", SECTION_NOTES["findings"], ""]
    rules = summary["findings_by_rule"]
    out += [_md_table(["rule", "error", "warning", "info", "repaired", "ambiguous",
                       "what it checks", "example"],
                      [(r["rule"], r["error"], r["warning"], r["info"], r["repaired"],
                        r["ambiguous"], r["description"], r["example"]) for r in rules]) if rules
            else "No findings.", ""]
    out += _md_unresolved(summary["unresolved_errors"])
    worst = summary["worst_articles"]
    out += ["## Worst articles", "", SECTION_NOTES["worst"], ""]
    out += [_md_table(["article", "title", "errors", "warnings", "rules"],
                      [(w["doc_id"], w["title"], w["errors"], w["warnings"], ", ".join(w["rules"]))
                       for w in worst["items"]]) if worst["items"] else "No article has errors "
            "or warnings.", _md_more(worst["more"]), ""]
    out += _md_repairs(summary["repairs"])
    templates = summary["unknown_templates"]
    if templates:
        out += ["## Unknown templates", "", SECTION_NOTES["templates"], "",
                _md_table(["template", "fields", "articles"],
                          [(t["template"], t["fields"], t["articles"])
                           for t in templates["items"]]),
                _md_more(templates["more"]), ""]
    text = "\n".join(out).rstrip() + "\n"
    return re.sub(r"\n{3,}", "\n\n", text)  # empty optional parts leave no gaps


def _total_rows(totals: dict) -> list[tuple[str, object]]:
    rows = [("articles", totals["articles"]), ("infobox fields", totals["infobox_fields"]),
            ("typed share of infobox values", _pct(totals["typed_share"])),
            ("tables", totals["tables"]), ("table cells", totals["table_cells"]),
            ("findings", totals["findings"]), ("repairs", totals["repairs"])]
    rows += [(name.replace("_", " "), n) for name, n in totals["records"].items()]
    return rows


def _md_unresolved(block: dict) -> list[str]:
    from extractor.report_assets import SECTION_NOTES

    out = ["## Unresolved errors", "", SECTION_NOTES["unresolved"], ""]
    if not block["items"]:
        return out + ["None.", ""]
    for f in block["items"]:
        out.append(f"- **{f['doc_id']}** {f['title']} — `{f['rule']}` ({f['status']}): "
                   f"{f['message']}")
        out += [f"  - {line}" for line in f["evidence_lines"]]
    return out + [_md_more(block["more"]), ""]


def _md_repairs(repairs: dict) -> list[str]:
    from extractor.report_assets import SECTION_NOTES

    out = ["## Repairs", "", SECTION_NOTES["repairs"], ""]
    if not repairs["items"]:
        return out + ["No value was repaired.", ""]
    for r in repairs["items"]:
        confidence = "—" if r["confidence"] is None else f"{r['confidence']:.2f}"
        out += [f"- **{r['doc_id']}** {r['title']} — `{r['record']}.{r['field']}`: "
                f"`{r['raw']}` → `{r['repaired']}` ({r['method']}, confidence {confidence}, "
                f"rule {r['rule']})"]
        out += [f"  - {line}" for line in r["evidence_lines"]]
    return out + [_md_more(repairs["more"]), ""]


def _md_table(headers: list[str], rows) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    for row in rows:
        lines.append("| " + " | ".join(_md_cell(v) for v in row) + " |")
    return "\n".join(lines)


def _md_cell(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _md_more(more: int) -> str:
    return f"\n… and {more} more (see the full table next to this report)." if more else ""


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"
