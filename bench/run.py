"""Benchmarks: this tool and its references, measured in the same run; medians and ratios.

    python bench/run.py [--quick] [--sizes 100,1000] [--repeat 3] [--wtf-prefix /work/bench-node]

One process, on the corpus articles (`../shared/corpus/wikitext`, the same files for everyone):
this tool infoboxes-only and everything (`extractor extract --jobs 1`), wtf_wikipedia infoboxes
and infoboxes+tables, mwparserfromhell (full parse; infobox spans only; table spans only), and the
library path in this process as a diagnostic. Dumps (`bench/build_dumps.py`, built when missing):
this tool with `--jobs 2` against the 2-core floor (`lbzip2 -dc -n2 | lxml iterparse`) and
Python's bz2 floor, with the peak memory of all the tool's processes together. The targets of
the project are judged at the end. Writes `bench/results/run-<time>.json` (and `latest.json`)
and prints a markdown table. See bench/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import baselines  # noqa: E402
import build_dumps  # noqa: E402
import measure  # noqa: E402
import peer  # noqa: E402
from report_md import markdown, targets  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CORPUS = build_dumps.DEFAULT_CORPUS


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def attempt(name: str, fn: Callable[[], dict]) -> dict:
    """Run one measurement; a failure is recorded (and printed), never fatal to the run."""
    log(f"{name} ...")
    try:
        result = fn()
    except NotImplementedError as error:
        log(f"{name}: skipped ({error})")
        return {"skipped": str(error)}
    except Exception as error:  # noqa: BLE001 - one broken piece must not lose the others
        log(f"{name}: FAILED {type(error).__name__}: {error}")
        return {"error": f"{type(error).__name__}: {error}"[:2000],
                "trace": traceback.format_exc()[-3000:]}
    if "MB_per_s" in result:
        log(f"{name}: {result['MB_per_s']:.2f} MB/s")
    return result


def summarise(runs: list[dict], nbytes: int | None = None) -> dict:
    """The median of the runs' `seconds` and MB/s over `nbytes` (or the `bytes` they report)."""
    seconds = [r["seconds"] for r in runs]
    last = runs[-1]
    size = nbytes if nbytes is not None else (
        last.get("bytes") or last.get("summary", {}).get("bytes") or 0)
    median = statistics.median(seconds)
    result = {"seconds": seconds, "seconds_median": median, "bytes": size,
              "MB_per_s": size / 1e6 / median if median else None}
    result["last"] = {k: v for k, v in runs[-1].items() if k not in ("seconds", "stdout")}
    for key in ("peak_pss_MB", "peak_rss_MB"):
        if key in runs[-1]:
            result[key] = max(r[key] for r in runs)
    return result


def round_robin(plan: dict[str, Callable[[], dict]], repeat: int, label: str,
                limits: dict[str, int] | None = None) -> dict:
    """One run of each measurement in turn, `repeat` rounds (`limits` caps a slow one), so that
    all of them see the same (shared, changing) load; one that fails drops out of later rounds."""
    runs: dict[str, list] = {name: [] for name in plan}
    failed: dict[str, dict] = {}
    limits = limits or {}
    for round_ in range(repeat):
        for name, fn in plan.items():
            if name in failed or round_ >= limits.get(name, repeat):
                continue
            result = attempt(f"{name} {label} (round {round_ + 1}/{repeat})", fn)
            if "error" in result or "skipped" in result:
                failed[name] = result
            else:
                runs[name].append(result)
    return {name: failed.get(name) or {"runs": runs[name]} for name in plan}


def add_round_ratios(out: dict, rounds: dict, pairs: list[tuple[str, str]]) -> None:
    """For (ours, reference) measured in the same rounds on the same bytes: the throughput ratio
    of each round (reference seconds over ours), and their median, in out[ours]["vs"][ref].
    Taken round by round, a ratio sees one load on both sides: steadier than a ratio of medians
    on a shared machine."""
    for mine, ref in pairs:
        a, b = rounds.get(mine, {}).get("runs"), rounds.get(ref, {}).get("runs")
        if not a or not b or len(a) != len(b):
            continue
        ratios = [r["seconds"] / m["seconds"] for m, r in zip(a, b, strict=True) if m["seconds"]]
        if ratios:
            out[mine].setdefault("vs", {})[ref] = {"per_round": ratios,
                                                  "median": statistics.median(ratios)}


def one_process(args: argparse.Namespace) -> dict:
    """Every one-process measurement on the corpus articles, in interleaved rounds."""
    texts = baselines.load_texts(args.corpus)
    nbytes = baselines.text_bytes(texts)
    out: dict[str, dict] = {"_input": {"folder": str(args.corpus), "articles": len(texts),
                                       "bytes": nbytes}}

    def wtf(what: str) -> dict:
        # one timed pass per round, after one warm-up pass of the JIT in the same node process
        result = peer.run_peer(args.corpus, what=what, repeat=1, warmup=1,
                               prefix=args.wtf_prefix)
        return {**result, "seconds": result["seconds_median"]}

    def cli(only: str | None) -> Callable[[], dict]:
        return lambda: measure.run_cli([args.corpus], jobs=1, only=only, fmt=args.format)

    plan: dict[str, Callable[[], dict]] = {}
    if not args.skip_peer:
        plan["wtf_infobox"] = lambda: wtf("infobox")
        plan["wtf_both"] = lambda: wtf("both")
    plan["ours_cli_infoboxes_j1"] = cli("infoboxes")
    plan["ours_cli_all_j1"] = cli(None)
    plan["ours_lib_infoboxes"] = lambda: measure.library_pass(texts, only_infoboxes=True)
    plan["ours_lib_all"] = lambda: measure.library_pass(texts)
    for name, fn in baselines.PARSER_BASELINES.items():
        plan[name] = lambda fn=fn: fn(texts)
    rounds = round_robin(plan, args.repeat, "corpus", limits={"mwparserfromhell_full": 2})
    for name, result in rounds.items():
        out[name] = summarise(result["runs"], nbytes) if "runs" in result else result
    add_round_ratios(out, rounds, [
        ("ours_cli_infoboxes_j1", "wtf_infobox"), ("ours_lib_infoboxes", "wtf_infobox"),
        ("ours_cli_all_j1", "wtf_both"), ("ours_lib_all", "wtf_both")])
    return out


