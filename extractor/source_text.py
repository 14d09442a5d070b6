"""Text files: flat article files, read in chunks of whole articles, and `.wiki` pages, read
whole (see `sources` for how a file gets here)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from extractor.model import Problem
from extractor.sources import (
    CHUNK,
    SourceStats,
    Unit,
    break_code,
    failed_unit,
    stream_offset,
)
from extractor.textdecode import TextDecoder, decode_clean

# Characters of a flat file parsed at a time (a 20 MB flat dump: 420 MB peak, not 1.3 GB).
FLAT_CHUNK = 1 << 20
FLAT_TITLE_LINE = re.compile(r"=(?!=)[^\n]*(?<!=)=[ \t]*")  # the grammar's TITLE_LINE


def read_flat_file(path: str, peek: bytes, stream, stats: SourceStats,
                   chunk_chars: int | None = None) -> Iterator[Unit]:
    """A flat file in units of whole articles of about `chunk_chars` characters, each cut just
    before a `= Title =` line and numbered on from the last (`line`, `first_article`), so a
    flat dump of any size is parsed in bounded memory with the ids and lines of one parse.
    An article holding bad bytes (see `TextDecoder`) is a unit of its own carrying the problem,
    so it alone is `partial`.

    A broken bz2 stream is a failed row, the articles before the one it falls in kept; reading
    goes on at the first title of the next stream. Its articles are named `<file>@<offset>#<n>`
    (n counted from that stream: how many articles the broken stream held is not known), their
    lines counted from its start."""
    limit = FLAT_CHUNK if chunk_chars is None else chunk_chars
    name = os.path.basename(path)
    decoder = TextDecoder(peek)
    chunk = _FlatChunk(path, decoder)
    yield from _read_blocks(chunk, decoder, peek, stream, stats, limit)
    while stream.error is not None:
        # the articles before the one the break falls in are whole: they are kept
        lost_from = chunk.first_line + chunk.article_at
        if _has_text(chunk.lines[:chunk.article_at]) and (
                unit := chunk.cut(chunk.article_at, 1)) is not None:
            yield unit
        error, fed, label = stream.error, decoder.fed, chunk.label or name
        broken = stream_offset(stream)
        at = stream.resume()
        message = (f"the compressed stream breaks after {fed} bytes: {error}; the text from "
                   f"line {lost_from} on is lost")
        if at is not None:
            message += (f", up to the first title after the next bz2 stream (compressed byte "
                        f"{at}), where reading goes on: its articles are named {name}@{at}#<n>, "
                        "their lines counted from that stream")
        unit = failed_unit(path, break_code(error), message, "flat")
        unit.line = unit.problems[0].line = lost_from
        unit.doc_id = f"{label}#@{fed if broken is None else broken}"
        yield unit
        if at is None:
            return
        decoder = TextDecoder(peek)
        decoder.bom = 0  # the file's BOM, if any, was at its start
        chunk = _FlatChunk(path, decoder, label=f"{name}@{at}")
        yield from _read_blocks(chunk, decoder, stream.read(CHUNK), stream, stats, limit)
    if (unit := chunk.close()) is not None:
        yield unit


def _read_blocks(chunk: _FlatChunk, decoder: TextDecoder, data: bytes, stream,
                 stats: SourceStats, limit: int) -> Iterator[Unit]:
    """Every line of the stream, from `data` on, into `chunk`: the units it cuts, up to the end
    of the data or a break (the caller reads `stream.error`); the last unit stays in `chunk`."""
    tail = ""
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
            return
        data = stream.read(CHUNK)


def _has_text(lines: list[str]) -> bool:
    return any(line.strip() for line in lines)


class _FlatChunk:
    """The lines of the flat unit being gathered, and where it stands in its file."""

    def __init__(self, path: str, decoder: TextDecoder | None = None,
                 label: str | None = None) -> None:
        self.path = path
        # After a broken stream: the name ids are made from, and the lines before the first
        # title are skipped (the rest of an article whose start was lost).
        self.label = label
        self.skipping = label is not None
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
        is_title = FLAT_TITLE_LINE.fullmatch(bare) is not None
        if self.skipping:
            if not is_title:
                return None
            self.skipping, self.first_line = False, self.line_no
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
                    problems=list(self.problems), label=self.label)


def read_text_file(path: str, peek: bytes, stream, what: str, stats: SourceStats) -> Unit:
    """A `.wiki` page: one unit, read whole; bad bytes make it `partial` (`TextDecoder`)."""
    name = os.path.basename(path)
    blocks = [peek]
    while chunk := stream.read(CHUNK):
        blocks.append(chunk)
    data = b"".join(blocks)
    stats.uncompressed_bytes += len(data)
    if stream.error is not None:
        return failed_unit(path, "DUMP_CORRUPT", f"cannot decompress: {stream.error}")
    decoder = TextDecoder(peek)
    text = decode_clean(data, decoder.encoding, decoder.bom)  # the common case, in one call
    if text is None:  # bad bytes: the careful path notes where each one is
        text = decoder.decode(data, final=True)
    text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    problems = []
    if decoder.bad_lines:
        problems.append(Problem(code="SOURCE_BAD_BYTES", severity="error",
                                line=min(decoder.bad_lines), message=decoder.message()))
    stats.pages += 1
    title = os.path.splitext(name)[0].replace("_", " ")
    return Unit(source=path, format="wikitext", text=text, title=title, doc_id=f"{name}#1",
                problems=problems)
