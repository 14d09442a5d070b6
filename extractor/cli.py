"""The command line: a thin layer over the library. Errors of the tool's own (ExtractorError) are
turned into one clear line and an exit code here, and nowhere else."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from extractor import __version__, native
from extractor.errors import ExtractorError, UsageError
from extractor.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from extractor.run import RunResult

SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="extractor",
        description="Turn wiki-style articles (the flat article format, wikitext, MediaWiki XML "
        "dumps, JSONL) into typed, reconciled CSV/Parquet tables and a data-quality report.",
    )
    parser.add_argument("--version", action="version",
                        version=f"extractor {__version__}, code: {native.running()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    extract = commands.add_parser(
        "extract",
        help="extract tables from files, folders and globs",
        description="Read articles from PATHs (files, folders, globs; flat .txt, .wiki, XML "
        "dumps .xml/.bz2/.gz, JSONL) and write the output tables and the report to OUT.",
    )
    extract.add_argument("paths", nargs="+", metavar="PATH")
    extract.add_argument("-o", "--out", default="out", help="output folder (default: out)")
    extract.add_argument(
        "--format", choices=("csv", "parquet", "both"), default="both",
        help="table file format (default: both)",
    )
    extract.add_argument(
        "--jobs", "-j", type=int, default=0,
        help="worker processes (default: all cores; 1 = this process only)",
    )
    extract.add_argument(
        "--namespace", type=int, action="append", default=None,
        help="MediaWiki namespace to read from dumps (repeatable; default: 0, articles)",
    )
    extract.add_argument(
        "--fail-on", choices=("never", "failed", "error", "warning"), default="failed",
        help="the exit status after a finished run: 1 when articles failed (every level but "
        "'never'), 3 when findings of this severity or worse remain ('error', 'warning'); "
        "'never' exits 0 whenever the run finished (default: failed)",
    )
    extract.add_argument(
        "--resume", action="store_true",
        help="continue an interrupted run in OUT: finished partitions are kept, the rest redone",
    )
    extract.add_argument(
        "--engine", choices=("local", "dask"), default="local",
        help="local processes (default) or a Dask cluster",
    )
    extract.add_argument(
        "--scheduler", metavar="ADDRESS",
        help="Dask scheduler address (tcp://host:8786); default: a local Dask cluster",
    )
    extract.add_argument(
        "--partition-mb", type=float, default=None,
        help="input MB per partition, the unit of parallel work and of resume "
        "(default: several per worker, at most 32)",
    )
    extract.add_argument(
        "--only", choices=("all", "infoboxes"), default="all",
        help="'infoboxes' skips tables and prose (faster); election and legislature pages are "
        "still read whole, for reconciliation's witnesses (default: all)",
    )
    limits = extract.add_argument_group(
        "per-article limits",
        "an article past one is 'partial' (or 'failed') with a LIMIT_* problem; the run goes on",
    )
    limits.add_argument(
        "--max-article-mb", type=float, default=DEFAULT_LIMITS.article_mb, metavar="MB",
        help="millions of characters of one article's text read (default: %(default)s)",
    )
    limits.add_argument(
        "--max-depth", type=int, default=DEFAULT_LIMITS.depth, metavar="N",
        help="templates nested deeper are read as text (default: %(default)s)",
    )
    limits.add_argument(
        "--max-table-cells", type=int, default=DEFAULT_LIMITS.table_cells, metavar="N",
        help="cells of all the tables of one article (default: %(default)s)",
    )
    limits.add_argument(
        "--article-timeout", type=float, default=DEFAULT_LIMITS.seconds, metavar="SECONDS",
        help="wall time to parse one article, and again to type it; 0 = none "
        "(default: %(default)s; not enforced on Dask's worker threads)",
    )
    extract.add_argument(
        "--csv-raw", action="store_true",
        help="write CSV cells exactly; by default a text cell that starts with = + - @ (which "
        "a spreadsheet would run as a formula) gets a leading apostrophe",
    )
    extract.add_argument("--summary-json", metavar="PATH", help="also write the summary as JSON")
    extract.add_argument("--no-report", action="store_true", help="skip report.html/.md/.json")
    extract.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None,
        help="show a progress bar (default: when stderr is a terminal)",
    )
    extract.add_argument("--quiet", "-q", action="store_true", help="print no summary")

    report = commands.add_parser(
        "report",
        help="rebuild report.html/.md/.json from the tables in an output folder",
        description="Rebuild the data-quality report from the tables an earlier run wrote.",
    )
    report.add_argument("out", nargs="?", default="out", help="output folder (default: out)")

    explain = commands.add_parser(
        "explain",
        help="print one file's articles: records, findings and repairs",
        description="Parse FILE and print, for a person to read, each article's infoboxes as "
        "typed records, its tables, and the findings and repairs of reconciliation.",
    )
    explain.add_argument("file", metavar="FILE")
    explain.add_argument("--title", help="only the article with this title")
    return parser


def main(argv: list[str] | None = None) -> int:
    # numpy (through pandas and pyarrow) starts an OpenBLAS thread per core, which the tool never
    # uses; those threads spin around every fork of a worker (~1% of a dump run's CPU, by perf).
    # Set before the first import of numpy; a value the user set is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    args = _parser().parse_args(argv)
    try:
        if args.command == "extract":
            return _extract(args)
        if args.command == "report":
            return _report(args)
        return _explain(args)
    except ExtractorError as error:
        print(f"extractor: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("extractor: interrupted", file=sys.stderr)
        return 130


def _extract(args: argparse.Namespace) -> int:
    import gc

    from extractor.gcpause import relax_collector
    from extractor.run import extract, load_modules, write_summary

    # The modules and tables loaded so far live as long as the process: moved out of the
    # collector's sight, its full collections stop walking them (~10% of a run's time), and
    # forked workers inherit them frozen.
    load_modules()
    gc.freeze()
    relax_collector()

    jobs = args.jobs or os.cpu_count() or 1
    if jobs < 0:
        raise UsageError("--jobs must be 0 (all cores) or a positive number")
    progress = sys.stderr.isatty() if args.progress is None else args.progress
    result = extract(
        args.paths,
        out_dir=args.out,
        fmt=args.format,
        jobs=jobs,
        namespaces=set(args.namespace or [0]),
        progress=progress,
        report=not args.no_report,
        resume=args.resume,
        engine=args.engine,
        scheduler=args.scheduler,
        partition_mb=args.partition_mb,
        only_infoboxes=args.only == "infoboxes",
        limits=_limits(args),
        csv_raw=args.csv_raw,
    )
    if args.summary_json:
        write_summary(result, args.summary_json)
    if not args.quiet:
        print(result.render())
    status = exit_status(result, args.fail_on)
    if status == 1:
        print(f"extractor: {result.tally.status['failed']:,} article(s) failed; their rows in "
              f"the articles table in {result.out_dir} say why (exit status 1; --fail-on never "
              "ignores this)", file=sys.stderr)
    return status


def exit_status(result: RunResult, fail_on: str) -> int:
    """0: the run finished and nothing it was asked to watch went wrong; 1: articles failed
    (their rows say why); 3: findings at or over the `--fail-on` severity remain."""
    if fail_on == "never":
        return 0
    if result.tally.status.get("failed", 0):
        return 1
    if fail_on in SEVERITY_ORDER:
        threshold = SEVERITY_ORDER[fail_on]
        remaining = result.open_findings.items()
        if any(SEVERITY_ORDER.get(s, 0) >= threshold and n for s, n in remaining):
            return 3
    return 0


def _limits(args: argparse.Namespace) -> Limits:
    limits = Limits(article_mb=args.max_article_mb, depth=args.max_depth,
                    table_cells=args.max_table_cells, seconds=args.article_timeout)
    if min(limits.article_mb, limits.depth, limits.table_cells) <= 0 or limits.seconds < 0:
        raise UsageError("the --max-* limits must be positive, --article-timeout 0 or more")
    return limits


def _report(args: argparse.Namespace) -> int:
    from extractor.report import build_report

    out = Path(args.out)
    if not out.is_dir():
        raise UsageError(f"{out} is not a folder of extractor output")
    for kind, path in build_report(out).items():
        print(f"{kind}: {path}")
    return 0


def _explain(args: argparse.Namespace) -> int:
    from extractor.explain import explain_file

    print(explain_file(args.file, title=args.title))
    return 0


if __name__ == "__main__":
    sys.exit(main())
