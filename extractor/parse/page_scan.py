"""Whole-page scans, each one pass over the characters: a page's size and lines (`text_size`,
`line_starts`), its comments and opaque tags (`opaque_regions`), its references written over
several lines (`ref_spans`), the lines that may open a block (`block_lines`), where its lines
join (`line_firsts`), every template's span on the masked page (`template_pairs`), and its
template braces for an infoboxes-only read (`scan_braces`: do all its templates close, how deep
do they nest, where do the templates that may be infoboxes start and end).

This module is the reference and what runs from the sources; `page_scan.c` is its compiled
twin (single passes in C, no object per token or line but the results), built with the hot
modules by `python -m extractor.native_build` and loaded in its place while the build matches
the sources. The tests hold the two to the same results.

Tokens: `{{` and `}}` read left to right without overlap (a run of five braces is two tokens
and a brace of text), none inside the `regions` (comments and opaque tags, which are text). A
`}}` closes the nearest open `{{`; one with nothing open is text.
"""

from __future__ import annotations

import bisect
import operator
import re
from functools import lru_cache
from itertools import accumulate, compress

# A template's opener and name, as mwparserfromhell reads the name's first characters (the same
# patterns as wikitext's `_NAME` and `_CLOSER`, which cannot be imported from here: wikitext
# imports this module).
NAME = re.compile(r"\{\{\s*([^|{}<>\[\]]{0,120})")
CLOSER = re.compile(r"\}\}")
_NEWLINE = re.compile("\n")
# A comment, or a tag whose content is no wikitext (`<nowiki>`, `<math>`, ...) with its content
# up to its closing tag (or the end of the page, where none follows), or alone when it closes
# itself: the regions a page scan reads as text. Tag names in any case; the lookahead lets most
# `<` fail at once.
OPAQUE = re.compile(
    r"<(?=[!npmsgtchi])(?:!--.*?(?:-->|\Z)|(nowiki|pre|math|source|syntaxhighlight|gallery|"
    r"timeline|score|ce|chem|hiero|graph|imagemap|templatedata|categorytree|inputbox|section)"
    r"\b[^<>]*?(?:/>|>.*?(?:</\1\s*>|\Z)))",
    re.DOTALL | re.IGNORECASE,
)


def text_size(text: str, marks: bool = False) -> tuple[int, int, int]:
    """The bytes of `text` in UTF-8 (a lone surrogate counted as the `?` that replaces it), how
    many newlines it holds, and with `marks` how many `|` and `!` (the most table cells it can
    have; else -1: the twin counts them at no cost, the reference only when asked)."""
    size = len(text) if text.isascii() else len(text.encode("utf-8", "replace"))
    return size, text.count("\n"), text.count("|") + text.count("!") if marks else -1


def opaque_regions(text: str) -> list[tuple[int, int]]:
    """(start, end) of every comment and opaque tag of `text` (`OPAQUE`), in order."""
    return [match.span() for match in OPAQUE.finditer(text)] if "<" in text else []


# an opening `<ref ...>` (not `<ref/>`, group 1 set) or a closing `</ref>`, any case: one scan
REF_TAG = re.compile(r"<(?:((?i:ref)\b[^<>]*(?<!/)>)|/(?i:ref)\s*>)")


def ref_spans(masked: str) -> list[tuple[int, int]]:
    """(start, end) of each `<ref>...</ref>` that spans lines: an opener and the closer right
    after it among the reference tags. Linear: an opener whose next tag is another opener is
    unclosed and ignored (no rescans to the page end)."""
    found = []
    find = masked.find
    opened = -1  # start of the last tag if it was an opener
    for m in REF_TAG.finditer(masked):
        if m.lastindex:
            opened = m.start()
        elif opened >= 0:
            end = m.end()
            if find("\n", opened, end) >= 0:
                found.append((opened, end))
            opened = -1
    return found


OPENS_BLOCK = re.compile(r"\n[^\S\n]*[{=:]")  # after a line break: maybe a table, heading…
BLOCK_MARKS = ("{", "=", ":")


