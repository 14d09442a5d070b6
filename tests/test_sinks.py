"""The table sink: rows buffered as Arrow within a byte budget, written in order, whatever the
flushing; and the allocator choices that keep a worker's memory flat."""

from __future__ import annotations

import os
import subprocess
import sys
from functools import lru_cache

import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.contract import SCHEMAS
from extractor.sinks import TableSink, to_arrow
from tests.conftest import FIXTURES


@lru_cache(maxsize=1)
def fixture_rows() -> dict[str, list]:
    """The rows of the real articles in fixtures/wikitext, every output table."""
    from extractor.pipeline import process_units
    from extractor.sources import Unit

    units = [Unit(source=path.name, format="wikitext",
                  text=path.read_bytes().decode("utf-8", "replace"),
                  title=path.stem, doc_id=f"{path.name}#1")
             for path in sorted((FIXTURES / "wikitext").glob("*.wiki"))]
    rows, _ = process_units(units)
    return rows


def write(out, batches: list[dict[str, list]], **sink_options) -> dict[str, list]:
    sink = TableSink(out, 0, csv_too=True, **sink_options)
    for rows in batches:
        sink.add(rows)
        assert sum(sink.buffered_bytes.values()) <= sink.buffer_bytes
    counts = sink.close()
    written = {table: pq.read_table(out / table / "part-00000.parquet").to_pylist()
               for table in SCHEMAS}
    assert counts == {table: len(rows) for table, rows in written.items()}
    return written


def chunked(rows: dict[str, list], cuts: list[int]) -> list[dict[str, list]]:
    """`rows` handed over in pieces, each table cut at the same relative places."""
    pieces = []
    bounds = [0, *sorted(cuts), 100]
    for low, high in zip(bounds, bounds[1:], strict=False):
        pieces.append({table: table_rows[len(table_rows) * low // 100:
                                         len(table_rows) * high // 100]
                       for table, table_rows in rows.items()})
    return pieces


def test_fixture_rows_cover_the_big_tables():
    rows = fixture_rows()
    assert len(rows["table_cells"]) > 50 and len(rows["infobox_fields"]) > 100


@settings(max_examples=25, deadline=None)
@given(cuts=st.lists(st.integers(0, 100), max_size=12),
       budget=st.sampled_from([1, 2_000, 20_000, 4 << 20]),
       batch_rows=st.sampled_from([1, 50, 10_000]))
def test_rows_come_out_whole_and_in_order_whatever_the_flushes(tmp_path_factory, cuts,
                                                              budget, batch_rows):
    rows = fixture_rows()
    out = tmp_path_factory.mktemp("sink")
    written = write(out, chunked(rows, cuts), buffer_bytes=budget, batch_rows=batch_rows)
    for table in SCHEMAS:  # the rows themselves, converted in one piece
        assert written[table] == to_arrow(table, rows.get(table, [])).to_pylist(), table
        csv_lines = (out / table / "part-00000.csv").read_text(encoding="utf-8").count("\n")
        assert csv_lines >= len(written[table]) + 1  # a header, then at least a line a row


def test_the_byte_budget_flushes_the_biggest_buffer_first(tmp_path):
    rows = fixture_rows()
    sink = TableSink(tmp_path, 0, buffer_bytes=1 << 30)
    sink.add(rows)
    held = dict(sink.buffered_bytes)
    biggest = max(held, key=held.__getitem__)
    sink.buffer_bytes = sum(held.values()) - 1  # one byte over: one flush is enough
    sink.add({})
    assert sink.buffered_bytes[biggest] == 0 and sink.buffered[biggest] == 0
    assert all(sink.buffered_bytes[t] == n for t, n in held.items() if t != biggest)
    sink.close()


def pool_in_new_process(env: dict[str, str]) -> str:
    code = "import extractor, pyarrow; print(pyarrow.default_memory_pool().backend_name)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True)
    return done.stdout.strip()


def test_arrow_uses_the_system_allocator_unless_the_user_chose_one():
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    assert pool_in_new_process(env) == "system"
    assert pool_in_new_process({**env, "ARROW_DEFAULT_MEMORY_POOL": "jemalloc"}) == "jemalloc"


GIVE_BACK_PROBE = """
from extractor import heap

def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1])

blocks, pins = [], []
for _ in range(400):  # ~40 MB on the heap (below mmap's size), each block under a live one
    blocks.append(bytearray(100_000))
    pins.append(bytearray(600))
del blocks
freed = rss()
heap.give_back()
print(heap._TRIM is not None, freed - rss())
"""


def test_give_back_returns_free_heap_memory():
    """Memory freed under live allocations stays in glibc's heap until trimmed (checked in a
    new process, whose heap is laid out as the probe expects)."""
    from extractor import heap

    heap.give_back()  # no error, on any platform
    done = subprocess.run([sys.executable, "-c", GIVE_BACK_PROBE], capture_output=True,
                          text=True, check=True)
    trims, pages = done.stdout.split()
    if trims == "True":
        assert int(pages) * os.sysconf("SC_PAGE_SIZE") > 20 << 20