def dump_runs(args: argparse.Namespace, size: float) -> dict:
    """Floors and the tool (`--jobs 2`) on the dump of `size` MB, in rounds."""
    log(f"dump {size:g} MB: building when missing ...")
    dump = build_dumps.ensure_dump(size)
    r = args.repeat if size < 500 else args.big_repeat
    out: dict[str, dict] = {"_input": {"dump": str(dump), "bz2_MB": dump.stat().st_size / 1e6}}
    dump.read_bytes()  # into the page cache before the first timed run
    plan = {name: (lambda fn=fn: fn(dump)) for name, fn in baselines.DUMP_FLOORS.items()}
    for name, only in (("ours_cli_all_j2", None), ("ours_cli_infoboxes_j2", "infoboxes")):
        plan[name] = lambda only=only: measure.run_cli([dump], jobs=args.jobs, only=only,
                                                       fmt=args.format)
    rounds = round_robin(plan, r, f"{size:g} MB")
    floor_runs = rounds["floor_lbzip2_n2_lxml"].get("runs") or [{}]
    nbytes = floor_runs[-1].get("bytes")  # wikitext bytes in the dump, the tool's own measure
    out["_input"].update(pages=floor_runs[-1].get("pages"), text_bytes=nbytes,
                         xml_bytes=floor_runs[-1].get("xml_bytes"))
    for name, result in rounds.items():
        if "runs" not in result:
            out[name] = result
        else:
            out[name] = summarise(result["runs"], nbytes if name.startswith("ours") else None)
    add_round_ratios(out, rounds, [("ours_cli_all_j2", "floor_lbzip2_n2_lxml"),
                                   ("ours_cli_infoboxes_j2", "floor_lbzip2_n2_lxml")])
    return out


def meta(args: argparse.Namespace) -> dict:
    def version(cmd: list[str]) -> str | None:
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        except OSError:
            return None
        if done.returncode:
            return None
        return ((done.stdout or done.stderr).strip().splitlines() or [""])[0]

    return {
        "time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "commit": version(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]),
        "cpus": os.cpu_count(), "loadavg_start": os.getloadavg(),
        "python": platform.python_version(), "node": version(["node", "--version"]),
        "lbzip2": version(["lbzip2", "--version"]), "quick": args.quick,
        "repeat": args.repeat, "big_repeat": args.big_repeat, "jobs": args.jobs,
        "format": args.format,
        "cli_has_only": measure.cli_has("--only"),
        "cli_has_summary_json": measure.cli_has("--summary-json"),
        # compiled hot modules or their sources (extractor.native): say which was measured
        # (asked of the interpreter the CLI runs on: the venv's, else this one, as extractor_cmd)
        "code": version([str(measure.VENV_BIN / "python") if (measure.VENV_BIN / "python").exists()
                         else sys.executable, "-c",
                         "from extractor import native; print(native.running())"]),
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="small dumps (10 and 20 MB), one repeat: a smoke check in minutes")
    parser.add_argument("--sizes", default=None, help="dump sizes in MB (default 100,1000)")
    parser.add_argument("--repeat", type=int, default=None, help="repeats (default 3; quick 1)")
    parser.add_argument("--big-repeat", type=int, default=1,
                        help="repeats for dumps of 500 MB or more (default 1: a round of the "
                             "1 GB dump takes a few minutes on a slow machine)")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs for the dump runs")
    parser.add_argument("--format", default="parquet", choices=("csv", "parquet", "both"))
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--wtf-prefix", type=Path, default=peer.DEFAULT_PREFIX)
    parser.add_argument("--skip-peer", action="store_true", help="no wtf_wikipedia runs")
    parser.add_argument("--skip-one-process", action="store_true")
    parser.add_argument("--skip-dumps", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    args.sizes = build_dumps.parse_sizes(args.sizes or ("10,20" if args.quick else "100,1000"))
    args.repeat = args.repeat or (1 if args.quick else 3)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results: dict = {"meta": meta(args)}
    if not args.skip_one_process:
        results["one_process"] = one_process(args)
    if not args.skip_dumps:
        results["dumps"] = {f"{s:g}": dump_runs(args, s) for s in args.sizes}
    results["meta"]["loadavg_end"] = os.getloadavg()
    results["targets"] = targets(results)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    for name in (f"run-{stamp}.json", "latest.json"):
        (args.out / name).write_text(json.dumps(results, indent=1, default=str))
    table = markdown(results)
    (args.out / "latest.md").write_text(table)
    print(table)
    log(f"results: {args.out / f'run-{stamp}.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
