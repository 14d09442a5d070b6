"""Splitting a run's inputs into partitions: the unit of parallel work, of output files and of
resume.

A partition is either a group of whole files (small files are grouped up to a target size), or a
byte range of one multistream `.bz2` dump: such a dump is a chain of independent bz2 streams (of a
hundred pages each on Wikipedia), so any run of whole streams decompresses on its own. Stream
starts come from the dump's index file (`…-index.txt.bz2`, lines `offset:page_id:title`) when it
sits beside the dump, else from scanning for the bz2 stream header.
"""

from __future__ import annotations

import bz2
import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.bz2_external import ExternalDecompressor, bz2_tool
from extractor.bz2chain import Bz2Chain

TARGET_BYTES = 32 << 20  # compressed input per partition: big enough to amortise, small to balance
MIN_TAIL_BYTES = 1 << 20  # the smallest partition a taper cuts (see `cut_size`)

# "BZh" + block size digit + the block magic (pi in BCD): the start of a bz2 stream.
_STREAM_START = re.compile(rb"BZh[1-9]1AY&SY")


@dataclass(frozen=True)
class Partition:
    index: int
    files: tuple[str, ...] = ()
    path: str | None = None  # a byte range of one multistream dump ...
    start: int = 0
    end: int = 0  # ... [start, end)
    first: bool = True  # the range holds the dump's first stream (its <siteinfo> header)
    last: bool = True  # the range holds the dump's last stream (its </mediawiki>)
    codec: str = "bz2"  # of a byte range: "bz2" (whole streams) or "xml" (uncompressed)
    size: int = 0  # compressed bytes, for progress and balancing

    @property
    def key(self) -> str:
        """Identity of the partition's input, to check a resumed run reads the same inputs."""
        if self.path is not None:
            return f"{self.path}@{self.start}-{self.end}"
        return "|".join(self.files)


@dataclass
class Plan:
    partitions: list[Partition] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(p.size for p in self.partitions)


def stream_offsets(path: str, scan_limit: int = 1 << 40) -> list[int]:
    """Offsets where the bz2 streams of `path` begin ([0] for an ordinary single-stream file)."""
    index = _index_file(path)
    if index is not None:
        indexed = _checked(path, _offsets_from_index(index))
        if indexed:
            return indexed
    offsets: list[int] = []
    chunk = 16 << 20
    with open(path, "rb") as handle:
        base, tail = 0, b""
        while base < scan_limit:
            block = handle.read(chunk)
            if not block:
                break
            data = tail + block
            for match in _STREAM_START.finditer(data):
                offsets.append(base - len(tail) + match.start())
            tail = data[-9:]
            base += len(block)
    return sorted(set(offsets)) or [0]


def _index_file(path: str) -> str | None:
    name = Path(path).name
    for candidate in (
        name.replace("multistream.xml.bz2", "multistream-index.txt.bz2"),
        name.replace(".xml.bz2", "-index.txt.bz2"),
        name + ".index.bz2",
    ):
        full = Path(path).with_name(candidate)
        if candidate != name and full.is_file():
            return str(full)
    return None


def _checked(path: str, offsets: list[int]) -> list[int]:
    """The offsets of an index where a stream really starts: an index that does not match its
    dump (stale, or hostile) must not cut a range inside a stream or past the end. If most do
    not match, the dump is scanned instead ([] returned)."""
    with open(path, "rb") as handle:
        good = []
        for offset in offsets:
            handle.seek(offset)
            if _STREAM_START.match(handle.read(10)):
                good.append(offset)
    return good if len(good) * 2 >= len(offsets) else []


def _offsets_from_index(index: str) -> list[int]:
    offsets: set[int] = set()
    try:
        with bz2.open(index, "rt", encoding="utf-8", errors="replace") as lines:
            for line in lines:
                head = line.split(":", 1)[0]
                if head.isdigit():
                    offsets.add(int(head))
    except (OSError, EOFError, ValueError):
        return []
    return sorted(offsets)


