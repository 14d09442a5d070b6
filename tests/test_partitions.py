"""Multistream dumps split into byte ranges read exactly the pages of the whole file."""

from __future__ import annotations

import bz2
import shutil
from xml.sax.saxutils import escape

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.partitions import MIN_TAIL_BYTES, cut_size, plan, stream_offsets
from extractor.run import extract

from .conftest import FIXTURES

HEADER = (
    '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">\n'
    "<siteinfo><sitename>Test</sitename><namespaces>"
    '<namespace key="0" case="first-letter" /></namespaces></siteinfo>\n'
)


def page(n: int, text: str) -> str:
    return (f"<page><title>Page {n}</title><ns>0</ns><id>{n}</id><revision><id>{n}</id>"
            f'<text xml:space="preserve">{escape(text)}</text></revision></page>\n')


def write_multistream(path, pages_per_stream: int = 3, pages: int = 12) -> None:
    """Like Wikipedia's multistream dumps: the header, then groups of pages, then the footer,
    each its own bz2 stream."""
    body = (FIXTURES / "twin" / "kestrel_election.wiki").read_text(encoding="utf-8")
    streams = [bz2.compress(HEADER.encode())]
    for first in range(1, pages + 1, pages_per_stream):
        group = "".join(page(n, body.replace("Kestrel", f"Kestrel {n}"))
                        for n in range(first, min(first + pages_per_stream, pages + 1)))
        streams.append(bz2.compress(group.encode()))
    streams.append(bz2.compress(b"</mediawiki>\n"))
    path.write_bytes(b"".join(streams))


def test_stream_offsets_found_by_scanning(tmp_path):
    dump = tmp_path / "test-multistream.xml.bz2"
    write_multistream(dump)
    offsets = stream_offsets(str(dump))
    assert len(offsets) == 6 and offsets[0] == 0


def test_index_file_gives_the_offsets(tmp_path):
    dump = tmp_path / "test-multistream.xml.bz2"
    write_multistream(dump)
    scanned = stream_offsets(str(dump))
    index = tmp_path / "test-multistream-index.txt.bz2"
    lines = [f"{offset}:{n}:Page {n}" for n, offset in enumerate(scanned[1:-1], 1)]
    index.write_bytes(bz2.compress("\n".join(lines).encode()))
    assert stream_offsets(str(dump)) == sorted(scanned[1:-1])


def test_ranges_read_the_same_pages_as_the_whole_file(tmp_path):
    dump = tmp_path / "test-multistream.xml.bz2"
    write_multistream(dump)
    ranges = plan([str(dump)], target_bytes=1).partitions
    assert len(ranges) > 2 and ranges[0].first and ranges[-1].last
    extract([str(dump)], out_dir=tmp_path / "split", partition_mb=1e-9, report=False)
    extract([str(dump)], out_dir=tmp_path / "whole", partition_mb=1000, report=False)
    for table in ("articles", "election_results", "repairs"):
        split = pd.read_parquet(tmp_path / "split" / table).sort_values("doc_id")
        whole = pd.read_parquet(tmp_path / "whole" / table).sort_values("doc_id")
        pd.testing.assert_frame_equal(split.reset_index(drop=True), whole.reset_index(drop=True))
    articles = pd.read_parquet(tmp_path / "split" / "articles")
    assert sorted(articles["page_id"]) == list(range(1, 13))
    assert set(articles["status"]) == {"ok"}
    assert len(pd.read_parquet(tmp_path / "split" / "repairs")) == 12  # one per election page


@pytest.fixture(params=["python", "lbzip2"])
def range_dump(request, tmp_path, monkeypatch):
    """A multistream dump, read through Python's bz2 or an external lbzip2."""
    if request.param != "python" and shutil.which(request.param) is None:
        pytest.skip(f"{request.param} is not installed")
    monkeypatch.setenv("EXTRACTOR_BZ2_TOOL", request.param)
    dump = tmp_path / "test-multistream.xml.bz2"
    write_multistream(dump)
    return dump


