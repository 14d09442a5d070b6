"""Wikitext to the raw `Article` model (format "wikitext").

Two stages, for speed. A linear scan over the page finds the template spans (`{{ ... }}`,
matched with a stack on a copy where comments and parser-blacklisted tags such as `<nowiki>`
are blanked out); only the infobox spans go to mwparserfromhell, whose own parameters become
the infobox fields. The rest of the page is read line by line (headings, paragraphs, bullet
lists, tables; a line whose template continues on the next lines is read as one logical line),
and only small pieces of text (a paragraph, a cell) are rendered to plain text. An
infoboxes-only read (`body=False`) makes no span for the other templates and masks no copy of
the page: `infobox_only_spans` finds the same infobox spans from the page's brace tokens, and
pages it cannot answer for (a template never closed, nesting past the limit) take the full scan.

Never raises on bad wikitext: problems go to `Article.problems` with stable codes.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, overload

import mwparserfromhell
from mwparserfromhell.nodes import Tag, Template

from extractor.gcpause import gc_paused
from extractor.json_text import json_strings
from extractor.limits import depth_problem, flatten_deep, unflatten
from extractor.model import (
    Article,
    BulletItem,
    BulletList,
    Infobox,
    InfoboxField,
    Paragraph,
    Problem,
    Table,
)
from extractor.parse.page_scan import (
    block_lines,
    line_firsts,
    line_starts,
    masked_slice,
    opaque_regions,
    ref_spans,
    scan_braces,
    template_pairs,
    text_size,
)
from extractor.parse.wikitables import (
    election_box_table,
    is_results_template,
    read_table,
    results_table,
)
from extractor.templates import Renderer, fast_render, normalise_name, render_code
from extractor.unvalidated import new_section

# --- which templates are infoboxes -----------------------------------------------------------
# The rule: a template is an infobox when its name (any case) starts with "infobox" (the
# English and most other wikis: `Infobox settlement`, `infobox tanàna`, `Infobox/articulo/...`)
# or ends with it (`Miejscowość infobox`), or contains one of the local names below. A name
# with "infobox" in its middle (`Collapsed infobox section begin`) is a helper, not an infobox.
# The corpus manifest lists only `Infobox ...` templates; the local names cover wikis that
# translate the word.
INFOBOX_PREFIX = "infobox"
LOCAL_INFOBOX_NAMES = (
    "taxobox", "speciesbox", "ficha de", "infocaixa", "info/", "карточка", "картка",
    "bilgi kutusu", "infokutija", "infokvir", "gwybodlen", "ynfoboks", "infoboks", "infokaste",
    "tietolaatikko", "inligtingskas", "صندوق معلومات", "خانہ معلومات", "جعبه اطلاعات",
    "ज्ञानसन्दूक", "माहितीचौकट", "ਜਾਣਕਾਰੀਡੱਬਾ", "ინფოდაფა", "agahîdank", "bilgiquti",
    "տեղեկաքարտ", "תבנית מידע", "基礎情報", "信息框", "정보상자",
)


_INFOBOX_AFFIX = re.compile(r"^\s*(?:template\s*:\s*)?" + INFOBOX_PREFIX + r"|[ _]infobox\s*$",
                            re.IGNORECASE)
# The characters IGNORECASE matches to a local name's first letter, where they are more than
# its two cases (the dotted and dotless i, the long s, Georgian's capitals; tests check all of
# Unicode). A search for any local name tries at each character of a name thirty alternatives;
# a first letter written as a class of its own, without the flag, lets the scan skip every
# character no local name starts with, and try at the others only the names with that letter.
_FIRST_LETTER_CASES = {"i": "iIİı", "s": "sSſ", "к": "кК", "տ": "տՏ", "ი": "იᲘ"}


def _local_names_pattern() -> re.Pattern:
    by_first: dict[str, list[str]] = {}
    for local in LOCAL_INFOBOX_NAMES:
        by_first.setdefault(local[0], []).append(re.escape(local[1:]).replace("\\ ", "[ _]+"))
    cases = {first: _FIRST_LETTER_CASES.get(first, first + first.upper()) for first in by_first}
    return re.compile("|".join(f"[{re.escape(cases[first])}](?i:{'|'.join(rests)})"
                               for first, rests in by_first.items()))


_LOCAL_INFOBOX = _local_names_pattern()


@lru_cache(maxsize=8192)
def is_infobox_name(name: str) -> bool:
    """True for a template name that is an infobox under the rule above. Cached: every
    template of a page is asked, and a few names (cite web, convert…) are most of them."""
    return _INFOBOX_AFFIX.search(name) is not None or _LOCAL_INFOBOX.search(name) is not None


# --- masking and template spans --------------------------------------------------------------
# mwparserfromhell does not parse inside these tags (its PARSER_BLACKLIST), nor in comments:
# `page_scan.opaque_regions` finds them (its OPAQUE pattern, or its C twin).
_BRACES = re.compile(r"\{\{|\}\}")
_NAME = re.compile(r"\{\{\s*([^|{}<>\[\]]{0,120})")  # page_scan.NAME: the tests keep them equal


def mask_opaque(text: str) -> str:
    """The text with comments and opaque tags blanked (same length, same line breaks)."""
    regions = opaque_regions(text)
    if not regions:
        return text
    return masked_slice(text, regions, [start for start, _ in regions], 0, len(text))


@dataclass(slots=True, init=False)
class Span:
    start: int
    end: int  # exclusive
    name: str
    recovered: bool = False  # an unclosed infobox, read up to the next heading
    # `too_tangled`, once known (asked by the page scan, the reader and its fast path)
    tangled: bool | None = field(default=None, compare=False, repr=False)

    # (a written-out __init__: the one dataclasses generates runs interpreted in a compiled build)
    def __init__(self, start: int, end: int, name: str, recovered: bool = False,
                 tangled: bool | None = None) -> None:
        self.start, self.end, self.name = start, end, name
        self.recovered, self.tangled = recovered, tangled


def template_spans(masked: str, unclosed: list[int] | None = None,
                   depth: list[int] | None = None) -> list[Span]:
    """Every matched `{{ ... }}` pair, in order of start. An opener never closed is text (as
    in MediaWiki), its offset added to `unclosed` if given; a stray `}}` is text too. `depth`,
    if given, gets how deep the templates nest (what the per-article depth limit reads).
    A run of braces is read in twos from its left (see `page_scan.template_pairs`)."""
    pairs, left, deepest = template_pairs(masked)
    if unclosed is not None:
        unclosed += left
    if depth is not None:
        depth.append(deepest)
    return [Span(start, end, name.strip()) for start, end, name in pairs]


# --- infobox spans without every template's span ---------------------------------------------
# An infoboxes-only read needs from the page: its infobox spans, whether any template is never
# closed (TEMPLATE_UNCLOSED) and how deep templates nest (LIMIT_DEPTH). `page_scan` reads the
# last two from the page's brace tokens, and the closer of every template whose name may be an
# infobox's; only those names are read again, on masked windows. The text is never copied to
# mask it, and no Span is made for other templates.
def _name_keywords() -> tuple[str, ...]:
    """A word every ASCII infobox name holds, lowercased (a local name's spaces may be
    underscores, so its longest word); a name with other characters is always read again."""
    return tuple(sorted({max(name.lower().split(), key=len)
                         for name in (INFOBOX_PREFIX, *LOCAL_INFOBOX_NAMES) if name.isascii()}))


NAME_KEYWORDS = _name_keywords()


def infobox_only_spans(text: str, max_depth: int | None) -> list[Span] | None:
    """`infobox_spans(template_spans(mask_opaque(text)))` for a page whose templates all
    close and nest at most `max_depth` deep and whose infoboxes are not too tangled; None for
    any other page, which needs the full scan (recovery, flattening, tangled reading)."""
    regions = opaque_regions(text)
    found = scan_braces(text, regions, -1 if max_depth is None else max_depth, NAME_KEYWORDS)
    if found is None:
        return None  # an opener never closed, or nesting too deep: the full scan says which
    spans: list[Span] = []
    reach = -1
    starts = [start for start, _ in regions]
    for start, end, _ in found:
        if regions:
            name = masked_name(text, regions, starts, start)
        else:
            name = _NAME.match(text, start).group(1)  # type: ignore[union-attr]
        if not is_infobox_name(name) or start < reach:
            continue  # not an infobox, or inside the last outermost one (read with it)
        spans.append(Span(start, end, name.strip()))
        reach = end
    return None if any(too_tangled(text, span) for span in spans) else spans


def masked_name(text: str, regions: list[tuple[int, int]], starts: list[int],
                opener: int) -> str:
    """The `_NAME` group at `opener` on the masked text, masking only a window after it."""
    size = 256
    while True:
        end = min(opener + size, len(text))
        window = masked_slice(text, regions, starts, opener, end)
        match = _NAME.match(window)
        if match.end() < len(window) or end == len(text):  # type: ignore[union-attr]
            return match.group(1)  # type: ignore[union-attr]
        size *= 4


def outermost(spans: list[Span]) -> list[Span]:
    result: list[Span] = []
    reach = -1
    for span in spans:
        if span.start >= reach:
            result.append(span)
            reach = span.end
    return result


class LineIndex:
    """Line numbers (1-based) of offsets in a text. Lazy: an infoboxes-only read asks for a
    few lines near the top of the page, counted from the last offset asked; the table of line
    starts is built only when asked for (the body reader needs it) or when an offset comes
    before the last one. `newlines`, when the caller knows it, spares `count` a scan."""

    def __init__(self, text: str, newlines: int | None = None):
        self.text = text
        self._starts: list[int] | None = None
        self._offset = 0  # the newlines before this offset are counted in self._line
        self._line = 1
        self._newlines = newlines

    @property
    def starts(self) -> list[int]:
        """Offset of the start of every line."""
        if self._starts is None:
            self._starts = line_starts(self.text)
        return self._starts

    def count(self) -> int:
        """How many lines the text has."""
        if self._starts is not None:
            return len(self._starts)
        if self._newlines is None:
            self._newlines = self.text.count("\n")
        return self._newlines + 1

    def line(self, offset: int) -> int:
        if self._starts is None and offset >= self._offset:
            self._line += self.text.count("\n", self._offset, offset)
            self._offset = offset
            return self._line
        return bisect.bisect_right(self.starts, offset)


# --- infoboxes -------------------------------------------------------------------------------

MAX_INFOBOX_CHARS = 2_000_000  # real infoboxes are under 100 kB; more is a broken page


def infobox_spans(spans: list[Span]) -> list[Span]:
    """Outermost infobox spans (nested infoboxes are found inside their parent's parse)."""
    return outermost([s for s in spans if is_infobox_name(s.name)])


def parse_infoboxes(text: str, spans: list[Span], lines: LineIndex, problems: list[Problem],
                    masked: str | None = None, all_spans: list[Span] | None = None,
                    fast: bool = True) -> list[Infobox]:
    """The infoboxes of the given (outermost infobox) spans. A closed span is read by the
    fast reader of `infobox_fast` when it holds only markup that reader is certain of (most
    infoboxes; ~8x faster), else through mwparserfromhell (`fast=False`: always, the reference
    the fast reader is tested against); an unclosed one (recovered) is split by
    `recovered_infobox`, since the tokenizer's backtracking over unclosed braces can take
    minutes."""
    from extractor.parse.infobox_fast import fast_infoboxes

    infoboxes: list[Infobox] = []
    for span in spans:
        if span.recovered or too_tangled(text, span):
            if not span.recovered:
                problems.append(Problem(code="INFOBOX_TANGLED", severity="warning",
                                        line=lines.line(span.start),
                                        message="many unclosed tags or links; fields split "
                                                "at top-level pipes"))
            infoboxes.append(recovered_infobox(text, masked or text, span, all_spans or [], lines))
            continue
        if span.end - span.start > MAX_INFOBOX_CHARS:
            problems.append(Problem(code="INFOBOX_TOO_LARGE", line=lines.line(span.start),
                                    message=f"{span.name!r} spans {span.end - span.start} "
                                            "characters; not read"))
            continue
        quick = fast_infoboxes(text, span, lines, problems, len(infoboxes)) if fast else None
        if quick is not None:  # the common, well-formed case, without the tokenizer
            infoboxes += quick
            continue
        source = text[span.start:span.end]
        try:
            code = mwparserfromhell.parse(source)
        except Exception as exc:  # noqa: BLE001 - the tokenizer's limits are input problems
            problems.append(Problem(code="INFOBOX_UNPARSABLE", message=str(exc)[:200],
                                    line=lines.line(span.start)))
            continue
        first = code.nodes[0] if code.nodes else None
        if not isinstance(first, Template) or len(code.nodes) != 1:
            problems.append(Problem(code="INFOBOX_UNPARSABLE", line=lines.line(span.start),
                                    message=f"{span.name!r} is not one well-formed template"))
            continue
        add_infobox(first, span.start, None, infoboxes, lines, problems)
    return infoboxes


_TAG_OPEN = re.compile(r"<[a-zA-Z]")
MAX_UNCLOSED = 200  # mwparserfromhell backtracks once per unclosed construct: cost grows as n²


def too_tangled(text: str, span: Span) -> bool:
    if span.tangled is None:
        span.tangled = tangled(text[span.start:span.end])
    return span.tangled


def tangled(source: str) -> bool:
    """True when the source holds so many unclosed tags, links or tables that the tokenizer
    would take seconds to minutes (30,000 unclosed <ref> tags: 40 s)."""
    if "<" not in source and "[" not in source and "{|" not in source:
        return False
    tags = len(_TAG_OPEN.findall(source)) - source.count("</") - source.count("/>")
    brackets = source.count("[") - source.count("]")
    tables = source.count("{|") - source.count("|}")
    return max(tags, 0) + max(brackets, 0) + max(tables, 0) > MAX_UNCLOSED


_FIELD_TOKENS = re.compile(r"\[\[|\]\]|\||\n")


def recovered_infobox(text: str, masked: str, span: Span, all_spans: list[Span],
                      lines: LineIndex) -> Infobox:
    """An infobox read without the tokenizer (unclosed: up to `span.end`; or too tangled): its
    parameters split at the pipes that are neither inside a matched template nor inside a
    link, as MediaWiki would have split them."""
    cuts = [span.start + 2]
    stop = span.end if span.recovered else span.end - 2  # a closed span ends with its "}}"
    inner = bisect.bisect_right([s.start for s in all_spans], span.start)
    link_depth = 0
    position = span.start + 2
    for match in _FIELD_TOKENS.finditer(masked, span.start + 2, stop):
        if match.start() < position:
            continue
        while inner < len(all_spans) and all_spans[inner].end <= match.start():
            inner += 1
        if inner < len(all_spans) and all_spans[inner].start <= match.start():
            position = all_spans[inner].end  # inside a matched template: skip it
            continue
        token = match.group()
        if token == "\n":
            link_depth = 0
        elif token == "[[":
            link_depth += 1
        elif token == "]]":
            link_depth = max(link_depth - 1, 0)
        elif link_depth == 0:
            cuts.append(match.start())
    cuts.append(stop)
    name = normalise_template_name(text[cuts[0]:cuts[1]])
    infobox = Infobox(template=name, line=lines.line(span.start))
    positional = 0
    for begin, end in zip(cuts[1:-1], cuts[2:], strict=True):
        piece = text[begin + 1:end]
        key, equals, value = piece.partition("=")
        if not equals:
            positional += 1
            key, value = str(positional), piece
        start = begin + 1 + len(piece) - len(piece.lstrip())
        rendered = fast_render(value.strip(), keep_unknown=True)
        infobox.fields.append(InfoboxField(key=key.strip(), value=value.strip(),
                                           line=lines.line(start), text=rendered.text,
                                           hints=rendered.hints))
    return infobox


def add_infobox(template: Template, offset: int, parent: int | None, out: list[Infobox],
                lines: LineIndex, problems: list[Problem]) -> None:
    """Append one infobox (and, after it, the infoboxes embedded in its values)."""
    index = len(out)
    infobox = Infobox(template=normalise_template_name(str(template.name)),
                      line=lines.line(offset), parent=parent)
    out.append(infobox)
    seen: set[str] = set()
    position = offset + 2 + len(str(template.name))
    children: list[tuple[Template, int]] = []
    for param in template.params:
        source = str(param)
        start = position + 1 + (len(source) - len(source.lstrip()))
        position += 1 + len(source)
        key = str(param.name).strip()
        infobox.fields.append(make_field(key, param, lines.line(start)))
        if key in seen:
            problems.append(Problem(code="INFOBOX_DUPLICATE_KEY", severity="warning",
                                    line=lines.line(start),
                                    message=f"key {key!r} repeated; the last value wins"))
        seen.add(key)
        for child in embedded_infoboxes(param.value):
            found = source.find(str(child))
            children.append((child, start + max(found, 0)))
    for child, child_offset in children:
        add_infobox(child, child_offset, index, out, lines, problems)


def normalise_template_name(name: str) -> str:
    name = re.sub(r"<!--.*?(-->|$)", "", name, flags=re.DOTALL)
    return re.sub(r"\s+", " ", name.replace("_", " ")).strip()


def embedded_infoboxes(code) -> list[Template]:
    found: list[Template] = []
    for node in code.nodes:
        if isinstance(node, Template):
            if is_infobox_name(str(node.name)):
                found.append(node)
            else:
                for param in node.params:
                    found += embedded_infoboxes(param.value)
        elif isinstance(node, Tag) and node.contents is not None:
            found += embedded_infoboxes(node.contents)
    return found


# Bullets or <br> between items make a value a list even without a list template.
_ITEMISED = re.compile(r"^\s*[*#]|<br\s*/?>", re.MULTILINE | re.IGNORECASE)


def make_field(key: str, param, line: int) -> InfoboxField:
    rendered = render_code(param.value)
    hints = dict(rendered.hints)
    value = str(param.value).strip()
    if re.sub(r"[\s_]+", "_", key.lower()).rstrip("0123456789") == "political_groups" and value:
        hints["tree"] = json.dumps(group_tree(value), ensure_ascii=False)
    text = rendered.text
    if "list" not in hints and "\n" in text and _ITEMISED.search(value):
        items = [item.lstrip("*#: ") for item in text.split("\n")]
        hints["list"] = json_strings([item for item in items if item])
        text = "\n".join(items)
    return InfoboxField(key=key, value=value, line=line, text=text, hints=hints)


# --- political_groups: bold headers and bullets give the tree --------------------------------
_BOLD = re.compile(r"^'''(.+?)'''(.*)$")
_SEATS_AFTER = re.compile(r"[\(\[:–-]\s*(\d+)\s*(?:seats?)?\s*[\)\]]?\s*$")
_SEATS_BEFORE = re.compile(r"^(\d+)\s+(?!seats?\b)")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def group_tree(value: str) -> list[dict]:
    """Groups as a tree: [{"name", "seats", "children"}]. A bold line is a heading whose bullets
    follow it; `**` nests one level deeper than `*`."""
    roots: list[dict] = []
    stack: list[tuple[int, dict]] = []
    seen_header = False
    for raw_line in _BR.sub("\n", value).split("\n"):
        line = raw_line.strip()
        if not line:
            continue
        bullets = len(line) - len(line.lstrip("*#:"))
        body = line[bullets:].strip()
        bold = _BOLD.match(body)
        if bullets == 0 and bold:
            seen_header = True
        level = bullets if (seen_header and bullets) else max(bullets - 1, 0)
        node = group_node(bold.group(1) + bold.group(2) if bold else body)
        if node is None:
            continue
        while stack and stack[-1][0] >= level:
            stack.pop()
        (stack[-1][1]["children"] if stack else roots).append(node)
        stack.append((level, node))
    return roots


def group_node(source: str) -> dict | None:
    text = fast_render(source).text.replace("\n", " ").replace("()", "").strip(" :;,")
    if not text:
        return None
    seats = None
    if m := _SEATS_AFTER.search(text):
        seats, text = int(m.group(1)), text[:m.start()]
    elif m := _SEATS_BEFORE.match(text):
        seats, text = int(m.group(1)), text[m.end():]
    return {"name": text.strip(" :;,-–"), "seats": seats, "children": []}


# --- the body: sections, paragraphs, lists, tables -------------------------------------------

def heading_parts(line: str) -> tuple[int, str] | None:
    r"""The match of `^(={1,6})\s*(.+?)\s*\1\s*$` as (len of group 1, group 2), or None,
    without the regex (the tests hold them equal): its lazy title retries the closing spaces
    and `=`s at every character (~8,000 instructions a heading).
    The same search in its order: the opening `=`s from the most (at most 6) down; for each,
    the spaces after it from the most down; the title from the shortest. A title ends where
    only spaces are left before the closing `=`s (the line's last non-space characters), and
    holds no line break (`.`)."""
    size = len(line)
    most = 0
    while most < size and most < 6 and line[most] == "=":
        most += 1
    if most == 0:
        return None
    end = len(line.rstrip())  # the trailing `\s*$`
    for level in range(most, 0, -1):
        close = end - level
        if close < level or line[close:end] != "=" * level:
            continue
        gap = close  # the spaces before the closing `=`s start here
        while gap > level and line[gap - 1].isspace():
            gap -= 1
        spaces = level  # the spaces after the opening `=`s end here
        while spaces < size and line[spaces].isspace():
            spaces += 1
        for start in range(spaces, level - 1, -1):
            stop = max(start + 1, gap)
            if stop > close:
                continue
            if line.find("\n", start, stop) < 0:
                return level, line[start:stop]
            if stop == gap:
                break  # every longer title holds the same line break: linear, not quadratic
    return None


_MAGIC = re.compile(r"__[A-Z]+__")
_EMPTY_BRACKETS = re.compile(r"\(\s*[,;:]?\s*\) ?")
_ONLY_LINK = re.compile(r"^\s*\[\[[^\]]*\]\]\s*$")


@dataclass(slots=True, init=False)
class LogicalLine:
    number: int  # 1-based, first physical line
    end: int  # last physical line
    text: str
    masked: str
    start: int  # offset of the line in the page

    # (a written-out __init__: the one dataclasses generates runs interpreted in a compiled build)
    def __init__(self, number: int, end: int, text: str, masked: str, start: int) -> None:
        self.number, self.end, self.text, self.masked, self.start = number, end, text, masked, start


def logical_lines(text: str, masked: str, spans: list[Span],
                  starts: list[int] | None = None) -> PageLines:
    """Physical lines, joined where a template opened on one line closes on a later one.
    `starts` are the offsets where lines start (LineIndex.starts), computed if not given."""
    if starts is None:
        starts = LineIndex(text).starts
    ranges = [(span.start, span.end) for span in spans]
    if "<ref" in masked or "<REF" in masked:  # a reference written over several lines
        ranges += ref_spans(masked)
    return PageLines(text, masked, starts, line_firsts(masked, starts, ranges))


class PageLines(Sequence[LogicalLine]):
    """The logical lines of a page, each made when asked for: a reader that skips prose never
    builds (or even cuts out) the lines it skips, most of a page."""

    def __init__(self, text: str, masked: str, starts: list[int], firsts: list[int]):
        self.text = text
        self.masked = masked
        self.starts = starts
        self.firsts = firsts

    def end_of(self, physical: int) -> int:
        """Offset of the line break that ends a physical line (the page's length for the last)."""
        return self.starts[physical + 1] - 1 if physical + 1 < len(self.starts) else len(self.text)

    def bounds(self, index: int) -> tuple[int, int, int, int]:
        """First and last physical line of logical line `index`, and its start and end offsets."""
        firsts = self.firsts
        first = firsts[index]
        last = firsts[index + 1] - 1 if index + 1 < len(firsts) else len(self.starts) - 1
        return first, last, self.starts[first], self.end_of(last)

    def __len__(self) -> int:
        return len(self.firsts)

    @overload
    def __getitem__(self, index: int) -> LogicalLine: ...

    @overload
    def __getitem__(self, index: slice) -> list[LogicalLine]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.line(i) for i in range(*index.indices(len(self.firsts)))]
        if index < 0:
            index += len(self.firsts)
        if not 0 <= index < len(self.firsts):
            raise IndexError(index)
        return self.line(index)

    def __iter__(self) -> Iterator[LogicalLine]:
        return map(self.line, range(len(self.firsts)))

    def line(self, index: int) -> LogicalLine:
        """Logical line `index` (0 <= index < len)."""
        first, last, start, end = self.bounds(index)
        text = self.text[start:end]
        masked = text if self.masked is self.text else self.masked[start:end]
        return LogicalLine(first + 1, last + 1, text, masked, start)

    def table_lines(self, i: int) -> tuple[list[tuple[int, str]], int, bool]:
        """The lines (number, text) of the table opened on logical line `i`, the index of its
        last line, and whether a `|}` closes it: the table runs to its matching `|}`, or
        (unclosed) up to the next heading or the end of the page. One pass, no line made."""
        text, masked, starts, firsts = self.text, self.masked, self.starts, self.firsts
        count, physical, size = len(firsts), len(starts), len(text)
        same = masked is text
        body: list[tuple[int, str]] = []
        depth = 0
        for j in range(i, count):
            first = firsts[j]
            after = firsts[j + 1] if j + 1 < count else physical
            start, end = starts[first], (starts[after] - 1 if after < physical else size)
            line = text[start:end]
            mark = (line if same else masked[start:end]).lstrip()
            if j == i:
                mark = mark.lstrip(":")
            if mark.startswith("{|"):
                depth += 1
            elif mark.startswith("|}"):
                depth -= 1
                if depth == 0:
                    body.append((first + 1, line))
                    return body, j, True
            elif j > i and mark[:1] == "=" and heading_parts(mark.strip()) is not None:
                return body, j - 1, False  # an unclosed table ends where a section starts
            body.append((first + 1, line))
        return body, count - 1, False

    def block_starts(self) -> list[int]:
        """The logical lines whose first character after spaces (masked) is `{`, `=` or `:`:
        every line that may open a table, a heading or a template block, in order."""
        physical, firsts = block_lines(self.masked), self.firsts
        if len(firsts) == len(self.starts):  # no joined line
            return physical
        found = []
        for line in physical:  # a line inside a joined one opens nothing
            k = bisect.bisect_left(firsts, line)
            if k < len(firsts) and firsts[k] == line:
                found.append(k)
        return found


