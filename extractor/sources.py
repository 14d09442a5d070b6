"""Paths to a stream of units of text: flat article files, `.wiki` pages, MediaWiki XML dumps
(plain, bz2 including multistream, gzip, xz, lzma; UTF-8 or UTF-16; any export schema version)
and JSONL with `title`/`text`.

The format is sniffed from the content (after decompression), not from the file name. Dumps are
streamed with constant memory: lxml's pull parser is fed fixed-size chunks and each page element
is cleared once read. Nothing here raises on bad input: an empty, binary or broken file
becomes a Unit carrying a fatal Problem, which the caller turns into a `failed` articles row;
bad bytes in a text file make only the article holding them `partial` (`textdecode`); a dump
that breaks keeps the pages before the break and reads on after it (the next <page>, or the
next bz2 stream: `bz2chain`), each break one failed row with its byte offset.
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
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

from lxml import etree

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
_REDIRECT = re.compile(
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
               stats: SourceStats | None = None) -> Iterator[Unit]:
    """Every unit of text in the given paths, in order."""
    namespaces = {0} if namespaces is None else namespaces
    stats = SourceStats() if stats is None else stats
    for path in expand_paths(paths):
        stats.files += 1
        for unit in iter_file(path, namespaces, stats):
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


def failed_unit(path: str, code: str, message: str, fmt: SourceFormat = "wikitext") -> Unit:
    name = os.path.basename(path)
    return Unit(source=path, format=fmt, text="", title=name, doc_id=f"{name}#0",
                problems=[Problem(code=code, message=message, severity="fatal")])


def iter_file(path: str, namespaces: set[int], stats: SourceStats) -> Iterator[Unit]:
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed in the finally below
    except OSError as exc:
        yield failed_unit(path, "SOURCE_UNREADABLE", str(exc))
        return
    counter = CountingReader(handle)
    try:
        yield from iter_stream(path, counter, namespaces, stats)
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
                stats: SourceStats) -> Iterator[Unit]:
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
        resumed = resume_after_break(reader, _BARE_HEADER)  # the first stream of a chain lost
        if resumed is not None:
            yield from iter_xml(path, resumed, reader, counter, namespaces, stats,
                                synthetic=len(_BARE_HEADER), header=_BARE_HEADER)
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
                            compressed=kind is not None)
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


# Characters of a flat file parsed at a time (a 20 MB flat dump: 420 MB peak, not 1.3 GB).
FLAT_CHUNK = 1 << 20
_FLAT_TITLE_LINE = re.compile(r"=(?!=)[^\n]*(?<!=)=[ \t]*")  # the grammar's TITLE_LINE


def read_flat_file(path: str, peek: bytes, stream, stats: SourceStats,
                   chunk_chars: int | None = None) -> Iterator[Unit]:
    """A flat file in units of whole articles of about `chunk_chars` characters, each cut just
    before a `= Title =` line and numbered on from the last (`line`, `first_article`), so a
    flat dump of any size is parsed in bounded memory with the ids and lines of one parse.
    An article holding bad bytes (see `TextDecoder`) is a unit of its own carrying the problem,
    so it alone is `partial`."""
    limit = FLAT_CHUNK if chunk_chars is None else chunk_chars
    decoder = TextDecoder(peek)
    chunk = _FlatChunk(path, decoder)
    tail, data = "", peek
    while True:
        text = tail + decoder.decode(data, final=not data)
        stats.uncompressed_bytes += len(data)
        held = "\r" if data and text.endswith("\r") else ""  # its LF may open the next block
        text = (text[:-1] if held else text).replace("\r\n", "\n").replace("\r", "\n")
        if data:  # whole lines only: the rest waits for the next block
            cut = text.rfind("\n")
            lines = text[:cut].split("\n") if cut >= 0 else []
            tail = text[cut + 1:] + held
        else:
            lines = text.removesuffix("\n").split("\n") if text else []
        for line in lines:
            if (unit := chunk.add(line, limit)) is not None:
                yield unit
        if not data:
            break
        data = stream.read(CHUNK)
    if stream.error is not None:
        # the articles before the one the break falls in are whole: they are kept
        lost_from = chunk.first_line + chunk.article_at
        if _has_text(chunk.lines[:chunk.article_at]) and (
                unit := chunk.cut(chunk.article_at, 1)) is not None:
            yield unit
        unit = failed_unit(path, break_code(stream.error), f"the compressed stream breaks after "
                           f"{decoder.fed} bytes: {stream.error}; the text from line "
                           f"{lost_from} on is lost", "flat")
        unit.line = unit.problems[0].line = lost_from
        unit.doc_id = f"{os.path.basename(path)}#@{decoder.fed}"
        yield unit
        return
    if (unit := chunk.close()) is not None:
        yield unit


def _has_text(lines: list[str]) -> bool:
    return any(line.strip() for line in lines)


class _FlatChunk:
    """The lines of the flat unit being gathered, and where it stands in its file."""

    def __init__(self, path: str, decoder: TextDecoder | None = None) -> None:
        self.path = path
        self.bad_lines = decoder.bad_lines if decoder is not None else {}
        self.encoding = decoder.encoding if decoder is not None else "utf-8"
        self.lines: list[str] = []
        self.size = 0
        self.line_no = 0  # lines of the file seen so far
        self.first_line = 1
        self.titles_before = 0  # titles in the units already handed out
        self.titles = 0  # articles begun in this unit
        self.started = False  # a non-blank line seen
        self.article_at = 0  # index in `lines` where the current article begins
        self.problems: list[Problem] = []  # of the bad bytes in this unit's one article

    def add(self, line: str, chunk_chars: int) -> Unit | None:
        self.line_no += 1
        bare = line.lstrip("\ufeff") if self.line_no == 1 else line
        is_title = _FLAT_TITLE_LINE.fullmatch(bare) is not None
        if not self.started and bare.strip():
            self.started = True
            self.titles += not is_title  # text before any title is an article of its own
        bad = self.line_no in self.bad_lines
        unit = None
        if is_title and _has_text(self.lines) and (self.size >= chunk_chars or self.problems
                                                   or bad):
            unit = self.cut(len(self.lines), 0)  # (blank lines alone go on with the title)
        elif bad and not self.problems and _has_text(self.lines[:self.article_at]):
            unit = self.cut(self.article_at, 1)  # the articles before this one go on alone
        if is_title:
            self.article_at = len(self.lines)
        self.titles += is_title
        self.lines.append(line)
        self.size += len(line) + 1
        if bad:
            self.note_bad()
        return unit

    def note_bad(self) -> None:
        offset = self.bad_lines[self.line_no]
        if self.problems:
            return  # the first bad byte of the article is the one named
        self.problems.append(Problem(
            code="SOURCE_BAD_BYTES", severity="error", line=self.line_no,
            message=f"bytes that are not {self.encoding} text (undecodable, or NUL) replaced by "
                    f"U+FFFD; the first at byte {offset}"))

    def cut(self, at: int, titles_after: int) -> Unit | None:
        """Hand out lines[:at] as a unit; the rest (holding `titles_after` titles) stays."""
        head, rest = self.lines[:at], self.lines[at:]
        self.lines = head
        unit = self.close()
        self.first_line += len(head)
        self.titles_before += self.titles - titles_after
        self.titles = titles_after
        self.lines, self.size = rest, sum(len(s) + 1 for s in rest)
        self.article_at = 0
        self.problems = []
        return unit

    def close(self) -> Unit | None:
        if not self.lines or (self.first_line > 1 and not any(s.strip() for s in self.lines)):
            return None
        return Unit(source=self.path, format="flat", text="\n".join(self.lines) + "\n",
                    line=self.first_line, first_article=self.titles_before + 1,
                    problems=list(self.problems))


def read_text_file(path: str, peek: bytes, stream, what: str, stats: SourceStats) -> Unit:
    """A `.wiki` page: one unit, read whole; bad bytes make it `partial` (`TextDecoder`)."""
    name = os.path.basename(path)
    decoder = TextDecoder(peek)
    parts = [decoder.decode(peek)]
    stats.uncompressed_bytes += len(peek)
    while chunk := stream.read(CHUNK):
        parts.append(decoder.decode(chunk))
        stats.uncompressed_bytes += len(chunk)
    parts.append(decoder.decode(b"", final=True))
    if stream.error is not None:
        return failed_unit(path, "DUMP_CORRUPT", f"cannot decompress: {stream.error}")
    text = "".join(parts).lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    problems = []
    if decoder.bad_lines:
        problems.append(Problem(code="SOURCE_BAD_BYTES", severity="error",
                                line=min(decoder.bad_lines), message=decoder.message()))
    stats.pages += 1
    title = os.path.splitext(name)[0].replace("_", " ")
    return Unit(source=path, format="wikitext", text=text, title=title, doc_id=f"{name}#1",
                problems=problems)


# --- MediaWiki XML dumps ---------------------------------------------------------------------


def refuse_dtd(prolog: str) -> bool:
    """A DOCTYPE or ENTITY declaration before the root element: entities are never expanded,
    so such a file is refused whole (a billion-laughs file can't cost anything)."""
    root = re.search(r"<(?![?!])", prolog)
    before = prolog[:root.start()] if root else prolog
    return "<!DOCTYPE" in before.upper() or "<!ENTITY" in before.upper()


# The lxml pull parser's options, and why:
# - resolve_entities=False: an entity reference is never replaced by its definition (no billion
#   laughs; no file or URL content pulled in through an external entity);
# - load_dtd=False and no_network=True: no external DTD is loaded, nothing is fetched;
# - huge_tree=True: lifts libxml2's limits on the size of one text node (10 MB) and on depth,
#   which a big page can pass. Those limits are also a guard against entity amplification, so
#   every DTD or entity declaration is refused before the parser sees it (`DtdGuard`, and
#   `refuse_dtd` on the prolog): with nothing declared, nothing can expand.
_PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False,
                   "huge_tree": True}
