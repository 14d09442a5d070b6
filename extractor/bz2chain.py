"""A chain of bz2 streams (a multistream dump, or any `.bz2`) read so that one broken stream
does not cost the streams after it.

Python's `bz2.BZ2File` stops at the first corrupt stream. This reader decompresses stream by
stream; on a corrupt or cut stream it raises as BZ2File would (so the caller reports the break
after using every byte before it), remembers where the broken stream began (`broken_at`), and
`resume()` moves on to the next stream header after it, found the way `partitions` finds stream
starts: "BZh", a block size digit, and the block magic.
"""

from __future__ import annotations

import bz2
import re

STREAM_START = re.compile(rb"BZh[1-9]1AY&SY")
_READ = 1 << 16


class Bz2Chain:
    """`read1` over the decompressed bytes of `raw` (a seekable binary reader at offset 0).
    Offsets are those of `raw` plus `origin` (where `raw` starts in its file)."""

    def __init__(self, raw, origin: int = 0) -> None:
        self.raw = raw
        self.origin = origin
        self.pos = 0  # offset in `raw` of the next byte to read
        self.stream_start = 0  # offset in `raw` where the current stream began
        self.decompressor = bz2.BZ2Decompressor()
        self.broken_at: int | None = None  # file offset of the stream that broke, until resumed

    def _read_raw(self) -> bytes:
        data = self.raw.read(_READ)
        self.pos += len(data)
        return data

    def read1(self, size: int = _READ) -> bytes:
        while True:
            if self.decompressor.eof:
                data = self.decompressor.unused_data or self._read_raw()
                if not data:
                    return b""  # the end, after a whole stream
                self.stream_start = self.pos - len(data)
                self.decompressor = bz2.BZ2Decompressor()
            elif self.decompressor.needs_input:
                data = self._read_raw()
                if not data:
                    self.broken_at = self.origin + self.stream_start
                    raise EOFError("the data ends before the end of the bz2 stream "
                                   f"that starts at byte {self.broken_at}")
            else:
                data = b""  # output held back by the last call's size limit
            try:
                out = self.decompressor.decompress(data, size)
            except OSError:
                self.broken_at = self.origin + self.stream_start
                raise
            if out:
                return out

    def stream_offset(self) -> int:
        """The file offset of the stream that broke, else of the one being read."""
        return self.broken_at if self.broken_at is not None else self.origin + self.stream_start

    def resume(self) -> int | None:
        """After a break (of this stream, or of the XML in it): go on at the next stream
        header after the stream's start; its file offset, or None if there is none."""
        start = self.stream_offset() - self.origin + 1
        self.broken_at = None
        found = find_stream(self.raw, start)
        if found is None:
            return None
        self.raw.seek(found)
        self.pos = self.stream_start = found
        self.decompressor = bz2.BZ2Decompressor()
        return self.origin + found

    def close(self) -> None:
        pass  # `raw` belongs to the caller


def find_stream(raw, start: int) -> int | None:
    """The offset of the first bz2 stream header at or after `start` in `raw`."""
    raw.seek(start)
    position, tail = start, b""
    while True:
        block = raw.read(1 << 20)
        if not block:
            return None
        data = tail + block
        match = STREAM_START.search(data)
        if match:
            return position - len(tail) + match.start()
        tail = data[-9:]
        position += len(block)