class BodyReader:
    """Reads logical lines into sections, paragraphs, bullet lists and tables."""

    def __init__(self, article: Article, spans: list[Span], prose: bool = True):
        self.article = article
        self.prose = prose  # False: paragraphs and bullets are skipped, not rendered
        self.span_at = {s.start: s for s in spans}  # outermost spans by start offset
        self.section = 0
        self.paragraph: list[LogicalLine] = []
        self.bullets: list[BulletItem] = []

    def read(self, lines: PageLines) -> None:
        if not self.prose:
            self.read_blocks(lines)
            return
        i = 0
        while i < len(lines):
            i = self.read_one(lines, i)
        self.flush()

    def read_blocks(self, lines: PageLines) -> None:
        """Without prose only the lines that open a table, a heading or a template block do
        anything (a blank line flushes nothing, a paragraph is dropped unread): read from each
        of those the lines it takes, the others are skipped unmade."""
        i = 0
        for start in lines.block_starts():
            if start >= i:  # not taken by a table or a block read before
                i = self.read_one(lines, start)
        self.flush()

    def read_one(self, lines: PageLines, i: int) -> int:
        line = lines.line(i)  # (0 <= i < len(lines): no bounds to check)
        masked = line.masked.strip()
        if not masked:  # most common: the blank line between paragraphs
            self.flush()
            return i + 1
        if not self.prose and masked[0] not in "{=:":
            return i + 1  # prose or a bullet, not read without prose; no table, heading or block
        if masked.lstrip(":").startswith("{|"):  # `:{|` indents a table; it is still one
            self.flush()
            return self.read_table(lines, i)
        if masked[0] == "=" and (heading := heading_parts(masked)) is not None:
            self.flush()
            self.add_section(line, heading)
            return i + 1
        block, rest = self.leading_templates(line)
        if block and rest is None:
            self.flush()
            return self.read_block(lines, i, block)
        if block and rest is not None and "\n" in line.text[:rest]:  # a template, then text
            self.flush()
            self.read_block(lines, i, block)
            line = tail_line(line, rest)
            masked = line.masked.strip()
        if not masked or masked.startswith("----") or (
                masked.startswith("[[") and masked.endswith("]]") and _ONLY_LINK.match(masked)):
            self.flush()
        elif masked[0] in "*#":
            self.flush_paragraph()
            self.add_bullet(line)
        else:
            self.flush_bullets()
            self.paragraph.append(line)
        return i + 1

    def block_templates(self, line: LogicalLine) -> list[Span] | None:
        """The templates of a line made of templates only (a navbox, an infobox, a results
        template); None when the line has text of its own."""
        found, rest = self.leading_templates(line)
        return found if found and rest is None else None

    def leading_templates(self, line: LogicalLine) -> tuple[list[Span], int | None]:
        """The templates that open the line, and where the text after them starts (None when
        nothing but templates and spaces follow)."""
        offset = line.start
        found: list[Span] = []
        stop = line.start + len(line.masked)
        while offset < stop:
            while offset < stop and line.masked[offset - line.start].isspace():
                offset += 1
            if offset >= stop:
                break
            span = self.span_at.get(offset)
            if span is None:
                return found, offset - line.start
            found.append(span)
            offset = span.end
        return found, None

    def add_section(self, line: LogicalLine, heading: tuple[int, str]) -> None:
        # (a heading without comments or opaque tags reads the same raw: not matched again)
        raw_title = heading if line.text == line.masked else heading_parts(line.text.strip())
        source = (raw_title or heading)[1]
        title = heading_text(source) if len(source) <= MAX_CACHED else fast_render(source).text
        self.article.sections.append(new_section(title, heading[0], line.number))
        self.section = len(self.article.sections) - 1

    def add_bullet(self, line: LogicalLine) -> None:
        if not self.prose:
            return
        text = fast_render(line.text.strip().lstrip("*#:;").strip(), notes=False).text
        if text:
            self.bullets.append(BulletItem(text=text.replace("\n", " "), line=line.number))

    def flush(self) -> None:
        self.flush_paragraph()
        self.flush_bullets()

    def flush_paragraph(self) -> None:
        if not self.paragraph:
            return
        if not self.prose:
            self.paragraph = []
            return
        source = "\n".join(line.text for line in self.paragraph)
        if "__" in source:
            source = _MAGIC.sub("", source)
        text = fast_render(source, notes=False).text.replace("\n", " ")
        if "(" in text:  # a dropped pronunciation or citation template leaves "( )" behind
            text = _EMPTY_BRACKETS.sub("", text)
        if text:
            self.article.paragraphs.append(Paragraph(
                text=text, line=self.paragraph[0].number, end_line=self.paragraph[-1].end,
                section=self.section))
        self.paragraph = []

    def flush_bullets(self) -> None:
        if self.bullets:
            self.article.lists.append(BulletList(items=self.bullets, section=self.section))
        self.bullets = []

    def read_table(self, lines: PageLines, i: int) -> int:
        body, j, closed = lines.table_lines(i)
        with gc_paused(5 * len(body)):  # a cell, its dict and strings for each line, about
            tables, problems = read_table(body, self.section)
        if not closed and not any(p.code == "TABLE_UNCLOSED" for p in problems):
            problems.append(Problem(code="TABLE_UNCLOSED", line=lines[i].number,
                                    message="table has no closing |}"))
        self.add_tables(tables)
        self.article.problems += problems
        return j + 1

    def add_tables(self, tables: list[Table]) -> None:
        base = len(self.article.tables)
        if base == 0 or len(tables) == 1:  # no index to shift: the first tables, or no nesting
            self.article.tables += tables
            return
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    if "nested_table" in cell.hints:
                        cell.hints["nested_table"] = str(base + int(cell.hints["nested_table"]))
        self.article.tables += tables

    def read_block(self, lines: PageLines, i: int, spans: list[Span]) -> int:
        """Block templates: results templates become tables; the others are not prose."""
        line = lines[i]
        first = normalise_name(spans[0].name)
        if first.startswith("election box begin"):
            return self.read_election_box(lines, i)
        for span in spans:
            if is_results_template(span.name):
                call = template_call(line.text[span.start - line.start:span.end - line.start])
                table = results_table(call, line.number, line.end, self.section) if call else None
                if table is not None:
                    self.article.tables.append(table)
        return i + 1

    def read_election_box(self, lines: PageLines, i: int) -> int:
        calls = []
        j = i
        while j < len(lines):
            line = lines[j]
            block = self.block_templates(line)
            if block is None:
                if line.masked.strip():
                    break
                j += 1
                continue
            for span in block:
                call = template_call(line.text[span.start - line.start:span.end - line.start])
                if call is not None and call.name.startswith("election box"):
                    calls.append((call, line.number))
            if normalise_name(block[-1].name).startswith("election box end"):
                break
            j += 1
        if calls:
            self.article.tables.append(
                election_box_table(calls, lines[min(j, len(lines) - 1)].end, self.section))
        return j + 1


