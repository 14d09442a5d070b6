"""Writing outputs: whole files or nothing, and one clear error when the disk refuses.

Every output file is written under a temporary name in its folder and renamed into place, so a
crash or a full disk never leaves a truncated file under a final name. An OSError while writing
(read-only folder, disk full, file too large) becomes an OutputError naming the place, which the
command line reports in one line with exit status 2.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from extractor.errors import OutputError


@contextmanager
def output_errors(where: str | Path) -> Iterator[None]:
    try:
        yield
    except OSError as error:
        reason = error.strerror or str(error)
        raise OutputError(f"cannot write the output in {where}: {reason}") from error


def temp_path(path: Path) -> Path:
    """The hidden name a file is written under before its rename (Parquet dataset readers
    skip names that start with a dot)."""
    return path.with_name(f".{path.name}.tmp")


def write_text_atomic(path: str | Path, text: str) -> Path:
    path = Path(path)
    tmp = temp_path(path)
    with output_errors(path.parent):
        try:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return path


def check_writable(folder: Path) -> None:
    """Fail before any work when `folder` cannot be created or written."""
    with output_errors(folder):
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".extractor-probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
