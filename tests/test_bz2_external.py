"""The external bz2 decompressor: whole output, input held back from a slow reader, prompt close."""

from __future__ import annotations

import bz2
import io
import random
import shutil
import time
from functools import lru_cache

import pytest

from extractor import bz2_external
from extractor.bz2_external import ExternalDecompressor

TOOLS = [path for path in (shutil.which("lbzip2"), shutil.which("bzip2")) if path]
pytestmark = pytest.mark.skipif(not TOOLS, reason="neither lbzip2 nor bzip2 is installed")


@lru_cache(maxsize=1)
def multistream() -> tuple[bytes, bytes]:
    """~16 MB of word salad (it compresses about 4:1, as a dump's XML does) and its bz2, one
    stream per MB as in a multistream dump."""
    rng = random.Random(7)
    words = ["".join(rng.choice("abcdefghijklmnop") for _ in range(rng.randint(2, 9)))
             for _ in range(3000)]
    text = " ".join(rng.choice(words) for _ in range(2_400_000)).encode()
    blob = b"".join(bz2.compress(text[i:i + (1 << 20)], 9) for i in range(0, len(text), 1 << 20))
    return text, blob


def read_all(decompressor: ExternalDecompressor, first: list[bytes]) -> bytes:
    out = list(first)
    while data := decompressor.read1():
        out.append(data)
    return b"".join(out)


def read_slowly(decompressor: ExternalDecompressor, amount: int) -> list[bytes]:
    """`amount` bytes read as a worker reads, then time for the feeder to run ahead."""
    first, got = [], 0
    while got < amount:
        data = decompressor.read1()
        first.append(data)
        got += len(data)
        time.sleep(0.002)
    time.sleep(0.3)
    return first


@pytest.mark.parametrize("paced", [True, False])
@pytest.mark.parametrize("tool", TOOLS)
def test_a_slow_reader_gets_every_byte(tool, paced, monkeypatch):
    text, blob = multistream()
    if not paced:
        monkeypatch.setattr(bz2_external, "_enlarge_pipe", lambda fd, size: None)
    decompressor = ExternalDecompressor(tool, io.BytesIO(blob))
    try:
        if not paced:
            assert decompressor.high_water is None
        first = read_slowly(decompressor, 2 << 20)
        assert read_all(decompressor, first) == text
        assert decompressor.fed == len(blob)
    finally:
        decompressor.close()


@pytest.mark.skipif(not shutil.which("lbzip2"), reason="lbzip2 is not installed")
def test_lbzip2_is_held_back_from_decoding_far_ahead(monkeypatch):
    """Fed freely, lbzip2 takes in most of the input while the reader has read 2 MB (and holds
    it decoded); paced, it gets little more than the pipe can hold."""
    _text, blob = multistream()
    fed = {}
    for paced in (True, False):
        if not paced:
            monkeypatch.setattr(bz2_external, "_enlarge_pipe", lambda fd, size: None)
        decompressor = ExternalDecompressor(shutil.which("lbzip2") or "", io.BytesIO(blob))
        try:
            if paced and decompressor.high_water is None:
                pytest.skip("the output pipe cannot be enlarged here: fed freely")
            read_slowly(decompressor, 2 << 20)
            fed[paced] = decompressor.fed
        finally:
            decompressor.close()
    assert fed[True] < 0.5 * len(blob) < fed[False]


@pytest.mark.parametrize("tool", TOOLS)
def test_closing_while_the_feeder_is_held_back_is_prompt(tool):
    _text, blob = multistream()
    decompressor = ExternalDecompressor(tool, io.BytesIO(blob))
    decompressor.read1()
    time.sleep(0.2)
    started = time.perf_counter()
    decompressor.close()
    assert time.perf_counter() - started < 1.0
    assert not decompressor.feeder.is_alive()