MAX_CACHED = 300  # longer texts are rendered each time: a cache must not hold hostile sizes


@lru_cache(maxsize=4096)
def heading_text(source: str) -> str:
    """A heading's plain text. Cached: pages repeat their headings (References, Results)."""
    return fast_render(source).text


def tail_line(line: LogicalLine, rest: int) -> LogicalLine:
    """The part of a logical line after its leading templates, with its own line number."""
    number = line.number + line.text.count("\n", 0, rest)
    return LogicalLine(number, line.end, line.text[rest:], line.masked[rest:], line.start + rest)


def template_call(source: str):
    """The registry's view of one template (arguments rendered), or None if it is not one
    (or is too tangled for the tokenizer)."""
    if tangled(source):
        return None
    try:
        code = mwparserfromhell.parse(source)
    except Exception:  # noqa: BLE001
        return None
    node = code.nodes[0] if len(code.nodes) == 1 else None
    if not isinstance(node, Template):
        return None
    renderer = Renderer()
    return renderer.make_call(normalise_name(str(node.name)), node, None)


# --- the entry point -------------------------------------------------------------------------

def parse_wikitext(text: str, *, title: str, doc_id: str, source: str,
                   page_id: int | None = None, body: bool = True,
                   prose: bool = True, max_depth: int | None = None,
                   size: tuple[int, int] | None = None) -> Article:
    """One page of wikitext to an Article. Never raises: what fails becomes a Problem.

    With `body=False` only the infoboxes are read (sections, prose and tables are left empty):
    the fast path of an infoboxes-only run. With `prose=False` the body is read for its
    sections and tables but paragraphs and bullets are skipped: rendering prose is the largest
    cost of a page, and only reconciliation's witnesses read it. Templates nested deeper than
    `max_depth` make the page be read again with those past the limit as plain text
    (`limits.flatten_deep`), with a LIMIT_DEPTH problem; values keep their source. `size`: the
    text's UTF-8 bytes and newlines (`page_scan.text_size`), when the caller has them."""
    nbytes, newlines = size if size is not None else text_size(text)[:2]
    article = Article(doc_id=doc_id, title=title, source=source, format="wikitext",
                      page_id=page_id, bytes=nbytes)
    if not text or text.isspace():  # (no stripped copy of the page)
        article.end_line = newlines + 1
        article.problems.append(Problem(code="PAGE_EMPTY", severity="fatal",
                                        message="the page has no text"))
        return article
    lines = LineIndex(text, newlines)
    try:
        if not body:
            spans = infobox_only_spans(text, max_depth)
            if spans is not None:
                article.infoboxes = parse_infoboxes(text, spans, lines, article.problems)
                return article
        masked = mask_opaque(text)
        unclosed: list[int] = []
        depth: list[int] = []
        spans = template_spans(masked, unclosed, depth)
        if max_depth is not None and depth[0] > max_depth:
            return _read_flattened(text, max_depth, title=title, doc_id=doc_id, source=source,
                                   page_id=page_id, body=body, prose=prose)
        recovered = recover_unclosed(masked, unclosed, lines, article.problems)
        if recovered:
            spans = sorted(spans + recovered, key=lambda s: s.start)
        top = outermost(spans)
        article.infoboxes = parse_infoboxes(text, infobox_spans(spans), lines, article.problems,
                                            masked, spans)
        if body:
            BodyReader(article, top, prose).read(logical_lines(text, masked, top, lines.starts))
    except RecursionError:
        article.problems.append(Problem(code="PAGE_TOO_DEEP", severity="error",
                                        message="nesting too deep; the rest of the page is lost"))
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the dump; it is recorded
        article.problems.append(Problem(code="PARSE_INTERNAL", severity="error",
                                        message=f"{type(exc).__name__}: {exc}"[:300]))
    finally:
        article.end_line = lines.count()  # (the body's table of line starts, when it made one)
    return article


