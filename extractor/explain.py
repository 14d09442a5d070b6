"""`extractor explain FILE`: one file's articles as a person reads them."""

from __future__ import annotations

from typing import Any

from extractor.pipeline import articles_from_unit, process_article
from extractor.report import evidence_lines


def explain_file(path: str, title: str | None = None) -> str:
    from extractor.sources import SourceStats, iter_units

    out: list[str] = []
    for unit in iter_units([path], namespaces={0}, stats=SourceStats()):
        for article in articles_from_unit(unit):
            if title is not None and article.title != title:
                continue
            out.append(_explain_article(article, process_article(article)))
    return "\n\n".join(out) if out else f"no article{' titled ' + repr(title) if title else ''}"


def _explain_article(article: Any, rows: dict[str, list[dict]]) -> str:
    head = rows["articles"][0]
    lines = [
        f"= {article.title or '(no title)'} =  [{head['doc_id']}]",
        f"status {head['status']}" + (f": {head['error']}" if head["error"] else ""),
        f"{head['n_infoboxes']} infobox(es), {head['n_fields']} fields, "
        f"{head['n_tables']} table(s)",
    ]
    for election in rows.get("elections", []):
        lines.append("")
        facts = [
            ("on", election["date"]),
            ("seats", election["seats_for_election"]),
            ("of a chamber of", election["chamber_size"]),
            ("majority", election["majority"]),
            ("turnout %", election["turnout"]),
        ]
        lines.append(f"Election: {election['name'] or '(no name)'}; "
                     + ", ".join(f"{label} {value}" for label, value in facts if value is not None))
        lines.append(_grid(
            [r for r in rows.get("election_results", []) if r["infobox"] == election["infobox"]],
            ["index", "party", "seats", "seats_reconciled", "votes", "percentage", "swing"],
        ))
    for legislature in rows.get("legislatures", []):
        lines.append("")
        lines.append(f"Legislature: {legislature['name']}; {legislature['members']} members")
        groups = [g for g in rows.get("legislature_groups", [])
                  if g["infobox"] == legislature["infobox"]]
        for group in groups:
            lines.append(f"  {'  ' * (group['depth'] or 0)}{group['name']} ({group['seats']})")
    findings = rows.get("findings", [])
    lines.append("")
    lines.append(f"Findings ({len(findings)}):" if findings else "Findings: none")
    for finding in findings:
        lines.append(f"  [{finding['severity']}] {finding['rule']} {finding['subject']}: "
                     f"{finding['message']} ({finding['status']})")
    repairs = rows.get("repairs", [])
    lines.append(f"Repairs ({len(repairs)}):" if repairs else "Repairs: none")
    parties = {
        f"election[{r['infobox']}].result[{r['index']}]": r["party"]
        for r in rows.get("election_results", [])
    }
    for repair in repairs:
        who = parties.get(repair["record"])
        lines.append(f"  {repair['record']}{f' ({who})' if who else ''}.{repair['field']}: "
                     f"{repair['raw']} -> {repair['repaired']} by {repair['method']} "
                     f"(confidence {repair['confidence']})")
        for line in evidence_lines(repair.get("evidence")):
            lines.append(f"      - {line}")
    return "\n".join(lines)


def _grid(rows: list[dict], columns: list[str]) -> str:
    table = [[str(c) for c in columns]] + [
        ["" if r.get(c) is None else str(r.get(c)) for c in columns] for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(columns))]
    return "\n".join("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
                     for row in table)
