"""The HTML face of the data-quality report: explanatory prose, inline CSS, SVG charts, page layout.

Everything is drawn here from the summary dictionary `extractor.report.summarize` builds, with no
external file, font, script or URL, so the page opens offline and can be mailed as one file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection

INTRO = [
    "This report describes the tables that the extractor produced from a set of wiki articles. "
    "For every article the tool reads the infobox (the summary box of key–value pairs), the "
    "tables and the prose, turns the values into typed data (numbers, dates, percentages, "
    "seat counts) and then checks the numbers against each other — for example whether the "
    "seats won by the parties add up to the seats that were contested.",
    "Articles: every article that was read appears once. *ok* means it was read completely, "
    "*partial* that some part of it could not be read, *failed* that nothing usable came out "
    "(the error column says why).",
    "Findings: a check that did not hold. *error* means the numbers contradict each other, "
    "*warning* that something looks suspicious, *info* is a note. A finding never changes "
    "the data.",
    "Repairs: a value is corrected only when exactly one small change makes every check hold "
    "and an independent source supports it (the article's prose, its own tables, or seats "
    "recomputed from the votes). The original value is always kept next to the correction.",
    "Long lists stop after the first entries; the complete data is in the CSV/Parquet tables "
    "next to this report.",
]

SECTION_NOTES = {
    "status": "How many articles were read completely, partly, or not at all.",
    "problems": "Every problem met while reading a page, warnings included (a warning leaves "
                "the article ok): the codes are listed in the README under Inputs. An article "
                "counts once per code; times counts every occurrence.",
    "kinds": "What the values were recognised as. The typed share counts the non-empty values "
             "that became something more precise than plain text.",
    "findings": "Each rule is one consistency check with a stable code. Below each rule, "
                "the message of one of its findings as an example. Repaired: findings a repair "
                "resolved; ambiguous: more than one correction would fit, so none was made.",
    "worst": "The articles with the most errors, then the most warnings.",
    "unresolved": "Errors that no repair resolved. Ambiguous: more than one correction would "
                  "fit, so none was made (the candidates are listed). Open: no correction was "
                  "found. These need a person.",
    "repairs": "Every corrected value: where it is, what it said, what it says now, how the "
               "correction was found and which evidence supports it.",
    "templates": "Templates the parser does not know yet, ranked by the infobox fields whose "
                 "value they touched. Teaching the parser the top ones improves the most values.",
    "flags": "Flags mark values that needed care: rendering residue removed, a value lost, an "
             "ambiguous number, a table whose rows had to be realigned, ...",
}

# Plain words for the value kinds the typing step assigns (see `kind` in extractor.contract).
KIND_GLOSSARY = {
    "integer": "a whole number (218,003)", "decimal": "a number with a fraction (10.3)",
    "percent": "a percentage (68.11%)", "pp": "percentage points (10.3 pp)",
    "date": "a calendar date", "year": "a year alone (2028)", "colour": "a colour code",
    "file": "an image or media file name", "image_size": "an image size left by rendering (250px)",
    "seats_of": "a part of a whole ('98 of the 107 seats')",
    "count_list": "a list of counts ('Amanat (25), Aq Jol (2)')",
    "compound": "several values in one", "new": "'New' where a number could stand",
    "ordinal": "a rank (3rd)", "list": "a list of items", "change": "a signed change (+3)",
    "empty": "no value", "text": "plain text, not typed further",
}

COLOURS = {
    "ok": "#2e7d32", "partial": "#e0a100", "failed": "#c62828",
    "error": "#c62828", "warning": "#ef8f00", "info": "#1e88e5",
    "typed": "#3949ab", "text": "#9aa5b1", "empty": "#d3d9e0",
}

CSS = """
:root { --ink:#1f2933; --muted:#5f6b7a; --line:#e3e8ee; --bg:#f4f6f9; --accent:#3949ab; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif; }
main { max-width:1120px; margin:0 auto; padding:28px 28px 64px; }
h1 { font-size:28px; margin:0 0 4px; }
h2 { font-size:20px; margin:0 0 6px; }
h3 { font-size:16px; margin:18px 0 6px; }
.sub, .note { color:var(--muted); font-size:13px; }
section { background:#fff; border:1px solid var(--line); border-radius:10px;
  padding:18px 22px; margin:18px 0; overflow-x:auto; }
section.intro { background:#eef2fb; border-color:#cbd5f0; }
section.intro p { margin:6px 0; }
nav.toc { margin:14px 0 0; font-size:14px; }
nav.toc a { color:var(--accent); text-decoration:none; margin-right:14px; white-space:nowrap; }
.cards { display:grid; grid-template-columns:repeat(auto-fill,minmax(150px,1fr)); gap:12px; }
.card { border:1px solid var(--line); border-radius:8px; padding:10px 14px; background:#fafbfd; }
.card .n { font-size:24px; font-weight:650; font-variant-numeric:tabular-nums; }
.card .l { color:var(--muted); font-size:13px; }
.card.ok .n { color:#2e7d32; } .card.partial .n { color:#b07d00; }
.card.failed .n { color:#c62828; }
.cards.small .n { font-size:18px; }
table { border-collapse:collapse; width:100%; font-size:14px; margin:8px 0; }
th, td { text-align:left; padding:6px 10px; border-bottom:1px solid var(--line);
  vertical-align:top; }
th { background:#f0f3f7; font-weight:600; font-size:13px; }
tbody tr:nth-child(even) td { background:#fafbfc; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
td { overflow-wrap:break-word; }
code.rule { white-space:nowrap; }
code { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:12.5px;
  background:#f0f3f7; padding:1px 5px; border-radius:4px; }
.pill { display:inline-block; min-width:26px; text-align:center; padding:0 7px; border-radius:10px;
  font-size:12px; font-weight:650; color:#fff; }
.pill.error { background:#c62828; } .pill.warning { background:#ef8f00; }
.pill.info { background:#1e88e5; } .pill.zero { background:#e6eaef; color:#8795a1; }
.old { color:#b71c1c; background:#fdecea; } .new { color:#1b5e20; background:#e8f5e9; }
.doc { color:var(--muted); font-size:12px; display:block; }
.empty { color:var(--muted); font-style:italic; }
ul.evidence { margin:2px 0 0; padding-left:18px; font-size:13px; color:#3e4c59; }
ul.evidence li { margin:2px 0; }
b.evidence { font-size:12px; color:var(--muted); text-transform:uppercase; letter-spacing:.04em; }
table.repairs tbody tr td { background:#fff; }
table.repairs tbody:nth-of-type(even) tr td { background:#fafbfc; }
table.repairs tr:first-child td { border-bottom:none; }
table.repairs tr.evidence td { padding-top:0; padding-left:22px;
  border-bottom:2px solid var(--line); }
details summary { cursor:pointer; color:var(--accent); font-size:13px; }
svg text { font-size:12px; fill:#1f2933; }
svg .muted { fill:#5f6b7a; }
.chart { margin:10px 0 4px; }
@media print { body { background:#fff; } section { break-inside:avoid; } }
"""


class Html(str):
    """Markup that is already safe; plain `str` values are escaped."""


def esc(value: object) -> str:
    if isinstance(value, Html):
        return value
    text = html.escape("" if value is None else str(value))
    # Data text may quote web addresses; spell the h as an entity so the page holds no link-like
    # string at all (it still reads the same).
    return re.sub(r"(?i)h(ttp)", lambda m: f"&#{ord(m.group(0)[0])};{m.group(1)}", text)


def fmt(n: object) -> str:
    return f"{n:,}" if isinstance(n, int) else ("—" if n is None else str(n))


def pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


# ---------------------------------------------------------------------------------- charts


def bar_chart(rows: list[tuple[str, list[tuple[str, int, str]]]],
              legend: list[tuple[str, str]] | None = None, width: int = 1000) -> str:
    """Horizontal bars, one per row, each stacked from (series, value, colour) segments."""
    if not rows:
        return ""
    label_chars = min(max(len(label) for label, _ in rows), 34)
    label_w = 14 + int(max(_text_width(_shorten(label, label_chars)) for label, _ in rows))
    right, row_h = 80, 26
    bar_w = width - label_w - right
    top = 30 if legend else 6
    height = top + len(rows) * row_h + 6
    peak = max(sum(v for _, v, _ in segs) for _, segs in rows) or 1
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
             f'style="max-width:{width}px">']
    parts += _legend(legend or [])
    for i, (label, segs) in enumerate(rows):
        y = top + i * row_h
        short = _shorten(label, label_chars)
        parts.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">'
                     f'<title>{esc(label)}</title>{esc(short)}</text>')
        x = float(label_w)
        for name, value, colour in segs:
            w = value / peak * bar_w
            if w > 0:
                parts.append(f'<rect x="{x:.1f}" y="{y + 5}" width="{max(w, 1.5):.1f}" height="16" '
                             f'rx="2" fill="{colour}"><title>{esc(name)}: {value:,}</title></rect>')
            x += w
        total = sum(v for _, v, _ in segs)
        parts.append(f'<text class="muted" x="{x + 6:.1f}" y="{y + 17}">{total:,}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _shorten(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _text_width(text: str) -> float:
    """Rough width in pixels of 12px sans-serif text; enough to place labels without clipping."""
    width = 0.0
    for ch in text:
        if ord(ch) >= 0x2E80:
            width += 12
        elif ch.isupper() or ch.isdigit() or ch in "_%@#":
            width += 8.2
        else:
            width += 6.6
    return width


def share_bar(segments: list[tuple[str, int, str]], width: int = 1000) -> str:
    """One full-width bar split by share, with a legend of counts and percentages below."""
    total = sum(v for _, v, _ in segments)
    if not total:
        return ""
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} 62" width="100%" '
             f'style="max-width:{width}px">']
    x = 0.0
    for name, value, colour in segments:
        w = value / total * width
        if w > 0:
            parts.append(f'<rect x="{x:.1f}" y="0" width="{max(w, 2):.1f}" height="26" '
                         f'fill="{colour}"><title>{esc(name)}: {value:,}</title></rect>')
        x += w
    parts += _legend([(f"{name}: {value:,} ({value / total:.0%})", colour)
                      for name, value, colour in segments], y=40, step=210)
    parts.append("</svg>")
    return "".join(parts)


def _legend(entries: list[tuple[str, str]], y: int = 6, step: int = 120) -> list[str]:
    parts = []
    for i, (name, colour) in enumerate(entries):
        x = i * step
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" rx="2" fill="{colour}"/>'
                     f'<text x="{x + 17}" y="{y + 11}">{esc(name)}</text>')
    return parts


# ---------------------------------------------------------------------------------- building blocks


def table(headers: list[str], rows: list[list[object]], numeric: Collection[int] = ()) -> str:
    head = "".join(f'<th class="num">{esc(h)}</th>' if i in numeric else f"<th>{esc(h)}</th>"
                   for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = "".join(f'<td class="num">{esc(fmt(v))}</td>' if i in numeric
                        else f"<td>{esc(v)}</td>" for i, v in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def pill(severity: str, n: int | None) -> Html:
    if n is None:
        return Html("—")
    return Html(f'<span class="pill {severity if n else "zero"}">{n:,}</span>')


def article_cell(doc_id: str, title: str, source: str = "") -> Html:
    """Title, with the article id below it (the full source path shows on hover)."""
    hover = f' title="{esc(source)}"' if source else ""
    return Html(f"{esc(title) or '<span class=empty>(untitled)</span>'}"
                f'<span class="doc"{hover}>{esc(doc_id)}</span>')


def more(n: int) -> str:
    return (f'<p class="note">… and {n:,} more, not shown here (see the full table next to '
            f"this report).</p>") if n else ""


def empty(text: str) -> str:
    return f'<p class="empty">{esc(text)}</p>'


def section(anchor: str, title: str, note: str, body: str) -> str:
    return (f'<section id="{anchor}"><h2>{esc(title)}</h2><p class="note">{esc(note)}</p>'
            f"{body}</section>")


def page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{CSS}</style></head>"
            f"<body><main>{body}</main></body></html>\n")


# ---------------------------------------------------------------------------------- the page


def render_html(summary: dict) -> str:
    n = summary["totals"]["articles"]
    header = (f"<header><h1>Data-quality report</h1><p class=\"sub\">Generated "
              f"{esc(summary['generated_at'])} from <code>{esc(summary['out_dir'])}</code> · "
              f"{n:,} article{'s' if n != 1 else ''}</p></header>")
    parts = [header, _intro(summary), _totals(summary), _status(summary), _kinds(summary),
             _findings(summary), _unresolved(summary), _worst(summary), _repairs(summary),
             _templates(summary), _flags(summary), _inputs(summary)]
    return page("Data-quality report", "".join(parts))


TOC = [("totals", "Totals"), ("status", "Articles"), ("kinds", "Values"),
       ("findings", "Findings"), ("unresolved", "Unresolved errors"),
       ("worst", "Worst articles"), ("repairs", "Repairs"),
       ("templates", "Unknown templates"), ("flags", "Flags"), ("inputs", "Input tables")]


def _intro(summary: dict) -> str:
    paras = "".join(f"<p>{_lead(_emphasis(esc(p)))}</p>" for p in INTRO)
    links = "".join(f'<a href="#{a}">{esc(t)}</a>' for a, t in TOC
                    if a != "templates" or summary["unknown_templates"])
    return (f'<section class="intro"><h2>What this report is and how to read it</h2>{paras}'
            f'<nav class="toc">Jump to: {links}</nav></section>')


def _lead(text: str) -> str:
    """Bold the 'Word:' a paragraph starts with, so the intro can be skimmed."""
    return re.sub(r"^(\w+):", r"<strong>\1:</strong>", text)


def _emphasis(text: str) -> str:
    return re.sub(r"\*([^*]+)\*", r"<b>\1</b>", text)


def _cards(items: list[tuple], small: bool = False) -> str:
    """Cards of (label, value) or (label, value, css class)."""
    cards = "".join(f'<div class="card {esc(item[2]) if len(item) > 2 else ""}">'
                    f'<div class="n">{esc(fmt(item[1]))}</div>'
                    f'<div class="l">{esc(item[0])}</div></div>' for item in items)
    return f'<div class="cards{" small" if small else ""}">{cards}</div>'


def _totals(summary: dict) -> str:
    t, status = summary["totals"], summary["articles_by_status"]
    main = [("articles", t["articles"]), ("read completely (ok)", status.get("ok", 0), "ok"),
            ("partly read", status.get("partial", 0), "partial"),
            ("failed", status.get("failed", 0), "failed"),
            ("infobox fields", t["infobox_fields"]), ("typed values", pct(t["typed_share"])),
            ("tables", t["tables"]), ("table cells", t["table_cells"]),
            ("findings", t["findings"]), ("repairs", t["repairs"])]
    records = [(name.replace("_", " "), n) for name, n in t["records"].items()]
    return section("totals", "Totals", "What came out of the run, at a glance.",
                   _cards(main) + "<h3>Typed records</h3>" + _cards(records, small=True))


def _status(summary: dict) -> str:
    status = summary["articles_by_status"]
    body = share_bar([(s, status.get(s, 0), COLOURS[s]) for s in ("ok", "partial", "failed")])
    body = body or empty("No articles were read.")
    formats = ", ".join(f"{k}: {v:,}" for k, v in summary["articles_by_format"].items())
    if formats:
        body += f'<p class="note">By input format — {esc(formats)}.</p>'
    for name in ("failed", "partial"):
        block = summary[f"{name}_articles"]
        if block["items"]:
            body += _status_block(name, block)
    problems = summary.get("problems_by_code") or {}
    if problems:
        body += (f"<h3>Problems met reading the pages, by code</h3>"
                 f'<p class="note">{esc(SECTION_NOTES["problems"])}</p>'
                 + table(["code", "articles", "times"],
                         [[Html(f'<code class="rule">{esc(code)}</code>'), n["articles"],
                           n["times"]] for code, n in problems.items()], numeric={1, 2}))
    return section("status", "Articles by status", SECTION_NOTES["status"], body)


def _status_block(name: str, block: dict) -> str:
    """Error codes first (what went wrong, how often), then the articles, folded when many."""
    n = sum(block["by_code"].values())
    codes = table(["error code", "articles"],
                  [[Html(f'<code class="rule">{esc(c)}</code>'), v]
                   for c, v in block["by_code"].items()], numeric={1})
    rows = [[article_cell(a["doc_id"], a["title"], a["source"]), a["error"]]
            for a in block["items"]]
    listing = table(["article", "first error"], rows) + more(block["more"])
    if len(rows) > 10:
        listing = (f"<details><summary>Show the {len(rows)} first {name} articles"
                   f"</summary>{listing}</details>")
    return f"<h3>{n:,} {name} article{'s' if n != 1 else ''}, by error code</h3>{codes}{listing}"


def _kinds(summary: dict) -> str:
    body = ""
    for name, kinds in summary["value_kinds"].items():
        label = name.replace("_", " ")
        body += (f"<h3>{esc(label.capitalize())}: {kinds['total']:,} values, "
                 f"{pct(kinds['typed_share'])} typed</h3>")
        rows = [(kind, [(kind, n, _kind_colour(kind))]) for kind, n in
                list(kinds["by_kind"].items())[:15]]
        rest = sum(list(kinds["by_kind"].values())[15:])
        if rest:
            rows.append(("other kinds", [("other kinds", rest, COLOURS["typed"])]))
        legend = [("typed", COLOURS["typed"]), ("plain text", COLOURS["text"]),
                  ("empty", COLOURS["empty"])]
        body += bar_chart(rows, legend=legend) or empty("No values.")
    seen = {k for kinds in summary["value_kinds"].values() for k in kinds["by_kind"]}
    words = [f"<b>{esc(k)}</b> {esc(v)}" for k, v in KIND_GLOSSARY.items() if k in seen]
    if words:
        body += f'<p class="note">Kinds: {"; ".join(words)}.</p>'
    return section("kinds", "Values by kind", SECTION_NOTES["kinds"], body)


def _kind_colour(kind: str) -> str:
    if kind == "empty":
        return COLOURS["empty"]
    return COLOURS["text"] if kind in ("text", "untyped", "(none)") else COLOURS["typed"]


def _findings(summary: dict) -> str:
    rules = summary["findings_by_rule"]
    if not rules:
        return section("findings", "Findings by rule and severity", SECTION_NOTES["findings"],
                       empty("No findings: every check held, or no check ran."))
    sev = summary["findings_by_severity"]
    body = _cards([(f"{s}s", sev.get(s, 0)) for s in ("error", "warning", "info")], small=True)
    chart_rows = [(r["rule"], [(s, r[s], COLOURS[s]) for s in ("error", "warning", "info")])
                  for r in rules[:20]]
    body += bar_chart(chart_rows, legend=[(s, COLOURS[s]) for s in ("error", "warning", "info")])
    if len(rules) > 20:
        body += f'<p class="note">The chart shows the first 20 of {len(rules)} rules.</p>'
    rows = [[Html(f"<code class=\"rule\">{esc(r['rule'])}</code>"), pill("error", r["error"]),
             pill("warning", r["warning"]), pill("info", r["info"]), r["repaired"], r["ambiguous"],
             _rule_text(r)] for r in rules]
    headers = ["rule", "errors", "warnings", "infos", "repaired", "ambiguous",
               "what it checks · example"]
    body += table(headers, rows, numeric={4, 5})
    return section("findings", "Findings by rule and severity", SECTION_NOTES["findings"], body)


def _rule_text(rule: dict) -> Html:
    description = esc(rule.get("description", ""))
    example = f'<span class="doc">e.g. “{esc(rule["example"])}”</span>' if rule["example"] else ""
    return Html(description + example if description else esc(rule["example"]))


def _unresolved(summary: dict) -> str:
    block = summary["unresolved_errors"]
    if not block["items"]:
        return section("unresolved", "Unresolved errors", SECTION_NOTES["unresolved"],
                       empty("None: every error was repaired, or there were no errors."))
    head = "".join(f"<th>{h}</th>" for h in ("article", "rule", "status", "message"))
    body = [f'<table class="repairs"><thead><tr>{head}</tr></thead>']
    for f in block["items"]:
        body.append(
            f"<tbody><tr><td>{article_cell(f['doc_id'], f['title'])}</td>"
            f'<td><code class="rule">{esc(f["rule"])}</code>'
            f'<span class="doc">{esc(f["subject"])}</span></td>'
            f"<td>{esc(f['status'])}</td><td>{esc(f['message'])}</td></tr>"
            f'<tr class="evidence"><td colspan="4">{_evidence(f["evidence_lines"])}</td></tr>'
            "</tbody>")
    body.append("</table>")
    return section("unresolved", "Unresolved errors", SECTION_NOTES["unresolved"],
                   "".join(body) + more(block["more"]))


def _worst(summary: dict) -> str:
    worst = summary["worst_articles"]
    if not worst["items"]:
        return section("worst", "Worst articles", SECTION_NOTES["worst"],
                       empty("No article has errors or warnings."))
    rows = [[i, article_cell(w["doc_id"], w["title"]), pill("error", w["errors"]),
             pill("warning", w["warnings"]),
             Html(" ".join(f'<code class="rule">{esc(r)}</code>' for r in w["rules"]))]
            for i, w in enumerate(worst["items"], 1)]
    body = table(["#", "article", "errors", "warnings", "rules broken"], rows, numeric={0})
    return section("worst", "Worst articles", SECTION_NOTES["worst"], body + more(worst["more"]))


def _repairs(summary: dict) -> str:
    repairs = summary["repairs"]
    if not repairs["items"]:
        return section("repairs", "Repairs", SECTION_NOTES["repairs"],
                       empty("No value was repaired."))
    headers = ["article", "record · field", "raw → repaired", "method · rule", "confidence"]
    head = "".join(f'<th class="{"num" if h == "confidence" else ""}">{esc(h)}</th>'
                   for h in headers)
    body = [f'<table class="repairs"><thead><tr>{head}</tr></thead>']
    for r in repairs["items"]:
        confidence = "—" if r["confidence"] is None else f"{r['confidence']:.2f}"
        # Each repair is one <tbody>: its facts on one row, its evidence across the row below.
        body.append(
            f"<tbody><tr><td>{article_cell(r['doc_id'], r['title'])}</td>"
            f"<td><code>{esc(r['record'])}</code> · {esc(r['field'])}</td>"
            f'<td><code class="old">{esc(r["raw"])}</code> → '
            f'<code class="new">{esc(r["repaired"])}</code></td>'
            f"<td>{esc(r['method'])}<span class=\"doc\">{esc(r['rule'])}</span></td>"
            f'<td class="num">{esc(confidence)}</td></tr>'
            f'<tr class="evidence"><td colspan="5">{_evidence(r["evidence_lines"])}</td></tr>'
            "</tbody>")
    body.append("</table>")
    return section("repairs", "Repairs", SECTION_NOTES["repairs"],
                   "".join(body) + more(repairs["more"]))


def _evidence(lines: list[str], shown: int = 6) -> Html:
    if not lines:
        return Html('<span class="empty">No evidence recorded.</span>')
    items = "".join(f"<li>{esc(x)}</li>" for x in lines[:shown])
    rest = lines[shown:]
    if rest:
        hidden = "".join(f"<li>{esc(x)}</li>" for x in rest)
        items += (f"<li><details><summary>{len(rest)} more</summary>"
                  f'<ul class="evidence">{hidden}</ul></details></li>')
    return Html(f'<b class="evidence">Evidence</b><ul class="evidence">{items}</ul>')


def _templates(summary: dict) -> str:
    templates = summary["unknown_templates"]
    if not templates:
        return ""
    rows = [[Html(f"<code>{esc(t['template'])}</code>"), t["fields"], t["articles"]]
            for t in templates["items"]]
    body = table(["template", "fields touched", "articles"], rows, numeric={1, 2})
    return section("templates", "Unknown templates", SECTION_NOTES["templates"],
                   body + more(templates["more"]))


def _flags(summary: dict) -> str:
    body = ""
    for name, counts in summary["flags"].items():
        label = "Infobox values" if name == "infobox_fields" else "Tables"
        body += f"<h3>{label}</h3>"
        body += (table(["flag", "count"], [[Html(f"<code>{esc(k)}</code>"), v]
                                          for k, v in counts.items()], numeric={1})
                 if counts else empty("No flags."))
    return section("flags", "Flags", SECTION_NOTES["flags"], body)


def _inputs(summary: dict) -> str:
    rows = [[Html(f"<code>{esc(name)}</code>"), info["source"], info["rows"], info["note"]]
            for name, info in summary["inputs"].items()]
    body = table(["table", "read from", "rows", "note"], rows, numeric={2})
    return section("inputs", "Input tables", "The tables this report was built from.", body)
