"""An external bz2 decompressor (`lbzip2`) in a process of its own, fed a byte range by a thread
and paced by what its reader has taken.

`lbzip2` decodes ahead of a reader slower than itself: fed freely, it held ~20-25 MB of decoded
blocks against 7 MB with a fast reader, reached a few MB into a range. A worker reads slower than
`lbzip2` decodes, so the feeder gives it the next piece of input only while its output pipe
(enlarged to 1 MB) is less than half full: the decoded data waits in the pipe, not in `lbzip2`,
and `lbzip2` holds a block or two (~12 MB at its peak, measured with a 15 MB/s reader, and no
empty pipe met by the reader more often than without pacing). Where the pipe cannot be enlarged
(not Linux) it is fed freely, as before.
"""

from __future__ import annotations

import array
import os
import shutil
import subprocess
import threading
from typing import Protocol

try:  # POSIX only: elsewhere the pipe keeps its size and the decompressor is fed freely
    import fcntl
    import termios
except ImportError:  # pragma: no cover - not on this project's platforms
    fcntl = termios = None  # type: ignore[assignment]

FEED_BYTES = 256 << 10  # compressed bytes written at a time (about one bz2 block)
PIPE_BYTES = 1 << 20  # the output pipe's size asked for (Linux's limit for unprivileged users)
PACE_POLL_SECONDS = 0.003  # how often a held-back feeder looks at the pipe again


class ByteSource(Protocol):
    """Where the compressed bytes come from (`partitions._FileSlice`, a byte range of a file)."""

    def read(self, size: int = -1, /) -> bytes | None: ...


def bz2_tool() -> str | None:
    """The external bz2 decompressor to use: `lbzip2` when installed, unless
    EXTRACTOR_BZ2_TOOL names another (`pbzip2`, `bzip2`) or `python` (Python's own module)."""
    wanted = os.environ.get("EXTRACTOR_BZ2_TOOL", "lbzip2")
    if wanted == "python":
        return None
    return shutil.which(wanted)


def _enlarge_pipe(fd: int, size: int) -> int | None:
    """Ask for a pipe of `size` bytes; the size it has, or None where that cannot be done."""
    if fcntl is None:
        return None
    try:
        set_size = getattr(fcntl, "F_SETPIPE_SZ", None)
        get_size = getattr(fcntl, "F_GETPIPE_SZ", None)
        if set_size is None or get_size is None:
            return None
        fcntl.fcntl(fd, set_size, size)
        return int(fcntl.fcntl(fd, get_size))
    except OSError:
        return None


def _pipe_holds(fd: int) -> int:
    """Bytes waiting in the pipe `fd` reads from (asked only where `_enlarge_pipe` worked)."""
    count = array.array("i", [0])
    fcntl.ioctl(fd, termios.FIONREAD, count)
    return count[0]


class ExternalDecompressor:
    """`lbzip2 -dc` in a process of its own, fed the byte range by a thread: it spends less CPU
    per byte than Python's bz2 and, where a core is free, decompresses beside the parsing.
    A failure (corrupt data) is raised as OSError at the end of its output, as bz2 would."""

    def __init__(self, tool: str, source: ByteSource) -> None:
        self.tool = os.path.basename(tool)
        self.process = subprocess.Popen(
            [tool, "-dc"] + (["-n1"] if self.tool == "lbzip2" else []),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        assert self.process.stdout is not None
        self.output_fd = self.process.stdout.fileno()
        pipe = _enlarge_pipe(self.output_fd, PIPE_BYTES)
        # Held back while the pipe is half full; not paced where it stayed small (the reader
        # would find it empty between two pieces of input).
        self.high_water = pipe // 2 if pipe is not None and pipe >= 4 * FEED_BYTES else None
        self.closing = threading.Event()
        self.fed = 0  # compressed bytes handed to the decompressor so far
        self.feeder = threading.Thread(target=self._feed, args=(source,), daemon=True)
        self.feeder.start()

    def _feed(self, source: ByteSource) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        try:
            while chunk := source.read(FEED_BYTES):
                if self.high_water is not None and self.fed >= 2 * FEED_BYTES:
                    while (_pipe_holds(self.output_fd) >= self.high_water
                           and not self.closing.wait(PACE_POLL_SECONDS)):
                        pass
                if self.closing.is_set():
                    break
                stdin.write(chunk)
                stdin.flush()
                self.fed += len(chunk)
        except (OSError, ValueError):  # the decompressor stopped early (corrupt data), or the
            pass  # reader closed it: it reports that
        finally:
            try:
                stdin.close()
            except OSError:
                pass

    def read1(self, size: int = 1 << 16) -> bytes:
        data = os.read(self.output_fd, size)  # what the pipe holds, up to size: like read1
        if data:
            return data
        if self.process.wait() != 0:
            stderr = self.process.stderr.read() if self.process.stderr else b""
            message = stderr.decode("utf-8", "replace").strip().splitlines()
            raise OSError(f"{self.tool} failed: {message[-1] if message else 'corrupt data'}")
        return b""

    def close(self) -> None:
        self.closing.set()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.feeder.join(timeout=5)
        for pipe in (self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()
