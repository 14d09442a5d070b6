"""Spreading one input that cannot be cut over every worker.

A gzip or xz dump, a single-stream `.bz2`, or a big flat file has no independent byte ranges: one
process must read it from the start. With `--jobs N` that reader is the main process, and only
the reading (decompression, XML) happens there: it hands batches of pages to the workers, which
parse, type, reconcile and write each batch as a piece of the partition
(`OUT/<table>/part-NNNNN-MMMMM.parquet`). Reading is several times faster than the rest, so the
workers stay busy; at most `IN_FLIGHT_PER_WORKER` batches per worker wait or run, so memory stays
bounded. The partition counts as finished (for the manifest and `--resume`) when its last piece is
written; a resumed run redoes an unfinished one whole, after deleting the pieces it had.

Other partitions go to the pool whole, as always, whenever no reader is feeding it.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from extractor import engine
from extractor.engine import (
    Options,
    PartitionResult,
    bytes_read,
    failed_row,
    partition_units,
    stats_dict,
)
from extractor.errors import ExtractorError
from extractor.heap import give_back
from extractor.partitions import Partition
from extractor.pipeline import Rows, Tally, batches, process_units
from extractor.safe_io import output_errors
from extractor.sinks import TableSink, part_name, remove_parts

IN_FLIGHT_PER_WORKER = 2
# A batch becomes one piece, a part file per table: big batches keep the files few (a 100 MB
# dump makes about a dozen pieces), and 2 per worker in flight keep memory bounded.
PIECE_PAGES, PIECE_BYTES = 2_000, 8 << 20
SPREAD_MIN_BYTES = 1 << 20  # smaller files make a batch or two: nothing to spread


def fans_out(partition: Partition, jobs: int, options: Options) -> bool:
    """A partition of one whole file bigger than a partition should be: a file the planner
    could not cut (gzip, xz, single-stream bz2, flat text)."""
    return (jobs > 1 and partition.path is None and len(partition.files) == 1
            and partition.size > max(options.partition_bytes, SPREAD_MIN_BYTES))


def run_piece(partition: Partition, piece: int, options: Options,
              units: list[Any] | None = None, rows: Rows | None = None) -> PartitionResult:
    """In a worker: process one batch of a spread partition (or write rows already made, such
    as the row that says where reading broke) as piece `piece` of it."""
    with output_errors(options.out_dir):
        sink = TableSink(options.out_dir, partition.index, csv_too=options.csv,
                         csv_raw=options.csv_raw, piece=piece)
    try:
        tally = Tally()
        if units is not None:
            rows, part = process_units(units, options.only_infoboxes, options.limits)
            tally.merge(part)
        else:
            tally.add(rows or {})
        with output_errors(options.out_dir):
            sink.add(rows or {})
            counts = sink.close()
    except BaseException:
        sink.abandon()
        raise
    del units, rows
    give_back()  # a piece is up to 2,000 pages: its freed rows and text go back before the next
    name = part_name(partition.index, piece)
    return PartitionResult(partition.index, tally, counts, parts=[name])


class Reader:
    """The main process's reading of one spread partition, and what its pieces gave back."""

    def __init__(self, partition: Partition, options: Options) -> None:
        from extractor.sources import SourceStats

        self.partition = partition
        self.stats = SourceStats()
        with output_errors(options.out_dir):
            remove_parts(options.out_dir, partition.index)
        units = partition_units(partition, set(options.namespaces), self.stats, options.limits)
        self.batches = batches(units, max_units=PIECE_PAGES, max_bytes=PIECE_BYTES)
        self.pieces = 0
        self.pending = 0
        self.exhausted = False
        self.tally = Tally()
        self.rows: dict[str, int] = {}
        self.parts: dict[int, str] = {}

    def submit_next(self, pool: ProcessPoolExecutor, options: Options) -> Future | None:
        """Read the next batch and hand it to the pool; None once the input is read."""
        try:
            work: dict[str, Any] = {"units": next(self.batches)}
        except StopIteration:
            self.exhausted = True
            return None
        except Exception as error:  # a bug while reading: the pieces before it stay
            self.exhausted = True
            work = {"rows": {"articles": [failed_row(self.partition, error)]}}
        future = pool.submit(run_piece, self.partition, self.pieces, options, **work)
        self.pieces += 1
        self.pending += 1
        return future

    def add(self, result: PartitionResult) -> None:
        self.pending -= 1
        self.tally.merge(result.tally)
        for table, n in result.rows.items():
            self.rows[table] = self.rows.get(table, 0) + n
        piece = int(result.parts[0].rsplit("-", 1)[1])
        self.parts[piece] = result.parts[0]

    @property
    def finished(self) -> bool:
        return self.exhausted and self.pending == 0

    def result(self) -> PartitionResult:
        parts = [self.parts[p] for p in sorted(self.parts)]
        return PartitionResult(self.partition.index, self.tally, self.rows,
                               stats_dict(self.stats), parts=parts)


def run_pool(
    pool: ProcessPoolExecutor,
    todo: list[Partition],
    options: Options,
    jobs: int,
    on_done: Callable[[PartitionResult], None],
    on_progress: Callable[[int, int], None],
) -> None:
    """Every partition of `todo` through the pool: whole, or spread by a Reader (one at a
    time) when `fans_out` says so."""
    queue = list(todo)
    running: dict[Future, tuple[Partition, Reader | None]] = {}
    reader: Reader | None = None
    while queue or running or reader is not None:
        while True:  # fill the pool
            if reader is not None and reader.finished:
                on_progress(reader.partition.index, reader.partition.size)
                on_done(reader.result())
                reader = None
            elif (reader is not None and not reader.exhausted
                    and len(running) < IN_FLIGHT_PER_WORKER * jobs):
                future = reader.submit_next(pool, options)
                on_progress(reader.partition.index, bytes_read(reader.stats))
                if future is not None:
                    running[future] = (reader.partition, reader)
            elif queue and reader is None and fans_out(queue[0], jobs, options):
                reader = Reader(queue.pop(0), options)
            elif queue and len(running) < jobs and not fans_out(queue[0], jobs, options):
                partition = queue.pop(0)
                # looked up on the module at call time, so a test can stand in for it
                running[pool.submit(engine.run_partition, partition, options)] = (
                    partition, None)
            else:
                break
        if not running:
            continue
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            partition, owner = running.pop(future)
            result = _result(future, partition)
            if owner is None:
                on_progress(partition.index, partition.size)
                on_done(result)
            else:
                owner.add(result)


def _result(future: Future, partition: Partition) -> PartitionResult:
    try:
        return future.result()
    except BrokenProcessPool as error:  # a worker was killed (out of memory, a signal)
        raise ExtractorError(
            f"a worker process died while reading partition {partition.index} "
            f"({partition.key[:200]}): {error}. Finished partitions are kept: run "
            "again with --resume (with fewer --jobs if memory ran out)"
        ) from error
