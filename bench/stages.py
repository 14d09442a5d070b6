"""Where one process spends its time on the corpus, stage by stage, imports warmed first.

    .venv/bin/python bench/stages.py [--repeat 3] [--only-infoboxes] [FOLDER]

Times are CPU seconds of this process (steadier than wall time on a shared machine). Stages:
parse (`parse_wikitext`, the body skipped with --only-infoboxes), records (`build_records`),
rows (`records_to_rows`), reconcile, and Arrow (the rows to Arrow tables, as the sinks build
them; no file written). Caches are emptied before each pass. Prints the best pass per stage.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "wikitext"


def clear_caches() -> None:
    """Empty every functools cache of the package: each pass starts as cold as a new process."""
    for name, module in list(sys.modules.items()):
        if name.startswith("extractor"):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def one_pass(texts: list[str], only: bool) -> dict[str, float]:
    from extractor.parse.wikitext import parse_wikitext
    from extractor.reconcile import reconcile
    from extractor.schemas.registry import build_records, records_to_rows
    from extractor.sinks import to_arrow

    spent = dict.fromkeys(("parse", "records", "rows", "reconcile", "arrow"), 0.0)
    merged: dict[str, list] = {}
    clock = time.process_time  # CPU time: steadier than wall time on a shared machine
    clear_caches()
    for n, text in enumerate(texts):
        t0 = clock()
        article = parse_wikitext(text, title=f"Page {n}", doc_id=f"bench#{n}", source="bench",
                                 body=not only, prose=False)  # as the pipeline reads wikitext
        t1 = clock()
        records = build_records(article)
        t2 = clock()
        rows = records_to_rows(article.doc_id, records)
        if only:
            rows.pop("tables", None)
            rows.pop("table_cells", None)
        t3 = clock()
        recon = reconcile(article, records)
        for table, table_rows in recon.to_rows(article.doc_id).items():
            rows[table] = table_rows
        t4 = clock()
        for table, table_rows in rows.items():
            merged.setdefault(table, []).extend(table_rows)
        spent["parse"] += t1 - t0
        spent["records"] += t2 - t1
        spent["rows"] += t3 - t2
        spent["reconcile"] += t4 - t3
    t5 = clock()
    for table, table_rows in merged.items():
        to_arrow(table, table_rows)
    spent["arrow"] = clock() - t5
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only-infoboxes", action="store_true")
    args = parser.parse_args(argv)
    files = sorted(args.folder.glob("*.wiki"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    nbytes = sum(len(t.encode()) for t in texts)
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        for stage, seconds in one_pass(texts, args.only_infoboxes).items():
            best[stage] = min(best.get(stage, seconds), seconds)
    total = sum(best.values())
    for stage, seconds in best.items():
        print(f"{stage:10} {seconds:7.3f} s  {100 * seconds / total:5.1f}%")
    print(f"{'total':10} {total:7.3f} s  {nbytes / 1e6 / total:.2f} MB/s of wikitext")
    return 0


if __name__ == "__main__":
    sys.exit(main())
