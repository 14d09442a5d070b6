"""Instructions of one cold pass over the corpus, counted by valgrind's callgrind: a measure of a
change that the load of a shared machine does not move (wall and even CPU time swing by 10-40%
there; this repeats to within ~0.2%).

    .venv/bin/python bench/icount.py [--only-infoboxes] [FOLDER]

Runs this script twice under `valgrind --tool=callgrind` (~2-4 minutes): once for the imports
and a warm-up pass over 20 articles, once for the same plus one cold pass over the whole folder
(`bench/stages.py`'s pass: parse, records, rows, reconciliation, Arrow; caches emptied first,
collector thresholds as a run sets them). Prints the pass's instructions (the difference) and
both totals. Needs `valgrind` (`apt-get install -y valgrind`). A `.py` file edited since its last
import is recompiled inside the count: import the package once before comparing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from stages import CORPUS, one_pass  # noqa: E402

WARM_UP = 20  # articles read before counting starts to matter: first imports, first-use costs


def child(folder: Path, only: bool, full: bool) -> None:
    """The counted program: warm up, then (`full`) one cold pass over the folder."""
    from extractor.gcpause import relax_collector

    relax_collector()
    files = sorted(folder.glob("*.wiki"))
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    one_pass(texts[:WARM_UP], only)
    if full:
        one_pass(texts, only)


def counted(folder: Path, only: bool, full: bool) -> int:
    """Instructions of one run of `child` under callgrind."""
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
           __file__, "--child", "full" if full else "base", str(folder)]
    if only:
        cmd.append("--only-infoboxes")
    env = {**os.environ, "PYTHONHASHSEED": "0"}  # set iteration order: fewer stray differences
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"callgrind run failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--only-infoboxes", action="store_true")
    parser.add_argument("--child", choices=("base", "full"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.folder, args.only_infoboxes, args.child == "full")
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install -y valgrind)", file=sys.stderr)
        return 2
    full = counted(args.folder, args.only_infoboxes, True)
    base = counted(args.folder, args.only_infoboxes, False)
    print(f"pass={full - base} full={full} base={base}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
