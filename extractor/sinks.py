"""Writers for the output tables: fixed Arrow schemas, streaming, files that appear atomically.

Rows arrive as dicts in batches; each table is written incrementally (bounded memory whatever the
dump size) to a temporary file that is renamed into place only when the run closes it, so a reader
never sees half a table.
"""

from __future__ import annotations

import importlib.abc
import os
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from extractor.contract import SCHEMAS
from extractor.csv_safety import neutralise
from extractor.safe_io import temp_path

FORMATS = ("csv", "parquet", "both")


class _PandasHidden(importlib.abc.MetaPathFinder):
    """An import finder under which pandas cannot be imported."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.partition(".")[0] == "pandas":
            raise ImportError("pandas is hidden while pyarrow asks for it")


def _arrow_without_pandas() -> None:
    """Spare a run the import of pandas (~0.4 s of start-up, before any worker starts).

    The first time pyarrow converts Python objects, it asks whether pandas is importable (to
    recognise pandas objects) and imports it. Asked once while pandas is hidden, it treats every
    input as the plain sequence it is here, for good. pandas itself stays importable: the report
    imports it, and pyarrow's own pandas conversions import it again when they are asked for."""
    if "pandas" in sys.modules:
        return  # already imported: nothing to spare
    hidden = _PandasHidden()
    sys.meta_path.insert(0, hidden)
    try:
        pa.array([], type=pa.null())
    finally:
        sys.meta_path.remove(hidden)


_arrow_without_pandas()


def merge_csv(out_dir: str | Path, table: str, parts: list[str]) -> Path:
    """Concatenate the CSV parts of `table` (named as `part_name` names them, in partition
    order) into `OUT/<table>.csv`."""
    out = Path(out_dir)
    target = out / f"{table}.csv"
    tmp = temp_path(target)
    try:
        with open(tmp, "wb") as merged:
            for n, name in enumerate(parts):
                part = out / table / f"{name}.csv"
                with open(part, "rb") as handle:
                    header = handle.readline()
                    if n == 0:
                        merged.write(header)
                    while block := handle.read(1 << 20):
                        merged.write(block)
            if not parts:
                pacsv.write_csv(to_arrow(table, []), merged)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def to_arrow(table: str, rows: list) -> pa.Table:
    """Rows to an Arrow table of the table's fixed schema (missing keys become nulls). A row is
    a dict, or a `CellRow` (`registry.row_columns`). Built column by column: the columns are
    gathered by compiled code, where `pa.Table.from_pylist` looks every key of every row up."""
    from extractor.schemas.registry import row_columns

    schema = SCHEMAS[table]
    columns = row_columns(rows, schema.names)
    return pa.Table.from_arrays([pa.array(column, type=field.type)
                                 for column, field in zip(columns, schema, strict=True)],
                                schema=schema)


class _TableWriter:
    def __init__(self, table: str, paths: dict[str, Path], csv_raw: bool = False) -> None:
        self.table = table
        self.csv_raw = csv_raw
        self.schema = SCHEMAS[table]
        self.paths = paths
        for path in paths.values():
            path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = {fmt: temp_path(path) for fmt, path in self.paths.items()}
        self.parquet = (
            pq.ParquetWriter(self.tmp["parquet"], self.schema, compression="zstd")
            if "parquet" in paths
            else None
        )
        self.csv = pacsv.CSVWriter(str(self.tmp["csv"]), self.schema) if "csv" in paths else None
        self.rows = 0

    def write(self, batch: pa.Table) -> None:
        if batch.num_rows == 0:
            return
        if self.parquet is not None:
            self.parquet.write_table(batch)
        if self.csv is not None:
            self.csv.write_table(batch if self.csv_raw else neutralise(batch))
        self.rows += batch.num_rows

    def close(self) -> None:
        if self.parquet is not None:
            self.parquet.close()
        if self.csv is not None:
            self.csv.close()
        for fmt, tmp in self.tmp.items():
            os.replace(tmp, self.paths[fmt])

    def abandon(self) -> None:
        for writer in (self.parquet, self.csv):
            try:
                if writer is not None:
                    writer.close()
            except Exception:  # closing after a failure: nothing more to save
                pass
        for tmp in self.tmp.values():
            tmp.unlink(missing_ok=True)


