"""The pathological page: one wikitable of 100,000 rows (`|-` / `| a || b`, ~2 MB).

    .venv/bin/python bench/big_table.py [--rows 100000] [--write FILE]

Times each stage of one process on it (parse, records, rows, reconcile, Arrow) and prints the
peak RSS of this process after each stage. `--write FILE` only writes the page (as a `.wiki`
file for the CLI: `extractor extract FILE --jobs 1`).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path


def big_page(rows: int) -> str:
    lines = ["Intro text.", "", '{| class="wikitable"', "! Name !! Value"]
    for i in range(rows):
        lines += ["|-", f"| a{i} || {i * 7 % 100003}"]
    lines.append("|}")
    return "\n".join(lines) + "\n"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args(argv)
    text = big_page(args.rows)
    if args.write:
        args.write.write_text(text, encoding="utf-8")
        return 0
    from extractor.parse.wikitext import parse_wikitext
    from extractor.reconcile import reconcile
    from extractor.schemas.registry import build_records, records_to_rows
    from extractor.sinks import to_arrow

    print(f"page: {len(text) / 1e6:.1f} MB, {args.rows} rows; start {peak_mb():.0f} MB")
    clock = time.perf_counter
    t0 = clock()
    article = parse_wikitext(text, title="Big", doc_id="big#1", source="bench", prose=False)
    t1 = clock()
    print(f"parse      {t1 - t0:6.2f} s  peak {peak_mb():5.0f} MB")
    records = build_records(article)
    t2 = clock()
    print(f"records    {t2 - t1:6.2f} s  peak {peak_mb():5.0f} MB")
    rows = records_to_rows(article.doc_id, records)
    t3 = clock()
    print(f"rows       {t3 - t2:6.2f} s  peak {peak_mb():5.0f} MB")
    reconcile(article, records)
    t4 = clock()
    print(f"reconcile  {t4 - t3:6.2f} s  peak {peak_mb():5.0f} MB")
    for table, table_rows in rows.items():
        to_arrow(table, table_rows)
    t5 = clock()
    print(f"arrow      {t5 - t4:6.2f} s  peak {peak_mb():5.0f} MB")
    cells = sum(len(r.cells) for t in article.tables for r in t.rows)
    print(f"total      {t5 - t0:6.2f} s  {1e6 * (t5 - t0) / max(cells, 1):.1f} us/cell, "
          f"{cells} cells")
    return 0


if __name__ == "__main__":
    sys.exit(main())
