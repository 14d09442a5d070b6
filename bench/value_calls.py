"""Value typing on the arguments the pipeline really passes it: CPU time of cold passes.

    .venv/bin/python bench/value_calls.py [--only-infoboxes] [--repeat 7] [FOLDER]

Parses the corpus once (as `bench/stages.py` does), records every `parse_value` and
`missing_value` call that `build_records` makes (infobox fields and table cells, with their keys,
renderings and hints; the recording runs the sources, in a child process when this one runs the
compiled build, whose modules call each other directly), then times `--repeat` passes over the
recorded calls, every functools cache of the package emptied before each (as at the start of a
run). Prints the calls, how many take each path (the fast shapes, text without digits, the cached
general path, with hints), the share of general-path calls the cache answers, and the best and
median CPU milliseconds of a pass.
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from stages import CORPUS, clear_caches  # noqa: E402

from extractor import native, tables, value_hints, values  # noqa: E402
from extractor.schemas import registry  # noqa: E402

Call = tuple[str, str | None, str | None, dict[str, str] | None]
MISSING = object()  # stands for a `missing_value` call (its flag in the key's place)


def record(folder: Path, only: bool) -> list[Call]:
    """The value-typing calls of `build_records` over every article of `folder`. Patching the
    calls works only on the sources: a compiled build records them in a child that runs them."""
    if native.running() == "compiled":
        env = {**os.environ, native.PURE_ENV: "1"}
        argv = [sys.executable, __file__, str(folder), "--record"]
        pickled = subprocess.run(argv + (["--only-infoboxes"] if only else []), env=env,
                                 check=True, stdout=subprocess.PIPE).stdout
        return [(MISSING if missing else raw, key, text, hints)
                for missing, raw, key, text, hints in pickle.loads(pickled)]
    from extractor.parse.wikitext import parse_wikitext

    calls: list = []

    def parse_logged(raw, key=None, *, text=None, hints=None):
        calls.append((raw, key, text, dict(hints) if hints else hints))
        return values.parse_value(raw, key, text=text, hints=hints)

    def missing_logged(flag):
        calls.append((MISSING, flag, None, None))
        return values.missing_value(flag)

    saved = registry.parse_value, tables.parse_value, tables.missing_value
    registry.parse_value = tables.parse_value = parse_logged
    tables.missing_value = missing_logged
    try:
        for n, path in enumerate(sorted(folder.glob("*.wiki"))):
            article = parse_wikitext(path.read_text(encoding="utf-8"), title=f"Page {n}",
                                     doc_id=f"bench#{n}", source="bench", body=not only,
                                     prose=False)
            registry.build_records(article)
    finally:
        registry.parse_value, tables.parse_value, tables.missing_value = saved
    return calls


def one_pass(calls: list[Call]) -> None:
    parse, missing = values.parse_value, values.missing_value
    for raw, key, text, hints in calls:
        if raw is MISSING:
            missing(key)
        else:
            parse(raw, key, text=text, hints=hints)


def paths(calls: list[Call]) -> dict[str, int]:
    """How many calls take each path of `parse_value`."""
    counts = dict.fromkeys(("missing", "fast", "no_digits", "general", "hints"), 0)
    for raw, key, text, hints in calls:
        source = raw if text is None else text
        if raw is MISSING:
            counts["missing"] += 1
        elif hints and hints.keys() & value_hints.READ_HINTS:  # others are dropped
            counts["hints"] += 1
        elif value_hints.fast_fields(key, source) is not None:
            counts["fast"] += 1
        elif value_hints.fast_wordy(raw, key, source, text is not None) is not None:
            counts["no_digits"] += 1
        else:
            counts["general"] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--only-infoboxes", action="store_true")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--record", action="store_true",
                        help="only record the calls, pickled to stdout")
    args = parser.parse_args(argv)
    calls = record(args.folder, args.only_infoboxes)
    if args.record:
        sys.stdout.buffer.write(pickle.dumps(
            [(raw is MISSING, None if raw is MISSING else raw, key, text, hints)
             for raw, key, text, hints in calls]))
        return 0
    spent = []
    for _ in range(args.repeat):
        clear_caches()
        start = time.process_time()
        one_pass(calls)
        spent.append(time.process_time() - start)
    info = values._parse_cached.cache_info()
    asked = info.hits + info.misses
    print(f"{len(calls)} calls; paths {paths(calls)}; general-path cache hits "
          f"{info.hits}/{asked} ({info.hits / max(asked, 1):.0%})")
    print(f"CPU per pass: best {min(spent) * 1000:.1f} ms, "
          f"median {statistics.median(spent) * 1000:.1f} ms over {args.repeat}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
