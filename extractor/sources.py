"""Paths to a stream of units of text: flat article files, `.wiki` pages, MediaWiki XML dumps
(plain, bz2 including multistream, gzip, xz, lzma; UTF-8 or UTF-16; any export schema version)
and JSONL with `title`/`text`.

The format is sniffed from the content (after decompression), not from the file name. Dumps are
streamed with constant memory: lxml's pull parser is fed fixed-size chunks and each page element
is cleared once read. Nothing here raises on bad input: an empty, binary or broken file
becomes a Unit carrying a fatal Problem, which the caller turns into a `failed` articles row;
bad bytes in a text file make only the article holding them `partial` (`textdecode`); a dump
that breaks keeps the pages before the break and reads on after it (the next <page>, or the
next bz2 stream: `bz2chain`), each break one failed row with its byte offset. This module
sniffs and dispatches (and reads JSONL); `source_text` reads flat and `.wiki` files,
`source_xml` the dumps.
"""

from __future__ import annotations

import glob
import gzip
import io
import json
import lzma
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

from extractor.bz2chain import Bz2Chain
from extractor.errors import UsageError
from extractor.model import Problem
from extractor.textdecode import TextDecoder, text_encoding, verdict

CHUNK = 1 << 16
PROLOG_PEEK = 1 << 14  # bytes read to sniff a file's kind and its XML prolog

_DECOMPRESS_ERRORS = (OSError, EOFError, lzma.LZMAError, zlib.error)
_MAGIC = (
    (b"BZh", "bz2"),
    (b"\x1f\x8b", "gzip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x5d\x00\x00", "lzma"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"PK\x03\x04", "zip"),
)
REDIRECT = re.compile(
    r"^\s*#\s*(redirect|weiterleitung|redirection|redirecci[oó]n|rinvia|doorverwijzing|"
    r"перенаправление|перенаправлення|przekieruj|patrz|ohjaus|omdirigering|yönlendi[rm]|"
    r"تحويل|تغییر[ _]مسیر|הפניה|転送|重定向|넘겨주기)\b",
    re.IGNORECASE,
)
# An XML declaration, or a <mediawiki> root after comments: a page may start with a comment.
_XML_START = re.compile(r"<\?xml|(?:<!--.*?-->\s*)*<(?:\w+:)?mediawiki\b", re.DOTALL)
_JSON_OBJECT = re.compile(r'^\{\s*"')
_FLAT_TITLE = re.compile(r"^= [^=].*[^=] =\s*$")


@dataclass
class SourceStats:
    files: int = 0
    units: int = 0
    pages: int = 0  # pages read from dumps (kept or skipped)
    redirects_skipped: int = 0
    namespace_skipped: int = 0
    compressed_bytes: int = 0  # bytes read from disk
    uncompressed_bytes: int = 0  # bytes after decompression
    failed_units: int = 0  # units carrying a fatal problem (a failed articles row each)
    xml_bad_references: int = 0  # `&`s that start no XML reference, kept as text


SourceFormat = Literal["flat", "wikitext"]


@dataclass
class Unit:
    source: str
    format: SourceFormat
    text: str
    title: str | None = None
    page_id: int | None = None
    doc_id: str | None = None
    line: int = 1
    problems: list[Problem] = field(default_factory=list)
    first_article: int = 1  # flat chunks: the number of the chunk's first article in its file
    label: str | None = None  # flat chunks: what ids are made from, if not the file's name


# --- paths -----------------------------------------------------------------------------------

# Inside a folder only these are read (a README or a manifest beside the data is not a page);
# a file named on the command line or matched by a glob is always read, whatever its name.
INPUT_SUFFIXES = (".wiki", ".wikitext", ".mediawiki", ".txt", ".xml", ".jsonl", ".ndjson",
                  ".bz2", ".gz", ".xz", ".lzma", ".7z")


def expand_paths(paths: list[str]) -> list[str]:
    """Files as given, folders recursively (sorted; input suffixes only), glob patterns
    expanded. A path that names nothing is a usage error, raised before any unit is read."""
    files: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs.sort()
                files += [os.path.join(root, n) for n in sorted(names)
                          if not n.startswith(".") and n.lower().endswith(INPUT_SUFFIXES)]
        elif os.path.isfile(path):
            files.append(path)
        else:
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                raise UsageError(f"no such file, folder or pattern: {path}")
            files += expand_paths(matches)
    return files


def iter_units(paths: list[str], *, namespaces: set[int] | None = None,
               stats: SourceStats | None = None,
               max_page_bytes: int | None = None) -> Iterator[Unit]:
    """Every unit of text in the given paths, in order. A dump page whose XML passes
    `max_page_bytes` (default `source_xml.MAX_PAGE_BYTES`) is a failed unit, not read."""
    namespaces = {0} if namespaces is None else namespaces
    stats = SourceStats() if stats is None else stats
    for path in expand_paths(paths):
        stats.files += 1
        for unit in iter_file(path, namespaces, stats, max_page_bytes):
            stats.units += 1
            if any(p.severity == "fatal" for p in unit.problems):
                stats.failed_units += 1
            yield unit


