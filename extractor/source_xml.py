"""MediaWiki XML dumps, streamed: lxml's pull parser fed fixed-size chunks, each page element
cleared once read, every declaration refused before the parser sees it, and reading that goes on
after a break (see `sources` for how a file gets here)."""

from __future__ import annotations

import os
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field

from lxml import etree

from extractor.model import Problem
from extractor.sources import (
    CHUNK,
    REDIRECT,
    ByteCounter,
    SourceStats,
    Unit,
    bom_encoding,
    break_code,
    decode_peek,
    failed_unit,
    stream_offset,
)
from extractor.xml_scan import scan_chunk


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
BARE_HEADER = b"<mediawiki>\n"  # to read pages on when the dump's own header is lost


# `<!` in UTF-8, `<`, a zero byte, `!` in UTF-16: what every declaration starts with.
_MAYBE_DECLARATION = re.compile(b"<\x00?!")  # xml_scan.MAYBE_DECLARATION: tests keep them equal


def _declares(data: bytes) -> bool:
    return _MAYBE_DECLARATION.search(data) is not None


class DtdGuard:
    """Spots a DOCTYPE or ENTITY declaration anywhere in the bytes fed to the parser (after
    the prolog, inside a page): page text has its `<` escaped, so these are always markup."""

    def __init__(self) -> None:
        self.tail = b""

    def find(self, chunk: bytes, may_declare: bool | None = None) -> int | None:
        """Where in `chunk` a declaration starts (0 when it began in the chunk before). XML
        keywords are case-sensitive: libxml2 takes no `<!doctype`. `may_declare`: whether
        `chunk` holds a `<!` (`xml_scan`), when the caller knows."""
        tail = self.tail
        self.tail = (tail + chunk[-24:])[-24:]  # the stream's last bytes, however small the chunk
        if may_declare is None:
            may_declare = _declares(chunk)
        if not (may_declare or _declares(tail + chunk[:24])):  # the common case
            return None
        data = tail + chunk
        found = [at for word in _DECLARATIONS if (at := data.find(word)) >= 0]
        return max(0, min(found) - (len(data) - len(chunk))) if found else None


# An `&` in XML starts one of the five predefined entities or a character reference: a dump
# declares no others (a DTD is refused). Any other `&` (an HTML entity written raw, `&nbsp;`, or
# a bare `&`) is an error libxml2 either raises (the page it falls in is lost) or, for an
# undefined entity, meets silently: the parser stops there and every later page of the file is
# lost. So such an `&` is written `&amp;` before the parser sees it: the page reads on with the
# text as written (which the wikitext renderer then reads as the HTML entity it is), and carries
# an XML_BAD_REFERENCE warning. Only where the bytes are ASCII-compatible (UTF-8: a dump), and
# never once a CDATA section is seen (an `&` is plain text there).
_BAD_REFERENCE = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)")
_REFERENCE_SHOWN = re.compile(rb"&[^\s&;<]{0,32};?")
REFERENCE_REACH = 48  # an `&` this close to a chunk's end, no `;` after it: wait for more
MAX_WAITS = 4  # chunks added at most (a file of nothing but `&`s must not be read whole)


def whole_references(chunk: bytes, stream) -> bytes:
    """`chunk`, with the stream's next chunks added while it ends inside what may still become
    a reference (an `&` with no `;` after it yet): escaping must see every reference whole."""
    for _ in range(MAX_WAITS):
        amp = chunk.rfind(b"&", max(0, len(chunk) - REFERENCE_REACH))
        if amp < 0 or b";" in chunk[amp:]:
            return chunk
        more = stream.read(CHUNK)
        if not more:
            return chunk
        chunk += more
    return chunk


def escape_references(chunk: bytes, first_line: int, found: list[tuple[int, str]],
                      first_bad: int | None = None) -> bytes:
    """`chunk` with every `&` that starts no XML reference written `&amp;`; each one's line
    (counted from `first_line`, the chunk's first) and text go to `found`. `first_bad`: the
    offset of the first such `&` (-1: none), when the caller knows it (`xml_scan`)."""
    if first_bad is None:
        first = _BAD_REFERENCE.search(chunk)
        first_bad = -1 if first is None else first.start()
    if first_bad < 0:  # the common case
        return chunk
    line, at = first_line, 0
    for match in _BAD_REFERENCE.finditer(chunk, first_bad):
        line += chunk.count(b"\n", at, match.start())
        at = match.start()
        shown = _REFERENCE_SHOWN.match(chunk, at)
        found.append((line, (shown.group() if shown else b"&").decode("utf-8", "replace")))
    return _BAD_REFERENCE.sub(b"&amp;", chunk)