def test_ranges_through_either_decompressor(tmp_path, range_dump):
    dump = range_dump
    extract([str(dump)], out_dir=tmp_path / "out", partition_mb=1e-9, report=False)
    articles = pd.read_parquet(tmp_path / "out" / "articles")
    assert sorted(articles["page_id"]) == list(range(1, 13))
    assert set(articles["status"]) == {"ok"}


def test_a_corrupt_range_is_a_failed_row_and_the_rest_is_read(tmp_path, range_dump):
    dump = range_dump
    data = bytearray(dump.read_bytes())
    offsets = stream_offsets(str(dump))
    middle = offsets[2] + 200  # inside the second stream of pages
    data[middle:middle + 64] = bytes(64)
    dump.write_bytes(bytes(data))
    extract([str(dump)], out_dir=tmp_path / "out", partition_mb=1e-9, report=False)
    articles = pd.read_parquet(tmp_path / "out" / "articles")
    failed = articles[articles["status"] == "failed"]
    assert len(failed) == 1 and failed.iloc[0]["error"].startswith("DUMP_")
    assert len(articles[articles["status"] == "ok"]) == 9  # the other three streams of pages


def test_an_uncompressed_dump_is_cut_at_page_starts(tmp_path):
    compressed = tmp_path / "test.xml.bz2"
    write_multistream(compressed)
    dump = tmp_path / "test.xml"
    dump.write_bytes(bz2.decompress(compressed.read_bytes()))  # every stream, concatenated
    compressed.unlink()
    ranges = plan([str(dump)], target_bytes=4000).partitions
    assert len(ranges) > 2 and {r.codec for r in ranges} == {"xml"}
    text = dump.read_bytes()
    assert all(text[r.start:r.start + 6] == b"<page>" for r in ranges[1:])
    extract([str(dump)], out_dir=tmp_path / "split", partition_mb=4000 / (1 << 20), report=False)
    extract([str(dump)], out_dir=tmp_path / "whole", partition_mb=1000, report=False)
    for table in ("articles", "election_results", "findings"):
        split = pd.read_parquet(tmp_path / "split" / table).sort_values("doc_id")
        whole = pd.read_parquet(tmp_path / "whole" / table).sort_values("doc_id")
        pd.testing.assert_frame_equal(split.reset_index(drop=True), whole.reset_index(drop=True))
    assert len(pd.read_parquet(tmp_path / "split" / "articles")) == 12


@given(target=st.integers(1, 1 << 30), remaining=st.integers(0, 1 << 34),
       workers=st.integers(1, 64))
def test_a_cut_is_never_over_the_target_nor_under_the_floor(target, remaining, workers):
    size = cut_size(target, remaining, workers)
    assert min(target, MIN_TAIL_BYTES) <= size <= target
    if workers == 1 or remaining >= 2 * workers * target:
        assert size == target  # only the last rounds taper


def test_partitions_taper_towards_the_end_with_several_workers(tmp_path, monkeypatch):
    dump = tmp_path / "test-multistream.xml.bz2"
    write_multistream(dump, pages_per_stream=1, pages=40)
    size = dump.stat().st_size
    monkeypatch.setattr("extractor.partitions.MIN_TAIL_BYTES", 1)
    even = plan([str(dump)], target_bytes=size // 8).partitions
    tapered = plan([str(dump)], target_bytes=size // 8, workers=2).partitions
    for ranges in (even, tapered):  # each covers the dump once, in order, whole streams
        starts = [0] + [r.end for r in ranges[:-1]]
        ends = [r.start for r in ranges[1:]] + [size]
        assert [(r.start, r.end) for r in ranges] == list(zip(starts, ends, strict=True))
        assert set(stream_offsets(str(dump))) >= {r.start for r in ranges}
    assert len(tapered) > len(even)
    assert tapered[-1].size < tapered[0].size / 2
    assert [r.size for r in tapered[:3]] == [r.size for r in even[:3]]  # the start is as before
