"""Differential check against wtf_wikipedia: a disagreement report on the same articles.

    python bench/diff_peers.py [--corpus DIR] [--wtf-prefix /work/bench-node] [--peer-jsonl F]

Runs the peer (`../shared/peers/wtf_peer.mjs --what both --dump`) over the corpus `.wiki` files
and this project's wikitext parser over the same files, then compares, per article: infoboxes
(paired by template and content), their keys (case- and space-insensitive) and values (plain
text, whitespace collapsed), tables (paired by content) and their data-row counts, and the cells
of paired rows. Every disagreement gets a named class (see `diff_classes.py`); the report gives
counts, who the class is on, and examples. Writes `bench/results/diff_peers.md` and `.json`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import peer  # noqa: E402
from diff_classes import (  # noqa: E402
    Report,
    classify_key_only,
    classify_value,
    norm_key,
    norm_template,
    norm_text,
)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "wikitext"
RESULTS = ROOT / "bench" / "results"
DATA = ROOT / "bench" / "data"


# --- the two sides, in one shape ----------------------------------------------------------
# box:   {"template": str, "fields": {norm_key: {"key", "raw", "text"}}, "nested": bool}
# table: {"rows": [[{"raw", "text"}]]}   (data rows only: rows that are not all header cells)

def load_peer(jsonl: Path) -> dict[str, dict]:
    out = {}
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            out[record["file"]] = peer_view(record)
    return out


def peer_view(record: dict) -> dict:
    boxes = [
        {"template": norm_template(box.get("template") or ""), "nested": False,
         "fields": {norm_key(k): {"key": k, "raw": v, "text": norm_text(v)}
                    for k, v in box.get("fields", {}).items()}}
        for box in record.get("infoboxes", [])
    ]
    tables = [
        {"rows": [[{"raw": v, "text": norm_text(v)} for v in row.values()] for row in table]}
        for table in record.get("tables", [])
    ]
    return {"infoboxes": boxes, "tables": tables}


def our_parser() -> Callable[[str, str], object]:
    try:
        from extractor.parse.wikitext import parse_wikitext
    except ImportError as error:
        sys.exit(f"diff_peers: the wikitext parser is not there yet ({error})")
    return lambda text, name: parse_wikitext(text, title=name, doc_id=name, source=name)


def our_view(article) -> dict:
    boxes = []
    for box in article.infoboxes:
        fields = {}
        for f in box.fields:  # the last of duplicate keys wins, as in MediaWiki
            text = f.text if f.text is not None else f.value
            fields[norm_key(f.key)] = {"key": f.key, "raw": f.value, "text": norm_text(text)}
        boxes.append({"template": norm_template(box.template or box.header or ""),
                      "nested": box.parent is not None, "fields": fields})
    tables = []
    for table in article.tables:
        grid = expanded_rows(table)
        rows = [
            [{"raw": c.raw if c.raw is not None else c.text, "text": norm_text(c.text)}
             for c in row]
            for row in grid
            if row and not all(c.header for c in row)
        ]
        headers = sum(1 for row in grid if row and all(c.header for c in row))
        tables.append({"rows": rows, "kind": table.kind, "header_rows": headers})
    return {"infoboxes": boxes, "tables": tables}


def expanded_rows(table) -> list[list]:
    """The table's rows with row spans copied down (as the peer does), a column-spanning cell
    once, ragged ends left ragged. Falls back to the cells as written without `expand_grid`."""
    try:
        from extractor.tables import expand_grid
    except ImportError:
        return [row.cells for row in table.rows]
    grid, _flags = expand_grid(table)
    rows = []
    for r, slots in enumerate(grid):
        cells, seen = [], set()
        for slot in slots:
            if slot.cell is None or (slot.origin[0] == r and slot.origin in seen):
                continue
            seen.add(slot.origin)
            cells.append(slot.cell)
        rows.append(cells)
    return rows


def typed_totals(article) -> dict:
    """Non-empty values and table rows after typing (`process_article`), when it runs."""
    try:
        from extractor.pipeline import process_article

        rows = process_article(article)
    except Exception:  # noqa: BLE001 - typing is optional here
        return {}
    cells = rows.get("table_cells", [])
    return {
        "typed_nonempty_values": sum(
            1 for r in rows.get("infobox_fields", []) if (r.get("text") or r.get("raw") or "")
            .strip()),
        "typed_table_rows": len({(r["table"], r["row"]) for r in cells if not r.get("header")}),
    }


# --- pairing ------------------------------------------------------------------------------

def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def box_score(ours: dict, theirs: dict) -> float:
    pairs_o = {(k, v["text"]) for k, v in ours["fields"].items() if v["text"]}
    pairs_t = {(k, v["text"]) for k, v in theirs["fields"].items() if v["text"]}
    same_name = 0.5 if ours["template"] == theirs["template"] else 0.0
    return same_name + jaccard(set(ours["fields"]), set(theirs["fields"])) + jaccard(pairs_o,
                                                                                   pairs_t)


def table_score(ours: dict, theirs: dict) -> float:
    cells_o = {c["text"] for row in ours["rows"] for c in row if c["text"]}
    cells_t = {c["text"] for row in theirs["rows"] for c in row if c["text"]}
    rows = 0.2 if len(ours["rows"]) == len(theirs["rows"]) else 0.0
    return jaccard(cells_o, cells_t) + rows


def pair(ours: list, theirs: list, score: Callable, floor: float,
         by_order: bool = False) -> list[tuple]:
    """Greedy best-first pairing; (i, None) and (None, j) for the unpaired. With `by_order`,
    those left over are then paired in document order as far as both sides go."""
    candidates = sorted(
        ((score(o, t), -abs(i - j), i, j)
         for i, o in enumerate(ours) for j, t in enumerate(theirs)),
        reverse=True,
    )
    used_o, used_t, pairs = set(), set(), []
    for s, _, i, j in candidates:
        if s >= floor and i not in used_o and j not in used_t:
            used_o.add(i)
            used_t.add(j)
            pairs.append((i, j))
    left_o = [i for i in range(len(ours)) if i not in used_o]
    left_t = [j for j in range(len(theirs)) if j not in used_t]
    if by_order:
        pairs += list(zip(left_o, left_t, strict=False))
        n = min(len(left_o), len(left_t))
        left_o, left_t = left_o[n:], left_t[n:]
    return pairs + [(i, None) for i in left_o] + [(None, j) for j in left_t]


# --- comparing ----------------------------------------------------------------------------

_CODE = re.compile(r"<(pre|nowiki|source|syntaxhighlight)\b[^>]*>(.*?)</\1\s*>",
                   re.DOTALL | re.IGNORECASE)


def code_blocks(text: str) -> str:
    """The text inside `<pre>`, `<nowiki>` and source blocks: markup shown, not parsed."""
    return "\n".join(match.group(2) for match in _CODE.finditer(text))


def compare_article(name: str, ours: dict, theirs: dict, report: Report, code: str = "") -> None:
    """Compare one article; `code` is the text of its <pre>/<nowiki> blocks."""
    report.totals_add(ours, theirs)
    for i, j in pair(ours["infoboxes"], theirs["infoboxes"], box_score, 0.3):
        if j is None:
            box = ours["infoboxes"][i]
            cls = "ours_nested_infobox" if box["nested"] else "ours_only_infobox"
            report.add(cls, name, template=box["template"], fields=len(box["fields"]))
        elif i is None:
            box = theirs["infoboxes"][j]
            report.add("peer_only_infobox", name, template=box["template"],
                       fields=len(box["fields"]))
        else:
            compare_box(name, ours["infoboxes"][i], theirs["infoboxes"][j],
                        (ours["infoboxes"], theirs["infoboxes"]), report)
    for i, j in pair(ours["tables"], theirs["tables"], table_score, 0.15, by_order=True):
        if j is None:
            table = ours["tables"][i]
            cls = "ours_only_table" if table["kind"] == "wikitable" else "ours_results_template"
            report.add(cls, name, kind=table["kind"], rows=len(table["rows"]),
                       first_row=[c["text"][:30] for c in (table["rows"] or [[]])[0]][:4])
        elif i is None:
            table = theirs["tables"][j]
            first = [c["text"] for c in (table["rows"] or [[]])[0] if c["text"]]
            cls = "peer_only_table"
            if first and first[0] in norm_text(code):
                cls = "peer_reads_tables_in_pre_nowiki"
                report.explained("peer_table_rows", len(table["rows"]))
            report.add(cls, name, rows=len(table["rows"]), first_row=[f[:30] for f in first[:4]])
        else:
            compare_table(name, ours["tables"][i], theirs["tables"][j], report)


def compare_box(name: str, ours: dict, theirs: dict, all_boxes: tuple[list, list],
                report: Report) -> None:
    """One paired infobox, key by key. `all_boxes`: every box of the article (ours, peer's),
    to tell a missing key from one that sits in another box on the other side."""
    report.count("infobox_pairs")
    our_boxes, peer_boxes = all_boxes
    for key in sorted(set(ours["fields"]) | set(theirs["fields"])):
        o, t = ours["fields"].get(key), theirs["fields"].get(key)
        if o and t:
            report.count("values_compared")
            if o["key"] != t["key"]:
                report.add("key_case_differs", name, key=o["key"], peer_key=t["key"])
            if o["text"] == t["text"]:
                report.count("values_equal")
                continue
            cls = classify_value(o["text"], t["text"], o["raw"])
            report.add(cls, name, key=o["key"], ours=o["text"][:120], peer=t["text"][:120],
                       raw=o["raw"].strip()[:160], template=ours["template"])
        elif o:
            cls = classify_key_only("ours", o, key, peer_boxes)
            report.add(cls, name, key=o["key"], ours=o["text"][:120], raw=o["raw"].strip()[:160],
                       template=ours["template"])
        else:
            cls = classify_key_only("peer", t, key, [b for b in our_boxes if b is not ours])
            report.add(cls, name, key=t["key"], peer=t["text"][:120], template=ours["template"])


def compare_table(name: str, ours: dict, theirs: dict, report: Report) -> None:
    report.count("table_pairs")
    n_o, n_t = len(ours["rows"]), len(theirs["rows"])
    first_row = [c["text"][:30] for c in (ours["rows"] or [[]])[0]][:4]
    if table_score(ours, theirs) < 0.15:
        report.add("table_content_differs", name, ours_rows=n_o, peer_rows=n_t,
                   first_row=first_row,
                   peer_first_row=[c["text"][:30] for c in (theirs["rows"] or [[]])[0]][:4])
        return
    if n_o != n_t:
        if n_t - n_o == ours["header_rows"] - 1:
            cls = "peer_counts_header_rows"
            report.explained("peer_table_rows", n_t - n_o)
        else:
            cls = "table_rows_more_ours" if n_o > n_t else "table_rows_more_peer"
        report.add(cls, name, ours_rows=n_o, peer_rows=n_t, first_row=first_row)
        return
    widths = [(o, t) for o, t in zip(ours["rows"], theirs["rows"], strict=True)
              if len(o) != len(t)]
    if widths:
        o, t = widths[0]
        report.add("table_row_width_differs", name, rows=len(widths),
                   ours=[c["text"][:20] for c in o][:6], peer=[c["text"][:20] for c in t][:6])
    for row_o, row_t in zip(ours["rows"], theirs["rows"], strict=True):
        texts_t = [c["text"] for c in row_t]
        for col, cell in enumerate(row_o):
            report.count("cells_compared")
            if cell["text"] in texts_t:
                report.count("cells_equal")
                continue
            other = texts_t[col] if col < len(texts_t) else ""
            cls = "cell_" + classify_value(cell["text"], other, cell["raw"])
            report.add(cls, name, ours=cell["text"][:100], peer=other[:100],
                       raw=cell["raw"].strip()[:140])


# --- the run --------------------------------------------------------------------------------

def run(corpus: Path, peer_jsonl: Path, typed: bool = True) -> Report:
    theirs = load_peer(peer_jsonl)
    parse = our_parser()
    report = Report()
    for path in sorted(corpus.glob("*.wiki")):
        if path.name not in theirs:
            report.add("peer_missing_article", path.name)
            continue
        text = path.read_bytes().decode("utf-8")
        article = parse(text, path.name)
        compare_article(path.name, our_view(article), theirs[path.name], report,
                        code_blocks(text))
        if typed:
            for key, value in typed_totals(article).items():
                report.totals[key] = report.totals.get(key, 0) + value
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--wtf-prefix", type=Path, default=peer.DEFAULT_PREFIX)
    parser.add_argument("--peer-jsonl", type=Path, default=None,
                        help="reuse this peer dump instead of running the peer")
    parser.add_argument("--no-typing", action="store_true", help="skip the typed totals")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    jsonl = args.peer_jsonl
    if jsonl is None:
        DATA.mkdir(parents=True, exist_ok=True)
        jsonl = DATA / "wtf_dump.jsonl"
        info = peer.run_peer(args.corpus, what="both", repeat=1, warmup=0, dump=jsonl,
                             prefix=args.wtf_prefix)
        print(f"peer: {info['articles']} articles, counts {info['counts']}", file=sys.stderr)
    report = run(args.corpus, jsonl, typed=not args.no_typing)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "diff_peers.json").write_text(json.dumps(report.to_json(), indent=1,
                                                         ensure_ascii=False))
    markdown = report.to_markdown()
    (args.out / "diff_peers.md").write_text(markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