def cut_size(target: int, remaining: int, workers: int) -> int:
    """How much to cut next when `remaining` bytes of input are left after this point: `target`
    until the last rounds, then a share of what is left (no less than MIN_TAIL_BYTES). With
    equal partitions the run ends with one worker busy on the last of them while the others
    idle: on a 100 MB dump with 2 workers, up to a partition's time (~2 s of ~8). Tapered, the
    last partitions take a quarter of a second or so."""
    if workers <= 1:
        return target
    return max(min(target, remaining // (2 * workers)), min(target, MIN_TAIL_BYTES))


def plan(files: list[str], target_bytes: int = TARGET_BYTES, workers: int = 1) -> Plan:
    """Group small files, split big multistream dumps; partition order follows input order.
    With `workers` > 1, the partitions cut from big dumps taper towards the end of the input."""
    result = Plan()
    sizes = [os.path.getsize(path) for path in files]
    later, total = [], 0  # the bytes of the files after each (a folder may hold many files)
    for size in reversed(sizes):
        later.append(total)
        total += size
    later.reverse()
    group: list[str] = []
    group_size = 0

    def close_group() -> None:
        nonlocal group, group_size
        if group:
            result.partitions.append(
                Partition(len(result.partitions), files=tuple(group), size=group_size)
            )
            group, group_size = [], 0

    for path, size, after in zip(files, sizes, later, strict=True):
        codec = _splittable(path) if size > target_bytes else None
        if codec is not None:

            def cut(start: int, size: int = size, after: int = after) -> int:
                return cut_size(target_bytes, size - start + after, workers)

            ranges = list(_ranges(path, size, cut) if codec == "bz2"
                          else _xml_ranges(path, size, cut))
            if len(ranges) > 1:
                close_group()
                for start, end in ranges:
                    result.partitions.append(Partition(
                        len(result.partitions), path=path, start=start, end=end,
                        first=start == 0, last=end == size, size=end - start, codec=codec,
                    ))
                continue
        group.append(path)
        group_size += size
        if group_size >= target_bytes:
            close_group()
    close_group()
    return result


def _splittable(path: str) -> str | None:
    """"bz2" for a (possibly multistream) .bz2 file, "xml" for an uncompressed UTF-8 XML dump,
    None for what cannot be cut into independent byte ranges (gzip, xz, UTF-16, ...)."""
    if path.endswith(".bz2"):
        return "bz2"
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"<mediawiki" not in head:
        return None
    return "xml"


def _xml_ranges(path: str, size: int, cut_at: Callable[[int], int]) -> Iterator[tuple[int, int]]:
    """Cuts of an uncompressed XML dump just before a `<page>` tag, about `cut_at(start)` after
    the previous. In XML a literal `<page>` is markup (page text has it escaped), so every cut
    is a page start."""
    start = 0
    with open(path, "rb") as handle:
        while (position := start + cut_at(start)) < size:
            handle.seek(position)
            cut = -1
            while cut < 0 and position < size:
                block = handle.read(1 << 20)
                found = block.find(b"<page>")
                cut = position + found if found >= 0 else -1
                position += max(len(block) - 6, 1)  # keep a tag split over two blocks
                handle.seek(position)
            if cut < 0:
                break
            yield start, cut
            start = cut
    yield start, size


def _ranges(path: str, size: int, cut_at: Callable[[int], int]) -> Iterator[tuple[int, int]]:
    """Runs of whole bz2 streams, each at least `cut_at(start)` bytes (but the last)."""
    offsets = stream_offsets(path)
    if len(offsets) < 2:
        yield 0, size
        return
    start = 0
    for offset in offsets[1:]:
        if offset - start >= cut_at(start):
            yield start, offset
            start = offset
    yield start, size


class _FileSlice(io.RawIOBase):
    """The compressed bytes [start, end) of a file, counted as they are read."""

    def __init__(self, path: str, start: int, end: int) -> None:
        self.handle = open(path, "rb")  # noqa: SIM115 - closed with the slice
        self.handle.seek(start)
        self.start, self.size = start, end - start
        self.remaining = end - start
        self.count = 0  # the furthest byte read, from the start of the slice

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        """Offsets are within the slice (a broken bz2 stream is skipped by seeking on)."""
        assert whence == 0
        offset = max(0, min(offset, self.size))
        self.handle.seek(self.start + offset)
        self.remaining = self.size - offset
        return offset

    def readinto(self, buffer) -> int:
        data = self.handle.read(min(len(buffer), self.remaining))
        buffer[: len(data)] = data
        self.remaining -= len(data)
        self.count = max(self.count, self.size - self.remaining)
        return len(data)

    def close(self) -> None:
        self.handle.close()
        super().close()


class RangeStream:
    """The XML of a byte range (of a multistream .bz2, decompressed, or of an uncompressed
    dump), made a whole document: the dump's header is put before a range that lacks it, and
    `</mediawiki>` after. Offers `read1`, as the dump reader expects of a decompressed stream,
    and, for bz2, `resume` after a broken stream (see `Bz2Chain`): an external decompressor
    cannot say where it broke, so on a break the range is read again by Python's bz2 up to
    the same point, which can."""

    def __init__(self, partition: Partition) -> None:
        assert partition.path is not None
        self.partition = partition
        self.counter = _FileSlice(partition.path, partition.start, partition.end)
        tool = bz2_tool() if partition.codec == "bz2" else None
        self.body: Any
        if partition.codec == "xml":
            self.body = io.BufferedReader(self.counter, 1 << 16)
        elif tool:
            self.body = ExternalDecompressor(tool, self.counter)
        else:
            self.body = Bz2Chain(self.counter, origin=partition.start)
        self.delivered = 0  # bytes of the body handed out
        self.header = _dump_header(partition.path, partition.codec)
        self.head = b"" if partition.first else self.header
        self.head_size = len(self.head)
        self.tail = b"" if partition.last else b"</mediawiki>\n"

    def read1(self, size: int = 1 << 16) -> bytes:
        if self.head:
            data, self.head = self.head[:size], self.head[size:]
            return data
        try:
            data = self.body.read1(size)
        except OSError:
            if not isinstance(self.body, ExternalDecompressor):
                raise
            self._replay()  # Python's bz2 breaks at the same stream, and knows where
            data = self.body.read1(size)
        if data:
            self.delivered += len(data)
            return data
        data, self.tail = self.tail[:size], self.tail[size:]
        return data

    def _replay(self) -> None:
        """Go on with Python's bz2 from where the external decompressor stopped."""
        self.body.close()
        self.counter.seek(0)
        self.body = Bz2Chain(self.counter, origin=self.partition.start)
        skip = self.delivered
        while skip > 0 and (data := self.body.read1(min(skip, 1 << 16))):
            skip -= len(data)

    def stream_offset(self) -> int | None:
        if isinstance(self.body, ExternalDecompressor):
            self._replay()
        return self.body.stream_offset() if isinstance(self.body, Bz2Chain) else None

    def resume(self) -> int | None:
        if self.partition.codec != "bz2":
            return None
        if isinstance(self.body, ExternalDecompressor):
            self._replay()
        return self.body.resume()

    def close(self) -> None:
        self.body.close()
        self.counter.close()


def iter_range_units(partition: Partition, namespaces: set[int], stats: Any,
                     max_page_bytes: int | None = None) -> Iterator[Any]:
    """The pages of a multistream byte range, through the same dump reader as whole files."""
    from extractor import source_xml, sources

    assert partition.path is not None  # only byte-range partitions are read here
    stream = RangeStream(partition)
    try:
        reader = sources.SafeReader(stream)
        peek = reader.read_at_least(sources.PROLOG_PEEK)
        compressed = partition.codec == "bz2"
        for unit in source_xml.iter_xml(
            partition.path, peek, reader, stream.counter, namespaces, stats,
            synthetic=stream.head_size, base=0 if compressed else partition.start,
            header=stream.header, range_start=partition.start if compressed else None,
            compressed=compressed, max_page_bytes=max_page_bytes,
        ):
            # Wikipedia's first stream holds only <siteinfo> and its last only </mediawiki>:
            # a range without pages is normal, not a broken file.
            if any(p.code == "XML_NO_PAGES" for p in unit.problems):
                continue
            yield unit
    finally:
        stats.compressed_bytes += stream.counter.count
        stream.close()


def _dump_header(path: str, codec: str = "bz2") -> bytes:
    """Everything before the first <page> of the dump (the <mediawiki> tag and <siteinfo>);
    a bare <mediawiki> tag when the first stream is broken, so the range still reads."""
    decompressor = bz2.BZ2Decompressor()
    out = b""
    with open(path, "rb") as handle:
        while b"<page>" not in out and not decompressor.eof:
            data = handle.read(1 << 16)
            if not data:
                break
            try:
                out += data if codec == "xml" else decompressor.decompress(data)
            except (OSError, EOFError):
                return b"<mediawiki>\n"
    cut = out.find(b"<page>")
    header = out[:cut] if cut >= 0 else out
    return header if b"<mediawiki" in header else b"<mediawiki>\n"
