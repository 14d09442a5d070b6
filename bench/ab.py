"""A/B timing of the CLI: a reference revision and this tree, runs interleaved, on the corpus.

    .venv/bin/python bench/ab.py [--ref REV] [--repeat 5] [--only-infoboxes] [PATH ...]

Each run is `extractor extract PATH --jobs 1 --format parquet --no-report` timed by the tool
itself (`--summary-json` seconds); the two sides alternate so both see the same load. Prints
the median of each side and the median of the per-round ratios (reference over ours).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from same_output import ROOT, SHARED, unpack  # noqa: E402


def timed_run(code_root: Path | None, inputs: list[Path], only: bool) -> float:
    env = dict(os.environ)
    if code_root is not None:
        env["PYTHONPATH"] = str(code_root)
    with tempfile.TemporaryDirectory(prefix="ab-") as out:
        summary = Path(out) / "summary.json"
        cmd = [sys.executable, "-c", "import sys; from extractor.cli import main; sys.exit(main())",
               "extract", *map(str, inputs), "-o", str(Path(out) / "o"), "--format", "parquet",
               "--jobs", "1", "--no-report", "--quiet", "--fail-on", "never",
               "--summary-json", str(summary)]
        if only:
            cmd += ["--only", "infoboxes"]
        subprocess.run(cmd, env=env, cwd=code_root or ROOT, check=True, capture_output=True)
        return float(json.loads(summary.read_text())["seconds"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--ref", default=None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only-infoboxes", action="store_true")
    args = parser.parse_args(argv)
    rev = args.ref or subprocess.run(["git", "-C", str(ROOT), "merge-base", "HEAD", "main"],
                                     check=True, capture_output=True, text=True).stdout.strip()
    inputs = args.paths or [SHARED / "corpus" / "wikitext"]
    with tempfile.TemporaryDirectory(prefix="ab-code-") as tmp:
        ref_code = unpack(rev, Path(tmp))
        ref, ours = [], []
        for _ in range(args.repeat):
            ref.append(timed_run(ref_code, inputs, args.only_infoboxes))
            ours.append(timed_run(None, inputs, args.only_infoboxes))
    ratios = [r / o for r, o in zip(ref, ours, strict=True)]
    print(f"{'--only infoboxes' if args.only_infoboxes else 'everything'}: "
          f"ref {rev[:10]} median {statistics.median(ref):.3f} s, ours "
          f"{statistics.median(ours):.3f} s, ref/ours per round median "
          f"{statistics.median(ratios):.2f}x  (ref {[round(x, 2) for x in ref]}, ours "
          f"{[round(x, 2) for x in ours]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
