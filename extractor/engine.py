"""Running partitions: in this process, in a process pool, or on a Dask cluster — the same
`run_partition` everywhere — with a manifest that makes a run resumable.

Each partition writes its own part files (temp file, then rename) and reports back only counts,
so nothing large crosses process boundaries. The manifest (`OUT/_manifest.json`, replaced
atomically) records each finished partition; `--resume` skips those and redoes the rest, whose
part files are overwritten whole, so a resumed run has exactly the rows of an uninterrupted one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from extractor.errors import OutputError, UsageError
from extractor.heap import give_back
from extractor.limits import DEFAULT_LIMITS, Limits
from extractor.model import Article, Problem
from extractor.partitions import Partition
from extractor.pipeline import Tally, article_row, batches, process_units
from extractor.safe_io import output_errors, write_text_atomic
from extractor.sinks import TableSink, part_name, remove_parts

MANIFEST = "_manifest.json"


@dataclass
class Options:
    """What every partition needs to know; part of the manifest, so a resume must match it."""

    out_dir: str
    csv: bool = True
    namespaces: tuple[int, ...] = (0,)
    only_infoboxes: bool = False
    limits: Limits = DEFAULT_LIMITS
    csv_raw: bool = False  # CSV cells a spreadsheet would run as formulas are left as they are
    partition_bytes: int = 32 << 20  # the planned size; a bigger file that cannot be cut is spread

    def fingerprint(self) -> dict[str, Any]:
        return {"csv": self.csv, "namespaces": list(self.namespaces),
                "only_infoboxes": self.only_infoboxes, "limits": asdict(self.limits),
                "csv_raw": self.csv_raw}


@dataclass
class PartitionResult:
    index: int
    tally: Tally
    rows: dict[str, int]
    stats: dict[str, int] = field(default_factory=dict)
    parts: list[str] = field(default_factory=list)  # its part files' names, in row order


def partition_units(partition: Partition, namespaces: set[int], stats: Any,
                    limits: Limits = DEFAULT_LIMITS) -> Iterable[Any]:
    from extractor import sources

    if partition.path is None:
        return sources.iter_units(list(partition.files), namespaces=namespaces, stats=stats,
                                  max_page_bytes=limits.page_xml_bytes)
    from extractor.partitions import iter_range_units

    return iter_range_units(partition, namespaces, stats, limits.page_xml_bytes)


def run_partition(
    partition: Partition, options: Options, progress: Callable[[int], None] | None = None
) -> PartitionResult:
    """Read, process and write one partition. Pure apart from its own part files."""
    from extractor.sources import SourceStats

    stats = SourceStats()
    with output_errors(options.out_dir):
        remove_parts(options.out_dir, partition.index)
        sink = TableSink(options.out_dir, partition.index, csv_too=options.csv,
                         csv_raw=options.csv_raw)
    tally = Tally()
    try:
        try:
            units = partition_units(partition, set(options.namespaces), stats, options.limits)
            for batch in batches(units):
                rows, part = process_units(batch, options.only_infoboxes, options.limits)
                with output_errors(options.out_dir):
                    sink.add(rows)
                tally.merge(part)
                del batch, rows  # freed before the trim, which can then give their pages back
                give_back()
                if progress is not None:
                    progress(bytes_read(stats))
        except OutputError:
            raise
        except Exception as error:  # a bug while reading this input: keep what was read
            rows = {"articles": [failed_row(partition, error)]}
            with output_errors(options.out_dir):
                sink.add(rows)
            tally.add(rows)
        with output_errors(options.out_dir):
            counts = sink.close()
    except BaseException:
        sink.abandon()
        raise
    return PartitionResult(partition.index, tally, counts, stats_dict(stats),
                           [part_name(partition.index)])


def failed_row(partition: Partition, error: Exception) -> dict[str, Any]:
    """The row that says where a partition's reading broke off (the rows before it stay)."""
    source = partition.path or (partition.files[-1] if partition.files else "")
    article = Article(doc_id=f"{os.path.basename(source)}#!{partition.index}", title="",
                      source=source, format="wikitext")
    article.problems.append(Problem(
        code="PARTITION_INTERNAL", severity="fatal",
        message=f"reading stopped: {type(error).__name__}: {error}"[:300],
    ))
    return article_row(article, 0)


def bytes_read(stats: Any) -> int:
    return int(getattr(stats, "compressed_bytes", 0) or 0)