_DECLARATIONS = tuple(word.encode(codec) for word in ("<!DOCTYPE", "<!ENTITY")
                      for codec in ("utf-8", "utf-16-le", "utf-16-be"))
_PAGE_START = re.compile(rb"<page[\s>]")
_BARE_HEADER = b"<mediawiki>\n"  # to read pages on when the dump's own header is lost


class DtdGuard:
    """Spots a DOCTYPE or ENTITY declaration anywhere in the bytes fed to the parser (after
    the prolog, inside a page): page text has its `<` escaped, so these are always markup."""

    def __init__(self) -> None:
        self.tail = b""

    def find(self, chunk: bytes) -> int | None:
        """Where in `chunk` a declaration starts (0 when it began in the chunk before). XML
        keywords are case-sensitive: libxml2 takes no `<!doctype`."""
        data = self.tail + chunk
        self.tail = chunk[-24:]
        if b"<!" not in data and b"<\x00!" not in data:  # the common case, two quick scans
            return None
        found = [at for word in _DECLARATIONS if (at := data.find(word)) >= 0]
        return max(0, min(found) - (len(data) - len(chunk))) if found else None


@dataclass
class DumpState:
    path: str
    name: str
    namespaces: set[int]
    stats: SourceStats
    prefixes: dict[str, int] = field(default_factory=dict)  # namespace name → key (siteinfo)
    pages: int = 0
    fed: int = 0  # uncompressed bytes of the source fed to the parser
    breaks: int = 0
    range_start: int | None = None  # of a byte range of a compressed dump: where it starts
    rest: tuple[bytes, int] | None = None  # after the XML broke: the data unread, its offset
    restarted: int = -(1 << 62)  # offset of the last page read on from after a break
    compressed: bool = True  # the source is compressed (its compressed offsets are told)
    break_ids: set[str] = field(default_factory=set)