def block_lines(masked: str) -> list[int]:
    """The physical lines (0-based) whose first character after blanks is `{`, `=` or `:`: the
    lines that may open a table, a heading or a template block, in order."""
    first = masked.split("\n", 1)[0].lstrip()[:1]
    found = [0] if first and first in BLOCK_MARKS else []
    newlines, at = 0, 0
    for m in OPENS_BLOCK.finditer(masked):  # the line after the match's newline
        newlines += masked.count("\n", at, m.start() + 1)
        at = m.start() + 1
        found.append(newlines)
    return found


def line_firsts(masked: str, starts: list[int], ranges: list[tuple[int, int]]) -> list[int]:
    """The first physical line of each logical line: lines are joined where one of the `ranges`
    (a template, a reference: (start, end) offsets) opens on a line and closes on a later one,
    and on from there while a range opened on a joined line runs further. `starts` are the
    offsets where the physical lines start (`line_starts`)."""
    # line index -> end offset of the furthest-reaching range opened on it that runs past it
    reach: dict[int, int] = {}
    find = masked.find
    for begin, finish in ranges:
        if find("\n", begin, finish) >= 0:  # it runs past the end of the line it opens on
            i = bisect.bisect_right(starts, begin) - 1
            if finish > reach.get(i, -1):
                reach[i] = finish
    count, size = len(starts), len(masked)

    def end_of(physical: int) -> int:  # the line break that ends a line (the text's end)
        return starts[physical + 1] - 1 if physical + 1 < count else size

    firsts: list[int] = []
    i = 0
    for first in sorted(reach):
        if first < i:
            continue  # already inside a joined line
        firsts += range(i, first)  # lines first..j-1, each a logical line of its own
        j, end = first, end_of(first)
        k = first
        while k <= j:  # any range opened on lines first..j may push the end further
            if reach.get(k, -1) > end:
                j = bisect.bisect_right(starts, reach[k] - 1) - 1
                end = end_of(j)
            k += 1
        firsts.append(first)
        i = j + 1
    firsts += range(i, count)
    return firsts


def blanked(piece: str) -> str:
    """Spaces for every character of `piece` but its line breaks (most pieces have none)."""
    if "\n" not in piece:
        return " " * len(piece)
    return "\n".join([" " * len(line) for line in piece.split("\n")])


def masked_slice(text: str, regions: list[tuple[int, int]], starts: list[int],
                 begin: int, end: int) -> str:
    """`mask_opaque(text)[begin:end]` (0 <= begin <= end <= len(text)) from the regions that
    `mask_opaque` blanks (`opaque_regions(text)`) and their `starts`."""
    if not 0 <= begin <= end <= len(text):
        raise ValueError("masked_slice: begin and end must be 0 <= begin <= end <= len(text)")
    pieces = []
    at = begin
    index = max(bisect.bisect_right(starts, begin) - 1, 0)
    while index < len(regions) and regions[index][0] < end:
        start, stop = regions[index]
        if stop > at:
            pieces.append(text[at:max(start, at)])
            pieces.append(blanked(text[max(start, at):min(stop, end)]))
            at = min(stop, end)
        index += 1
    pieces.append(text[at:end])
    return "".join(pieces)


def line_starts(text: str) -> list[int]:
    """The offset of the start of every line: 0 and each offset just after a newline."""
    return [0] + [match.end() for match in _NEWLINE.finditer(text)]


def template_pairs(masked: str) -> tuple[list[tuple[int, int, str]], list[int], int]:
    """Every matched `{{ ... }}` of `masked` (comments and opaque tags already blanked) as
    (start, end, name) in order of start, `name` the `NAME` group unstripped; the openers never
    closed, in order; and the deepest the stack of open templates grew. A `}}` takes the
    nearest opener before it still open; with none open it is text."""
    names = {match.start(): match.group(1) for match in NAME.finditer(masked)}
    opens = list(names)
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    deepest = 0
    if opens:
        taken = 0  # openers before this index are on the stack or matched
        for close in [match.start() for match in CLOSER.finditer(masked, opens[0])]:
            reached = bisect.bisect_left(opens, close, taken)
            if reached > taken:
                stack += opens[taken:reached]
                taken = reached
                if len(stack) > deepest:
                    deepest = len(stack)
            if stack:
                pairs.append((stack.pop(), close + 2))
        stack += opens[taken:]
        deepest = max(deepest, len(stack))
    pairs.sort()  # starts are distinct: in order of start
    return [(start, end, names[start]) for start, end in pairs], stack, deepest


