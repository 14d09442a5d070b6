"""One extraction run: plan partitions, run them (serial, process pool, or Dask), merge, report."""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor import native
from extractor.contract import SCHEMAS
from extractor.engine import Manifest, Options, PartitionResult, run_dask, run_local
from extractor.errors import UsageError
from extractor.limits import DEFAULT_LIMITS, Limits
from extractor.partitions import TARGET_BYTES, plan
from extractor.pipeline import Tally, now
from extractor.safe_io import check_writable, output_errors, write_text_atomic
from extractor.sinks import merge_csv


@dataclass
class RunResult:
    out_dir: Path
    tally: Tally
    counts: dict[str, int]
    seconds: float
    stats: dict[str, int]
    partitions: int = 0
    resumed: int = 0
    report_paths: dict[str, Path] = field(default_factory=dict)
    bytes_this_run: int = 0  # text read by this invocation (a resumed run skips some)

    @property
    def open_findings(self) -> dict[str, int]:
        """Findings by severity that no repair resolved (what `--fail-on` looks at)."""
        return dict(self.tally.open)

    def summary(self) -> dict[str, Any]:
        t = self.tally
        return {
            "articles": t.articles,
            "status": {s: t.status.get(s, 0) for s in ("ok", "partial", "failed")},
            "findings": {s: t.severity.get(s, 0) for s in ("error", "warning", "info")},
            "pages_read": self.stats.get("pages", 0),
            "skipped": _skips(self.stats),
            "xml_bad_references": self.stats.get("xml_bad_references", 0),
            "rows": self.counts,
            "bytes": t.bytes,
            "compressed_bytes": self.stats.get("compressed_bytes", 0),
            "seconds": round(self.seconds, 3),
            "MB_per_s": (
                round(self.bytes_this_run / 1e6 / self.seconds, 3) if self.seconds else None
            ),
            "partitions": self.partitions,
            "partitions_resumed": self.resumed,
            "code": native.running(),
        }

    def render(self) -> str:
        """The one-screen summary printed at the end of `extractor extract`."""
        s = self.summary()
        status = ", ".join(f"{n:,} {k}" for k, n in s["status"].items())
        severity = ", ".join(f"{n:,} {k}" for k, n in s["findings"].items())
        lines = [
            f"articles   {s['articles']:>10,}   ({status})",
            f"findings   {sum(s['findings'].values()):>10,}   ({severity})",
        ]
        if s["skipped"]:
            skipped = ", ".join(f"{n:,} {k}" for k, n in s["skipped"].items())
            lines.append(f"skipped    {sum(s['skipped'].values()):>10,}   ({skipped})")
        if s["xml_bad_references"]:
            lines.append(f"dump       {s['xml_bad_references']:>10,}   `&`s that start no XML "
                         "reference, kept as text (XML_BAD_REFERENCE on their pages)")
        mb = s["bytes"] / 1e6
        lines.append(f"time       {s['seconds']:>10.2f} s   ({mb:,.2f} MB of article text, "
                     f"{s['MB_per_s'] or 0:.2f} MB/s; {s['partitions']} partition(s)"
                     + (f", {s['partitions_resumed']} resumed" if s["partitions_resumed"] else "")
                     + f"; code: {s['code']})")
        lines.append("rows       " + ", ".join(f"{k} {n:,}" for k, n in self.counts.items() if n))
        lines.append(f"output     {self.out_dir}/")
        if "html" in self.report_paths:
            lines.append(f"report     {self.report_paths['html']}")
        return "\n".join(lines)


def _skips(stats: dict[str, int]) -> dict[str, int]:
    return {
        k.removesuffix("_skipped"): v for k, v in stats.items() if k.endswith("_skipped") and v
    }


def load_modules() -> None:
    """Import what reading and parsing will need, which the modules import lazily (to break
    cycles, or because not every run needs them). Done once at start-up, before the process
    forks its workers, each worker inherits them instead of importing them again (~0.1 s of
    CPU each, more where bytecode is not cached), and the run's clock does not count them."""
    import lxml.etree  # noqa: F401
    import mwparserfromhell.parser.contexts  # noqa: F401

    import extractor.fan_out  # noqa: F401
    import extractor.parse.infobox_fast  # noqa: F401
    import extractor.source_text  # noqa: F401
    import extractor.source_xml  # noqa: F401
    import extractor.tables  # noqa: F401