def part_name(index: int, piece: int | None = None) -> str:
    """`part-NNNNN` for partition `index`; `part-NNNNN-MMMMM` for piece `piece` of a partition
    whose batches were spread over the workers. Names sort in row order."""
    return f"part-{index:05d}" if piece is None else f"part-{index:05d}-{piece:05d}"


def part_path(out_dir: str | Path, table: str, index: int, piece: int | None = None) -> Path:
    """Where partition `index` (or a piece of it) of `table` is written:
    `OUT/<table>/part-NNNNN.parquet`."""
    return Path(out_dir) / table / f"{part_name(index, piece)}.parquet"


def remove_parts(out_dir: str | Path, index: int) -> None:
    """Delete what an interrupted earlier attempt may have left of partition `index` (whole or
    in pieces), so redoing it can never double its rows."""
    for table in SCHEMAS:
        folder = Path(out_dir) / table
        for pattern in (f"{part_name(index)}.*", f"{part_name(index)}-*"):
            for stale in folder.glob(pattern):
                stale.unlink(missing_ok=True)


class TableSink:
    """Every output table of one partition, buffered and flushed in batches of `batch_rows`.

    Rows are held as Arrow tables, converted as each batch of pages arrives (a row takes
    several times less memory in Arrow's columns than as a dict), and all the tables' buffers
    together hold at most `buffer_bytes`: past that, the biggest buffer is flushed. So what a
    sink holds is bounded whatever its partition's size: without that bound, the tables that
    never reach `batch_rows` in a small partition (articles, tables) would each hold every row
    of a big dump's bigger partitions until the end.

    Parquet goes to `OUT/<table>/part-NNNNN.parquet` (together, a Parquet dataset per table);
    with `csv_too`, the same rows also go to `OUT/<table>/part-NNNNN.csv`, merged at the end,
    their formula-like cells neutralised unless `csv_raw` (see `csv_safety`).
    """

    def __init__(
        self,
        out_dir: str | Path,
        index: int = 0,
        csv_too: bool = False,
        batch_rows: int = 10_000,
        csv_raw: bool = False,
        piece: int | None = None,
        buffer_bytes: int = 4 << 20,
    ) -> None:
        self.out_dir = Path(out_dir)
        self.writers = {}
        for name in SCHEMAS:
            parquet = part_path(self.out_dir, name, index, piece)
            paths = {"parquet": parquet}
            if csv_too:
                paths["csv"] = parquet.with_suffix(".csv")
            self.writers[name] = _TableWriter(name, paths, csv_raw)
        self.buffers: dict[str, list[pa.Table]] = {name: [] for name in SCHEMAS}
        self.buffered: dict[str, int] = dict.fromkeys(SCHEMAS, 0)
        self.buffered_bytes: dict[str, int] = dict.fromkeys(SCHEMAS, 0)
        self.batch_rows = batch_rows
        self.buffer_bytes = buffer_bytes

    def add(self, rows: dict[str, list]) -> None:
        for table, table_rows in rows.items():
            if not table_rows:
                continue
            batch = to_arrow(table, table_rows)
            self.buffers[table].append(batch)
            self.buffered[table] += batch.num_rows
            self.buffered_bytes[table] += batch.nbytes
            if self.buffered[table] >= self.batch_rows:
                self._flush(table)
        while sum(self.buffered_bytes.values()) > self.buffer_bytes:
            self._flush(max(self.buffered_bytes, key=self.buffered_bytes.__getitem__))

    def _flush(self, table: str) -> None:
        buffer = self.buffers[table]
        if buffer:
            self.writers[table].write(pa.concat_tables(buffer))
            buffer.clear()
        self.buffered[table] = self.buffered_bytes[table] = 0

    def counts(self) -> dict[str, int]:
        return {name: w.rows + self.buffered[name] for name, w in self.writers.items()}

    def close(self) -> dict[str, int]:
        for table in self.writers:
            self._flush(table)
        counts = self.counts()
        for writer in self.writers.values():
            writer.close()
        return counts

    def abandon(self) -> None:
        for writer in self.writers.values():
            writer.abandon()
