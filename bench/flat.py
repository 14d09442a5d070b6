"""Flat-format parse throughput against a plain `splitlines()` pass over the same text.

    python bench/flat.py [--mb 50] [--repeat 5]

Builds a ~50 MB flat dump from the project's fixtures (titles made unique), then times, in the
same run and on the same text, `parse_flat` and `str.splitlines()`; prints medians of
`--repeat` runs and the ratio. The machine is shared and noisy: quote medians.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.parse.flat import parse_flat  # noqa: E402


def build_dump(megabytes: float) -> str:
    pieces = [
        p.read_text(encoding="utf-8").replace("\r\n", "\n")
        for folder in ("seeds", "flat")
        for p in sorted((ROOT / "fixtures" / folder).glob("*.txt"))
    ]
    out: list[str] = []
    size, n = 0, 0
    target = int(megabytes * 1e6)
    while size < target:
        for piece in pieces:
            n += 1
            text = piece.replace(" =\n", f" {n} =\n", 1)  # a unique title per copy
            out.append(text if text.endswith("\n") else text + "\n")
            size += len(text.encode("utf-8"))
    return "\n".join(out)


def timed(fn, text: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    text = build_dump(args.mb)
    mb = len(text.encode("utf-8")) / 1e6
    articles = len(parse_flat(text, "bench.txt"))
    lark = timed(lambda t: parse_flat(t, "bench.txt"), text, args.repeat)
    plain = timed(str.splitlines, text, args.repeat)
    lark_mb_s = mb / statistics.median(lark)
    plain_mb_s = mb / statistics.median(plain)
    print(json.dumps({
        "MB": round(mb, 1),
        "articles": articles,
        "repeat": args.repeat,
        "parse_flat_MB_per_s": round(lark_mb_s, 2),
        "splitlines_MB_per_s": round(plain_mb_s, 1),
        "ratio_parse_flat_to_splitlines": round(lark_mb_s / plain_mb_s, 4),
        "parse_flat_seconds": [round(t, 2) for t in lark],
    }))


if __name__ == "__main__":
    main()