def extract(
    paths: list[str],
    *,
    out_dir: str | Path = "out",
    fmt: str = "both",
    jobs: int = 1,
    namespaces: set[int] | None = None,
    progress: bool = False,
    report: bool = True,
    resume: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    partition_mb: float | None = None,
    only_infoboxes: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    csv_raw: bool = False,
) -> RunResult:
    """Run the pipeline over `paths` and write every output table (and the report) to `out_dir`."""
    from extractor.sources import expand_paths

    files = expand_paths(paths)
    if not files:
        raise UsageError(f"no input files found in {' '.join(paths)}")
    out = Path(out_dir)
    check_writable(out)
    options = Options(str(out), csv=fmt in ("csv", "both"),
                      namespaces=tuple(sorted(namespaces or {0})), only_infoboxes=only_infoboxes,
                      limits=limits, csv_raw=csv_raw)
    options.partition_bytes = _partition_bytes(files, jobs, partition_mb)
    # Asked-for sizes are kept; the default tapers, so the workers finish together.
    work = plan(files, target_bytes=options.partition_bytes,
                workers=jobs if partition_mb is None else 1)
    keys = [p.key for p in work.partitions]
    if resume:
        manifest = Manifest.resume(out, keys, options)
    else:
        _clear_outputs(out)
        manifest = Manifest(out, keys, options)
        manifest.save()
    done = manifest.finished()
    todo = [p for p in work.partitions if p.index not in done]

    bar = progress_bar(work.size, progress)
    bar.update(sum(p.size for p in work.partitions if p.index in done))
    seen: dict[int, int] = {}
    lock = threading.Lock()
    tally = Tally()
    start = now()

    def on_progress(index: int, nbytes: int) -> None:
        with lock:
            grown = max(0, nbytes - seen.get(index, 0))
            seen[index] = max(nbytes, seen.get(index, 0))
            bar.update(grown)

    crash_after = int(os.environ.get("EXTRACTOR_CRASH_AFTER_PARTITIONS", "0"))

    def on_done(result: PartitionResult) -> None:
        manifest.record(result)
        if crash_after and len(manifest.finished()) - len(done) >= crash_after:
            os.kill(os.getpid(), signal.SIGKILL)  # for the resume tests: a real kill -9
        tally.merge(result.tally)
        elapsed = max(now() - start, 1e-9)
        bar.set_postfix_str(f"{tally.articles / elapsed:,.0f} pages/s, "
                            f"{tally.bytes / 1e6 / elapsed:.1f} MB/s text")

    try:
        if engine == "dask":
            run_dask(todo, options, scheduler, on_done, on_progress, workers=max(jobs, 1))
        else:
            run_local(todo, options, jobs, on_done, on_progress)
    finally:
        bar.close()
    seconds = now() - start
    result = _finish(out, manifest, fmt, seconds, len(work.partitions), len(done))
    result.bytes_this_run = tally.bytes
    if report:
        from extractor.report import build_report

        result.report_paths = build_report(out)
    return result


class _NoBar:
    """The progress bar of a run that shows none."""

    def update(self, n: float = 1) -> None:
        pass

    def set_postfix_str(self, text: str = "") -> None:
        pass

    def close(self) -> None:
        pass


def progress_bar(total: int, progress: bool) -> Any:
    """A tqdm bar over `total` bytes, or none (tqdm, ~50 ms to import, is then not imported:
    start-up is serial time before any worker starts)."""
    if not progress:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="B", unit_scale=True, desc="extract", dynamic_ncols=True)


def _partition_bytes(files: list[str], jobs: int, partition_mb: float | None) -> int:
    """As asked; else big enough (1 MB) to amortise the per-partition cost, at most
    TARGET_BYTES, and cut so that the partitions come in whole rounds of four per worker: with
    9 partitions on 2 workers the ninth ran alone at the end (a tenth of a 1 GB dump's time)."""
    if partition_mb is not None:
        return max(1, int(partition_mb * (1 << 20)))
    total = sum(os.path.getsize(f) for f in files)
    per_round = max(1, jobs * 4)
    rounds = max(1, math.ceil(total / (TARGET_BYTES * per_round)))
    return max(1 << 20, math.ceil(total / (per_round * rounds)))


def _finish(
    out: Path, manifest: Manifest, fmt: str, seconds: float, partitions: int, resumed: int
) -> RunResult:
    results = manifest.results()
    tally = Tally()
    counts = {name: 0 for name in SCHEMAS}
    stats: dict[str, int] = {}
    for r in results:
        tally.merge(r.tally)
        for name, n in r.rows.items():
            counts[name] += n
        for name, n in r.stats.items():
            stats[name] = stats.get(name, 0) + n
    parts = [name for r in results for name in r.parts]
    # a resumed run that had already finished has its merged CSV (and no CSV parts) already
    if fmt in ("csv", "both") and not manifest.data.get("complete"):
        for name in SCHEMAS:
            with output_errors(out):
                merge_csv(out, name, parts)
    for name in SCHEMAS:
        for part_stem in parts:
            part = out / name / f"{part_stem}.parquet"
            part.with_suffix(".csv").unlink(missing_ok=True)
            if fmt == "csv":
                part.unlink(missing_ok=True)
        if fmt == "csv":
            shutil.rmtree(out / name, ignore_errors=True)
    manifest.data["complete"] = True
    manifest.save()
    return RunResult(out, tally, counts, seconds, stats, partitions, resumed)


def _clear_outputs(out: Path) -> None:
    """A fresh run replaces the tables of an earlier one (never other files in OUT)."""
    for name in SCHEMAS:
        shutil.rmtree(out / name, ignore_errors=True)
        (out / f"{name}.csv").unlink(missing_ok=True)
    (out / "_manifest.json").unlink(missing_ok=True)


def write_summary(result: RunResult, path: str) -> None:
    write_text_atomic(path, json.dumps(result.summary(), indent=1))