def ascii_compatible(peek: bytes) -> bool:
    """The markup's bytes are ASCII's (UTF-8 and its kin), so `&` and `;` can be sought as
    bytes; not in UTF-16."""
    return bom_encoding(peek) in (None, "utf-8-sig")


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
    max_page_bytes: int = 64 << 20  # a page whose XML passes this is not read (see `oversized`)
    open_page: object = None  # the <page> element begun and not yet ended, if any
    open_since: int = 0  # `fed` when it began (to within a chunk)
    escape: bool = True  # bad references are escaped (see `escape_references`)
    escaped: list[tuple[int, str]] = field(default_factory=list)  # (line, text), not yet placed


def iter_xml(path: str, peek: bytes, stream, counter: ByteCounter, namespaces: set[int],
             stats: SourceStats, *, synthetic: int = 0, base: int = 0,
             header: bytes | None = None, range_start: int | None = None,
             compressed: bool = True, max_page_bytes: int | None = None) -> Iterator[Unit]:
    """The pages of a dump. `synthetic` bytes at the start of `peek` are not the file's (the
    dump header put before a byte range); `base` is the file offset of the first byte after
    them when it is known (an uncompressed range). After a break in a bz2 chain, reading goes
    on at the next stream that reads, from its first <page>, behind `header` (the dump's)."""
    if refuse_dtd(decode_peek(peek)):
        yield failed_unit(path, "XML_DTD_REFUSED",
                          "the XML declares a DTD or entities; refused, not expanded")
        return
    state = DumpState(path, os.path.basename(path), namespaces, stats, fed=base - synthetic,
                      range_start=range_start, compressed=compressed,
                      escape=ascii_compatible(peek),
                      max_page_bytes=max_page_bytes or MAX_PAGE_BYTES)
    if header is None:
        found = _PAGE_START.search(peek)
        header = peek[:found.start()] if found else BARE_HEADER
    chunk: bytes | None = peek  # may be empty: a byte range whose first stream is broken
    unsent = 0
    while chunk is not None:
        pages = state.pages
        broken = yield from parse_xml_part(state, chunk, stream, counter, unsent)
        if broken is None and state.rest is None:
            break  # the end of the data (None with a rest: an oversized page the run skips)
        if broken is not None:
            state.breaks += 1
            yield broken
        if unsent and state.pages == pages and header != BARE_HEADER:
            header = BARE_HEADER  # a restart read nothing: perhaps the header itself is bad,
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
    parser = etree.XMLPullParser(events=("start", "end"), tag=("{*}page", "{*}siteinfo"),
                                 **_PARSER_OPTIONS)
    guard = DtdGuard()
    state.rest = None
    state.open_page = None
    state.escaped = []  # lines are this parser's
    window, window_line = b"", 1  # the chunk fed before, and its first line (for errors)
    window_lines = 0  # the newlines in `window`
    while chunk:
        if state.open_page is not None and state.fed - state.open_since > state.max_page_bytes:
            state.rest = (chunk, state.fed)  # not fed: on at the next <page> after it
            return oversized(state)
        if state.escape:
            chunk = whole_references(chunk, stream)
        chunk_line = window_line + window_lines  # the first line of `chunk`
        newlines, may_declare, first_bad = scan_chunk(chunk)
        declared = guard.find(chunk, may_declare)
        if declared is not None:
            try:  # the pages before the declaration are read, then reading stops
                parser.feed(_escaped(state, chunk[:declared], chunk_line))
                state.fed += max(0, declared - unsent)
            except etree.XMLSyntaxError:
                pass
            yield from drain(parser, state)
            return broken_unit(state, stream, counter, "XML_DTD_REFUSED",
                               "a DTD or entity declaration inside the XML; refused, not "
                               "expanded")
        try:  # (escaping adds no line: the parser's lines are the chunk's)
            parser.feed(_escaped(state, chunk, chunk_line, may_declare, first_bad))
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
        window_line, window, window_lines = chunk_line, chunk, newlines
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