def scan_braces(text: str, regions: list[tuple[int, int]], max_depth: int,
                keywords: tuple[str, ...]) -> list[tuple[int, int, int]] | None:
    """None when an opener of `text` never closes, or when templates nest deeper than
    `max_depth` (-1: no limit). Else `(opener, end, name_end)` of every opener outside the
    regions whose name may be an infobox's, in order: `end` is just after its closer and
    `name_end` where its `NAME` match ends. A name may be an infobox's when it has a
    character outside ASCII or, lowercased, holds one of `keywords`; or when it ends where a
    region begins (the name read on masked text goes on after it)."""
    found = list(NAME.finditer(text))
    if not found:
        return []
    opens = [match.start() for match in found]
    tokens = [start << 1 for start in opens]  # an opener's code is even, a closer's odd
    tokens += [(match.start() << 1) | 1 for match in CLOSER.finditer(text, opens[0])]
    tokens.sort()
    if regions:
        tokens = outside_regions(tokens, regions)
    levels = list(accumulate([1 - ((code & 1) << 1) for code in tokens], initial=0))
    lowest = min(levels)
    if levels[-1] != lowest:
        return None  # an opener never closed
    if max_depth >= 0 and max(levels) - lowest > max_depth \
            and nesting_depth(levels) > max_depth:
        return None
    chosen = set(compress(range(len(found)), map(may_be_infobox, [m.group(1) for m in found],
                                                 [keywords] * len(found))))
    for start, _ in regions:
        before = bisect.bisect_left(opens, start) - 1
        if before >= 0 and found[before].end() == start:
            chosen.add(before)
    starts = [start for start, _ in regions]
    kept = []
    for index in sorted(chosen):
        opener = opens[index]
        region = bisect.bisect_right(starts, opener) - 1
        if region < 0 or opener >= regions[region][1]:  # (inside a comment or tag: text)
            kept.append(index)
    if len(kept) > MANY_CANDIDATES:  # nested ones would make the searches below quadratic
        closes = closes_by_stack(tokens, {opens[index] << 1 for index in kept})
        return [(opens[i], closes[opens[i] << 1], found[i].end()) for i in kept]
    result = []
    for index in kept:
        at = bisect.bisect_left(tokens, opens[index] << 1)  # levels[at + 1]: the level inside
        close = tokens[levels.index(levels[at + 1] - 1, at + 2) - 1] >> 1
        result.append((opens[index], close + 2, found[index].end()))
    return result


# A page has a few candidates; past this many, their closers are found in one pass instead of
# a search each (a search runs to the candidate's closer: nested candidates, n² in all).
MANY_CANDIDATES = 64


def closes_by_stack(tokens: list[int], wanted: set[int]) -> dict[int, int]:
    """The end (just after the closer) of each opener whose code is in `wanted`, from the
    tokens of a page whose openers all close."""
    stack: list[int] = []
    ends: dict[int, int] = {}
    for code in tokens:
        if not code & 1:
            stack.append(code)
        elif stack:
            opener = stack.pop()
            if opener in wanted:
                ends[opener] = (code >> 1) + 2
    return ends


@lru_cache(maxsize=8192)
def may_be_infobox(name: str, keywords: tuple[str, ...]) -> bool:
    return not name.isascii() or any(word in name.lower() for word in keywords)


def outside_regions(tokens: list[int], regions: list[tuple[int, int]]) -> list[int]:
    """The tokens (codes of offsets, sorted) outside the regions. Kept in slices, one pass: a
    page of many regions costs no more than its tokens. (A run of braces never straddles a
    region's edge: a region starts at "<" and ends at ">" or at the end of the text.)"""
    kept: list[int] = []
    taken = 0
    for start, end in regions:
        first = bisect.bisect_left(tokens, start << 1, taken)
        last = bisect.bisect_left(tokens, end << 1, first)
        if last > first:
            kept += tokens[taken:first]
            taken = last
    return kept + tokens[taken:] if taken else tokens


def nesting_depth(levels: list[int]) -> int:
    """The deepest the stack of open templates grows, from the prefix sums of the tokens: a
    stray closer (nothing open) is text, so the depth at a token is its level above the
    lowest level reached before it."""
    return max(map(operator.sub, levels, accumulate(levels, min)))