def iter_xml(path: str, peek: bytes, stream, counter: ByteCounter, namespaces: set[int],
             stats: SourceStats, *, synthetic: int = 0, base: int = 0,
             header: bytes | None = None, range_start: int | None = None,
             compressed: bool = True) -> Iterator[Unit]:
    """The pages of a dump. `synthetic` bytes at the start of `peek` are not the file's (the
    dump header put before a byte range); `base` is the file offset of the first byte after
    them when it is known (an uncompressed range). After a break in a bz2 chain, reading goes
    on at the next stream that reads, from its first <page>, behind `header` (the dump's)."""
    if refuse_dtd(decode_peek(peek)):
        yield failed_unit(path, "XML_DTD_REFUSED",
                          "the XML declares a DTD or entities; refused, not expanded")
        return
    state = DumpState(path, os.path.basename(path), namespaces, stats, fed=base - synthetic,
                      range_start=range_start, compressed=compressed)
    if header is None:
        found = _PAGE_START.search(peek)
        header = peek[:found.start()] if found else _BARE_HEADER
    chunk: bytes | None = peek  # may be empty: a byte range whose first stream is broken
    unsent = 0
    while chunk is not None:
        pages = state.pages
        broken = yield from parse_xml_part(state, chunk, stream, counter, unsent)
        if broken is None:
            break
        state.breaks += 1
        yield broken
        if unsent and state.pages == pages and header != _BARE_HEADER:
            header = _BARE_HEADER  # a restart read nothing: perhaps the header itself is bad,
            state.restarted -= 1  # so the same page is tried once more behind a bare one
        if state.rest is not None:  # the XML broke, not the stream: on at the next page
            chunk = resume_in_text(state, stream, header)
        elif stream.error is not None:
            chunk = resume_after_break(stream, header)
        else:
            break  # a DTD, or the end of the data
        unsent = len(header)
    if state.pages == 0 and not state.breaks:
        yield failed_unit(path, "XML_NO_PAGES", "no <page> element in this XML file")