def _read_flattened(text: str, max_depth: int, **page: Any) -> Article:
    """The page read with the templates nested past `max_depth` as plain text, and given back
    its own braces, size and the problem that says so."""
    article = parse_wikitext(flatten_deep(text, max_depth), **page)
    unflatten(article)
    article.bytes = utf8_length(text)
    article.problems.insert(0, depth_problem(max_depth))
    return article


def utf8_length(text: str) -> int:
    """Bytes of `text` in UTF-8 (see `page_scan.text_size`)."""
    return text_size(text)[0]


_HEADING_LINE = re.compile(r"^=+[^\n]*=+[ \t]*$", re.MULTILINE)


def recover_unclosed(masked: str, unclosed: list[int], lines: LineIndex,
                     problems: list[Problem]) -> list[Span]:
    """An infobox opened and never closed: read it up to the next heading as if closed there
    (status partial: its last fields may have swallowed text). Other unclosed templates are
    text, as in MediaWiki, with a warning."""
    recovered: list[Span] = []
    for start in unclosed:
        name = _NAME.match(masked, start)
        if not name or not is_infobox_name(name.group(1)):
            continue
        if recovered and start < recovered[-1].end:
            continue
        heading = _HEADING_LINE.search(masked, start)
        end = heading.start() if heading else len(masked)
        recovered.append(Span(start, end, name.group(1).strip(), recovered=True))
        problems.append(Problem(code="INFOBOX_UNCLOSED", line=lines.line(start),
                                message=f"{{{{{name.group(1).strip()}}}}} is never closed; "
                                        "read up to the next heading"))
    if len(unclosed) > len(recovered):
        problems.append(Problem(code="TEMPLATE_UNCLOSED", severity="warning",
                                line=lines.line(unclosed[0]),
                                message=f"{len(unclosed)} template(s) never closed"))
    return recovered