def stats_dict(stats: Any) -> dict[str, int]:
    values = asdict(stats) if hasattr(stats, "__dataclass_fields__") else vars(stats)
    return {k: v for k, v in values.items() if isinstance(v, int)}


class Manifest:
    """`OUT/_manifest.json`: the run's inputs and options, and each finished partition."""

    def __init__(self, out_dir: str | Path, keys: list[str], options: Options) -> None:
        self.path = Path(out_dir) / MANIFEST
        self.data: dict[str, Any] = {
            "inputs": keys,
            "options": options.fingerprint(),
            "done": {},
            "complete": False,
        }

    @classmethod
    def resume(cls, out_dir: str | Path, keys: list[str], options: Options) -> Manifest:
        manifest = cls(out_dir, keys, options)
        if not manifest.path.is_file():
            return manifest
        old = json.loads(manifest.path.read_text(encoding="utf-8"))
        if old.get("inputs") != keys or old.get("options") != options.fingerprint():
            raise UsageError(
                f"--resume: {manifest.path} belongs to a run over other inputs or options; "
                "use a new output folder or drop --resume"
            )
        manifest.data["done"] = old.get("done", {})
        manifest.data["complete"] = bool(old.get("complete", False))
        return manifest

    def finished(self) -> set[int]:
        return {int(k) for k in self.data["done"]}

    def record(self, result: PartitionResult) -> None:
        self.data["done"][str(result.index)] = {
            "rows": result.rows,
            "tally": _tally_dict(result.tally),
            "stats": result.stats,
            "parts": result.parts,
        }
        self.save()

    def save(self) -> None:
        write_text_atomic(self.path, json.dumps(self.data, indent=1))

    def results(self) -> list[PartitionResult]:
        return [
            PartitionResult(int(k), _tally_from(v["tally"]), v["rows"], v.get("stats", {}),
                            v.get("parts", [part_name(int(k))]))
            for k, v in sorted(self.data["done"].items(), key=lambda kv: int(kv[0]))
        ]


def _tally_dict(tally: Tally) -> dict[str, Any]:
    return {
        "articles": tally.articles,
        "bytes": tally.bytes,
        "status": dict(tally.status),
        "severity": dict(tally.severity),
        "open": dict(tally.open),
    }


def _tally_from(data: dict[str, Any]) -> Tally:
    tally = Tally(articles=data["articles"], bytes=data["bytes"])
    tally.status.update(data["status"])
    tally.severity.update(data["severity"])
    tally.open.update(data.get("open", {}))
    return tally


def start_worker() -> None:
    """A pool worker's set-up: the run's collector thresholds (whether it was forked or
    spawned), and its end with the process that started it."""
    from extractor.gcpause import relax_collector

    relax_collector()
    die_with_parent()


def die_with_parent() -> None:
    """Linux: a worker gets SIGKILL when the process that started it dies, so a killed run
    leaves no orphans still writing part files (elsewhere this does nothing)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def run_local(
    todo: list[Partition],
    options: Options,
    jobs: int,
    on_done: Callable[[PartitionResult], None],
    on_progress: Callable[[int, int], None],
) -> None:
    """Partitions in this process (jobs=1) or a pool of `jobs` processes (see `fan_out`: at
    most a few partitions or batches per process in flight, so memory stays bounded)."""
    from extractor.fan_out import fans_out, run_pool

    if jobs <= 1 or (len(todo) <= 1 and not any(fans_out(p, jobs, options) for p in todo)):
        for partition in todo:
            result = run_partition(partition, options, partial(on_progress, partition.index))
            on_done(result)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=start_worker) as pool:
        run_pool(pool, todo, options, jobs, on_done, on_progress)


def run_dask(
    todo: list[Partition],
    options: Options,
    scheduler: str | None,
    on_done: Callable[[PartitionResult], None],
    on_progress: Callable[[int, int], None],
    workers: int = 2,
) -> None:
    """The same partitions on a Dask cluster: `scheduler` is a `tcp://host:port` address, or
    None for a local cluster. Workers read their inputs and write part files themselves, so the
    input paths and OUT must be on storage every worker sees."""
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        futures = {
            client.submit(run_partition, p, options, key=f"partition-{p.index}", pure=False): p
            for p in todo
        }
        for future in as_completed(futures):
            partition = futures[future]
            on_progress(partition.index, partition.size)
            on_done(future.result())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