def parse_xml_part(state: DumpState, chunk: bytes, stream, counter: ByteCounter,
                   unsent: int) -> Generator[Unit, None, Unit | None]:
    """Parse on from `chunk` (whose first `unsent` bytes are not the file's) with a parser of
    its own, yielding the pages; returns the unit of the break that ends it, if any."""
    parser = etree.XMLPullParser(events=("end",), tag=("{*}page", "{*}siteinfo"),
                                 **_PARSER_OPTIONS)
    guard = DtdGuard()
    state.rest = None
    window, window_line = b"", 1  # the chunk fed before, and its first line (for errors)
    while chunk:
        declared = guard.find(chunk)
        if declared is not None:
            try:  # the pages before the declaration are read, then reading stops
                parser.feed(chunk[:declared])
                state.fed += max(0, declared - unsent)
            except etree.XMLSyntaxError:
                pass
            yield from drain(parser, state)
            return broken_unit(state, stream, counter, "XML_DTD_REFUSED",
                               "a DTD or entity declaration inside the XML; refused, not "
                               "expanded")
        try:
            parser.feed(chunk)
        except etree.XMLSyntaxError as exc:
            yield from drain(parser, state)
            data, start = window + chunk, state.fed - len(window) - unsent
            line = exc.lineno - window_line + 1 if exc.lineno else 0  # in `data`
            state.fed = max(start + _line_end(data, line - 1), state.fed)  # the line's start
            broken = broken_unit(state, stream, counter, "XML_BROKEN", f"XML breaks: {exc}")
            after = _line_end(data, line)
            state.rest = (data[after:], start + after) if after else (b"", start + len(data))
            return broken
        state.fed += len(chunk) - unsent
        state.stats.uncompressed_bytes += len(chunk) - unsent
        unsent = 0
        window_line += window.count(b"\n")
        window = chunk
        yield from drain(parser, state)
        chunk = stream.read(CHUNK)
    try:
        parser.close()
        closed_error = None
    except etree.XMLSyntaxError as exc:
        closed_error = exc
    yield from drain(parser, state)
    if stream.error is not None:
        return broken_unit(state, stream, counter, break_code(stream.error),
                           f"the compressed stream breaks: {stream.error}")
    if closed_error is not None:  # libxml2 stops quietly at some errors (an undefined entity)
        if "Premature end" in str(closed_error):
            return broken_unit(state, stream, counter, "DUMP_TRUNCATED",
                               f"the XML ends mid-document: {closed_error}")
        return broken_unit(state, stream, counter, "XML_BROKEN",
                           f"XML breaks before this point, at an error libxml2 reports only "
                           f"at the end (an undefined entity): {closed_error}")
    return None