def _escaped(state: DumpState, chunk: bytes, first_line: int, may_declare: bool = True,
             first_bad: int | None = None) -> bytes:
    """`chunk` as the parser is fed it (see `escape_references`); `may_declare` and
    `first_bad` are `xml_scan.scan_chunk`'s, when known (a CDATA section starts with `<!`)."""
    if state.escape and may_declare and b"<![CDATA[" in chunk:
        state.escape = False  # an `&` inside CDATA is text: from here on, libxml2 alone judges
    if not state.escape:
        return chunk
    return escape_references(chunk, first_line, state.escaped, first_bad)


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


def drain(parser, state: DumpState) -> Iterator[Unit]:
    for event, element in parser.read_events():
        if event == "start":
            if local_name(element.tag) == "page":
                state.open_page, state.open_since = element, state.fed
            continue
        state.open_page = None
        escaped = placed_escapes(element, state) if state.escaped else []
        if local_name(element.tag) == "siteinfo":
            read_siteinfo(element, state)
            continue
        state.pages += 1
        state.stats.pages += 1
        unit = page_unit(element, state)
        if unit is not None and escaped:
            unit.problems += escaped
        element.clear(keep_tail=False)
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]
        if unit is not None:
            yield unit


def placed_escapes(element, state: DumpState) -> list[Problem]:
    """The XML_BAD_REFERENCE warnings of the escapes inside `element` (a page just read, or the
    siteinfo), taken from those not yet placed; escapes before it (between elements, in a
    comment) are dropped: no page holds them."""
    last = element.sourceline or 0
    for node in element.iter():
        end = (node.sourceline or 0) + (node.text or "").count("\n")
        if node is not element:
            end += (node.tail or "").count("\n")
        last = max(last, end)
    inside = [(line, shown) for line, shown in state.escaped if line <= last]
    state.escaped = state.escaped[len(inside):]
    state.stats.xml_bad_references += len(inside)
    first = element.sourceline or 0
    own = [(line, shown) for line, shown in inside if line >= first]
    problems = [Problem(code="XML_BAD_REFERENCE", severity="warning",
                        message=f"{shown!r} on line {line} of the XML is not an XML reference "
                                "(a dump defines only XML's five entities): kept as that text")
                for line, shown in own[:MAX_REFERENCE_WARNINGS]]
    if len(own) > MAX_REFERENCE_WARNINGS:  # a warning each would let one page hold millions
        problems.append(Problem(code="XML_BAD_REFERENCE", severity="warning",
                                message=f"{len(own) - MAX_REFERENCE_WARNINGS:,} more such `&`s "
                                        f"up to line {own[-1][0]}, kept as text"))
    return problems


MAX_REFERENCE_WARNINGS = 10


# lxml holds a page whole until its end tag: a page bigger than this (Wikipedia refuses pages over
# 2 MB) is a hostile or broken one, and reading it would take memory without bound.
MAX_PAGE_BYTES = 64 << 20


def oversized(state: DumpState) -> Unit | None:
    """The failed unit of the page being read, whose XML passed `max_page_bytes`: named from
    what the parser has of it (title, id, namespace come before the text); None when it is a
    page the run skips anyway. The parser is dropped with it, and reading goes on at the next
    <page> (page text holds no raw `<`, so none is inside it)."""
    page, state.open_page = state.open_page, None
    state.pages += 1
    state.stats.pages += 1
    fields: dict[str, str] = {}
    for child in page:  # type: ignore[attr-defined]
        name = local_name(child.tag)
        if name in ("title", "ns", "id", "redirect") and name not in fields:
            fields[name] = (child.text or "").strip()
    title = fields.get("title", "")
    if namespace_of(fields.get("ns"), title, state) not in state.namespaces:
        state.stats.namespace_skipped += 1
        return None
    if "redirect" in fields:
        state.stats.redirects_skipped += 1
        return None
    page_id = int(fields["id"]) if fields.get("id", "").isdigit() else None
    unit = failed_unit(state.path, "LIMIT_ARTICLE_SIZE",
                       f"the page's XML passes {state.max_page_bytes / (1 << 20):,.0f} MB (from "
                       f"uncompressed byte {state.open_since:,} or so); not read: the pages "
                       "after it are")
    unit.title = title
    unit.page_id = page_id
    unit.doc_id = f"{state.name}#{page_id if page_id is not None else 'p' + str(state.pages)}"
    unit.line = page.sourceline or 1  # type: ignore[attr-defined]
    return unit


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
    if fields.get("redirect") or REDIRECT.match(text):
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