# --- one file --------------------------------------------------------------------------------

class ByteCounter(Protocol):
    """What the dump reader needs of the compressed input: how many bytes it has read."""

    count: int


class CountingReader(io.RawIOBase):
    """Counts the bytes read through it (compressed bytes, for the stats and break offsets):
    `count` is the furthest offset read, so a seek back to read again is not counted twice."""

    def __init__(self, raw):
        self.raw = raw
        self.count = 0
        self.position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = self.raw.seek(offset, whence)
        return self.position

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        buffer[:len(data)] = data
        self.position += len(data)
        self.count = max(self.count, self.position)
        return len(data)


class SafeReader:
    """Reads the decompressed stream in small steps (`read1`, so data decoded before a break
    is never lost with the exception) and turns a decompression error into end of data, kept
    in `error` for the caller to report after everything before the break was used."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.error: Exception | None = None
        self.count = 0  # uncompressed bytes delivered

    def read(self, size: int = CHUNK) -> bytes:
        if self.error is not None:
            return b""
        try:
            data = self.stream.read1(size)
        except _DECOMPRESS_ERRORS as exc:
            self.error = exc
            return b""
        self.count += len(data)
        return data

    def resume(self) -> int | None:
        """After a break: go on at the next bz2 stream, if the source can (`Bz2Chain`)."""
        resume = getattr(self.stream, "resume", None)
        at = resume() if resume is not None else None
        if at is not None:
            self.error = None
        return at

    def read_at_least(self, size: int) -> bytes:
        parts, total = [], 0
        while total < size:
            data = self.read(size - total)
            if not data:
                break
            parts.append(data)
            total += len(data)
        return b"".join(parts)


def stream_offset(stream) -> int | None:
    """The file offset of the bz2 stream being read (or that broke), if the source knows it."""
    inner = getattr(stream, "stream", stream)
    offset = getattr(inner, "stream_offset", None)
    return offset() if callable(offset) else None


def failed_unit(path: str, code: str, message: str, fmt: SourceFormat = "wikitext") -> Unit:
    name = os.path.basename(path)
    return Unit(source=path, format=fmt, text="", title=name, doc_id=f"{name}#0",
                problems=[Problem(code=code, message=message, severity="fatal")])


def iter_file(path: str, namespaces: set[int], stats: SourceStats,
              max_page_bytes: int | None = None) -> Iterator[Unit]:
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed in the finally below
    except OSError as exc:
        yield failed_unit(path, "SOURCE_UNREADABLE", str(exc))
        return
    counter = CountingReader(handle)
    try:
        yield from iter_stream(path, counter, namespaces, stats, max_page_bytes)
    finally:
        stats.compressed_bytes += counter.count
        handle.close()


def open_decompressed(counter: CountingReader, head: bytes):
    kind = next((name for magic, name in _MAGIC if head.startswith(magic)), None)
    buffered = io.BufferedReader(counter, CHUNK)
    if kind == "bz2":
        return kind, Bz2Chain(counter)  # every stream of a multistream file, past broken ones
    if kind == "gzip":
        return kind, gzip.GzipFile(fileobj=buffered)
    if kind in ("xz", "lzma"):
        return kind, lzma.LZMAFile(buffered)
    return kind, buffered


def iter_stream(path: str, counter: CountingReader, namespaces: set[int],
                stats: SourceStats, max_page_bytes: int | None = None) -> Iterator[Unit]:
    from extractor.source_text import read_flat_file, read_text_file
    from extractor.source_xml import BARE_HEADER, iter_xml, resume_after_break

    head = counter.raw.read(8)
    counter.raw.seek(0)
    if not head:
        yield failed_unit(path, "SOURCE_EMPTY", "the file is empty")
        return
    kind, stream = open_decompressed(counter, head)
    if kind in ("7z", "zip"):
        yield failed_unit(path, "UNSUPPORTED_COMPRESSION",
                          f"{kind} archives are not read; decompress the file first")
        return
    reader = SafeReader(stream)
    peek = reader.read_at_least(PROLOG_PEEK)
    if reader.error is not None and not peek:
        yield failed_unit(path, "DUMP_CORRUPT", f"cannot decompress ({kind}): {reader.error}")
        resumed = resume_after_break(reader, BARE_HEADER)  # the first stream of a chain lost
        if resumed is not None:
            yield from iter_xml(path, resumed, reader, counter, namespaces, stats,
                                synthetic=len(BARE_HEADER), header=BARE_HEADER,
                                max_page_bytes=max_page_bytes)
        return
    if not peek.strip() or not decode_peek(peek).strip("\ufeff \t\r\n"):
        yield failed_unit(path, "SOURCE_EMPTY", "the file has no text")
        return
    what = sniff(peek, path)
    refused = verdict(peek) if what in ("flat", "wiki") else None
    if refused is not None:
        yield failed_unit(path, *refused, "flat" if what == "flat" else "wikitext")
        return
    if what == "xml":
        yield from iter_xml(path, peek, reader, counter, namespaces, stats,
                            compressed=kind is not None, max_page_bytes=max_page_bytes)
    elif what == "jsonl":
        yield from iter_jsonl(path, peek, reader, namespaces, stats)
    else:
        if what == "flat":
            yield from read_flat_file(path, peek, reader, stats)
        else:
            yield read_text_file(path, peek, reader, what, stats)


def sniff(peek: bytes, path: str) -> str:
    """"xml", "jsonl", "flat" or "wiki", from the first bytes of the (decompressed) content."""
    text = decode_peek(peek).lstrip("\ufeff \t\r\n")
    if _XML_START.match(text) or (text.startswith("<") and ".xml" in path.lower()):
        return "xml"
    if _JSON_OBJECT.match(text):
        return "jsonl"
    first = text.split("\n", 1)[0]
    if _FLAT_TITLE.match(first) and "{{" not in text and "[[" not in text:
        return "flat"
    if path.lower().endswith(".txt") and "{{" not in text and "[[" not in text:
        return "flat"
    return "wiki"


def decode_peek(peek: bytes) -> str:
    encoding = bom_encoding(peek) or text_encoding(peek)[0]
    return peek.decode(encoding, errors="ignore")


def bom_encoding(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data[:2] == b"<\x00":
        return "utf-16-le"
    if data[:2] == b"\x00<":
        return "utf-16-be"
    return None


def break_code(error: Exception) -> str:
    """A stream that ends early is truncated; one with bad data in it is corrupt."""
    return "DUMP_TRUNCATED" if isinstance(error, EOFError) else "DUMP_CORRUPT"


# --- JSONL -----------------------------------------------------------------------------------

def iter_lines(peek: bytes, stream) -> Iterator[bytes]:
    buffer = peek
    while True:
        *lines, buffer = buffer.split(b"\n")
        yield from lines
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        buffer += chunk
    if buffer:
        yield buffer


_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")  # a NUL, or a lone surrogate (JSON's "\\ud800")


def iter_jsonl(path: str, peek: bytes, stream, namespaces: set[int],
               stats: SourceStats) -> Iterator[Unit]:
    """The records of a JSONL file, one per line. A broken bz2 stream is a failed row; reading
    goes on at the next stream, whose lines are numbered from its start and named after its
    offset (`name@OFFSET#N`): the lines the broken stream held are not known."""
    name = os.path.basename(path)
    label, data = name, peek
    while True:
        for number, raw in enumerate(iter_lines(data, stream), start=1):
            stats.uncompressed_bytes += len(raw) + 1
            if not raw.strip():
                continue
            unit = jsonl_unit(path, label, number, raw, namespaces, stats)
            if unit is not None:
                yield unit
        if stream.error is None:
            return
        broken = stream_offset(stream)
        where = f" (the bz2 stream at compressed byte {broken})" if broken is not None else ""
        unit = failed_unit(path, break_code(stream.error),
                           f"the compressed stream breaks after {stream.count} bytes{where}: "
                           f"{stream.error}; the rest of that stream is lost (a line cut short "
                           "at either edge is a JSONL_BAD_LINE row), reading goes on at the next "
                           "stream")
        unit.doc_id = f"{name}#@{broken if broken is not None else stream.count}"
        yield unit
        at = stream.resume()
        if at is None:
            return
        label, data = f"{name}@{at}", b""


def jsonl_unit(path: str, name: str, number: int, raw: bytes, namespaces: set[int],
               stats: SourceStats) -> Unit | None:
    def bad(code: str, message: str) -> Unit:
        unit = failed_unit(path, code, message)
        unit.doc_id, unit.title, unit.line = f"{name}#{number}", f"{name} line {number}", number
        unit.problems[0].line = number
        return unit

    decoder = TextDecoder(raw)
    try:
        record = json.loads(decoder.decode(raw, final=True))
    except ValueError as exc:
        return bad("JSONL_BAD_LINE", f"not a JSON object: {exc}"[:300])
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return bad("JSONL_NO_TEXT", "no string 'text' field")
    problems = []
    if decoder.bad_bytes or any(isinstance(record.get(k), str) and _NOT_TEXT.search(record[k])
                                for k in ("title", "text")):
        problems.append(Problem(code="SOURCE_BAD_BYTES", severity="error", line=number,
                                message="bytes that are not UTF-8 text (undecodable, NUL or "
                                        "a lone surrogate) replaced by U+FFFD"))
        for key in ("title", "text"):
            if isinstance(record.get(key), str):
                record[key] = _NOT_TEXT.sub("\ufffd", record[key])
    stats.pages += 1
    ns = record.get("ns", 0)
    if isinstance(ns, int) and ns not in namespaces:
        stats.namespace_skipped += 1
        return None
    if REDIRECT.match(record["text"]):
        stats.redirects_skipped += 1
        return None
    page_id = record.get("id", record.get("page_id"))
    page_id = int(page_id) if isinstance(page_id, int | str) and str(page_id).isdigit() else None
    return Unit(source=path, format="wikitext", text=record["text"],
                title=str(record.get("title") or f"{name} line {number}"), page_id=page_id,
                doc_id=f"{name}#{number}", line=number, problems=problems)