def _line_end(data: bytes, lines: int) -> int:
    """The offset just after the end of the `lines`-th line of `data`; 0 if not in it."""
    at = -1
    for _ in range(lines if lines > 0 else 0):
        at = data.find(b"\n", at + 1)
        if at < 0:
            return 0
    return at + 1 if lines > 0 else 0


def resume_in_text(state: DumpState, stream, header: bytes) -> bytes | None:
    """After the XML broke: `header`, then the data from the first <page> after the line the
    parser stopped at (the pages of the rest of the file are read on)."""
    assert state.rest is not None
    data, offset = state.rest
    tail = b""
    while True:
        at = max(0, state.restarted + 1 - (offset - len(tail)))  # always forward
        found = _PAGE_START.search(tail + data, at)
        if found:
            state.fed = state.restarted = offset - len(tail) + found.start()
            return header + (tail + data)[found.start():]
        offset += len(data)
        tail = (tail + data)[-6:]
        data = stream.read(CHUNK)
        if not data:  # the end; or a broken bz2 stream, to go on after
            return resume_after_break(stream, header) if stream.error is not None else None


def resume_after_break(stream, header: bytes) -> bytes | None:
    """After a break in a bz2 chain: `header`, then the data from the first <page> of the next
    stream that reads on; None when nothing follows (or the source cannot go on)."""
    resume = getattr(stream, "resume", None)
    while resume is not None and resume() is not None:
        tail = b""
        while chunk := stream.read(CHUNK):
            data = tail + chunk
            found = _PAGE_START.search(data)
            if found:
                return header + data[found.start():]
            tail = data[-6:]
        if stream.error is None:
            return None  # the rest holds no page (the dump's footer)
    return None


def break_code(error: Exception) -> str:
    """A stream that ends early is truncated; one with bad data in it is corrupt."""
    return "DUMP_TRUNCATED" if isinstance(error, EOFError) else "DUMP_CORRUPT"


def broken_unit(state: DumpState, stream, counter: ByteCounter, code: str,
                message: str) -> Unit:
    """The failed row of a break: where (the bz2 stream's offset when known, else the bytes
    read) and how many pages came before it."""
    at = stream_offset(stream)
    if state.range_start is None:
        where = f"at uncompressed byte {state.fed}"
    else:
        where = f"in the byte range from {state.range_start}"
    if at is not None:
        where += f", compressed byte {at} (the start of the bz2 stream that broke)"
    elif state.compressed and counter.count != state.fed:
        where += f", compressed byte {counter.count} (read so far)"
    unit = failed_unit(state.path, code, f"{message} ({where}); "
                       f"{state.pages} page(s) before the break were kept")
    if at is None:
        unit.doc_id = f"{state.name}#@{state.fed}"
    elif code.startswith("DUMP_"):
        unit.doc_id = f"{state.name}#@{at}"  # the stream that broke
    else:  # the XML broke inside the stream at `at`, which may break again further on
        unit.doc_id = f"{state.name}#@{at}+{state.fed}"
    if unit.doc_id in state.break_ids:  # a restart that broke where it began
        unit.doc_id += f".{state.breaks + 1}"
    state.break_ids.add(unit.doc_id)
    return unit


def stream_offset(stream) -> int | None:
    """The file offset of the bz2 stream being read (or that broke), if the source knows it."""
    inner = getattr(stream, "stream", stream)
    offset = getattr(inner, "stream_offset", None)
    return offset() if callable(offset) else None


def drain(parser, state: DumpState) -> Iterator[Unit]:
    for _, element in parser.read_events():
        if local_name(element.tag) == "siteinfo":
            read_siteinfo(element, state)
            continue
        state.pages += 1
        state.stats.pages += 1
        unit = page_unit(element, state)
        element.clear(keep_tail=False)
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]
        if unit is not None:
            yield unit


def local_name(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read_siteinfo(element, state: DumpState) -> None:
    for child in element.iter("{*}namespace"):
        key = child.get("key")
        if key and child.text and key.lstrip("-").isdigit():
            state.prefixes[child.text.strip().lower()] = int(key)


def page_unit(page, state: DumpState) -> Unit | None:
    """The unit of one <page>, or None if skipped (redirect, other namespace)."""
    fields: dict[str, object] = {}
    revision = None  # the last revision wins (full-history dumps)
    for child in page:
        name = local_name(child.tag)
        if name in ("title", "ns", "id") and name not in fields:
            fields[name] = (child.text or "").strip()
        elif name == "redirect":
            fields["redirect"] = True
        elif name == "revision":
            revision = child
    title = str(fields.get("title", ""))
    ns = namespace_of(fields.get("ns"), title, state)
    if ns not in state.namespaces:
        state.stats.namespace_skipped += 1
        return None
    text_element = None
    if revision is not None:
        text_element = next(iter(revision.iterfind("{*}text")), None)
    text = (text_element.text or "") if text_element is not None else ""
    if fields.get("redirect") or _REDIRECT.match(text):
        state.stats.redirects_skipped += 1
        return None
    raw_id = str(fields.get("id", ""))
    page_id = int(raw_id) if raw_id.isdigit() else None
    doc_id = f"{state.name}#{page_id if page_id is not None else 'p' + str(state.pages)}"
    line = text_element.sourceline if text_element is not None else page.sourceline
    return Unit(source=state.path, format="wikitext", text=text, title=title, page_id=page_id,
                doc_id=doc_id, line=line or 1)


def namespace_of(raw, title: str, state: DumpState) -> int:
    if isinstance(raw, str) and raw.lstrip("-").isdigit():
        return int(raw)
    prefix, colon, _ = title.partition(":")  # old schemas have no <ns>
    if colon and prefix.strip().lower() in state.prefixes:
        return state.prefixes[prefix.strip().lower()]
    return 0


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
    name = os.path.basename(path)
    for number, raw in enumerate(iter_lines(peek, stream), start=1):
        stats.uncompressed_bytes += len(raw) + 1
        if not raw.strip():
            continue
        unit = jsonl_unit(path, name, number, raw, namespaces, stats)
        if unit is not None:
            yield unit
    if stream.error is not None:
        yield failed_unit(path, break_code(stream.error), f"the compressed stream breaks after "
                          f"{stream.count} bytes: {stream.error}")


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
    if _REDIRECT.match(record["text"]):
        stats.redirects_skipped += 1
        return None
    page_id = record.get("id", record.get("page_id"))
    page_id = int(page_id) if isinstance(page_id, int | str) and str(page_id).isdigit() else None
    return Unit(source=path, format="wikitext", text=record["text"],
                title=str(record.get("title") or f"{name} line {number}"), page_id=page_id,
                doc_id=f"{name}#{number}", line=number, problems=problems)
