"""Infoboxes read without mwparserfromhell, for the common, well-formed case.

`fast_infobox` parses one closed, outermost infobox span with a small recursive-descent parser
that knows only the constructs whose mwparserfromhell reading is certain: templates, wikilinks,
bracketed and free external links, comments, `<ref>`, a few paired HTML tags, `<br>`/`<hr>`/
`<wbr>`, `<nowiki>`, HTML entities, bold/italic quotes that pair on their line, `*`/`#`/`:`
line markers and `----` rules. It renders the values with the same handlers as
`templates.Renderer`, in the same order, so fields, text and hints are the ones
`parse_infoboxes` gives (~4x faster on the corpus). Anything else (an unclosed tag, a lone
brace, a heading, a table, quotes that do not pair, markup inside a free URL, ...) makes it
give up: it returns None and the caller falls back to mwparserfromhell. `fast_infoboxes` also
reads the infoboxes embedded in values. The evidence for "certain" is in
tests/test_infobox_fast.py: the corpus, the dumps, every corpus paragraph as a value, and
random infoboxes, all compared with the slow path.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from html.entities import name2codepoint
from typing import Any

from mwparserfromhell.definitions import URI_SCHEMES

from extractor.json_text import json_strings
from extractor.model import Infobox, InfoboxField, Problem
from extractor.parse import wikitext as W
from extractor.templates import (
    _FILE_OR_CATEGORY,
    Call,
    Renderer,
    clean_text,
    finish_hints,
    is_silent_template,
    lookup,
    normalise_name,
)
from extractor.unvalidated import new_field


class _GiveUp(Exception):
    """The source holds something whose mwparserfromhell reading is not certain."""


class _TagFails(Exception):
    """A tag's body cannot close (another tag's closing tag ends it, or the source does):
    mwparserfromhell reads the tag's "<" as text and goes on after it."""


MAX_NESTING = 30  # mwparserfromhell's own limit is ~40; deeper input goes the slow way

# Characters that interrupt a run of plain text inside a context.
_SPECIAL = re.compile(r"\{\{|\}\}|\[\[|\]\]|'{2,}|[\[\]|<&\n{}]")  # one ' is text
_ENTITY = re.compile(r"&(?:#([0-9]+)|#[xX]([0-9a-fA-F]+)|([A-Za-z0-9]+));")
_SCHEMES = "|".join(sorted((re.escape(s) for s in URI_SCHEMES), key=len, reverse=True))
_BRACKET_URL = re.compile(r"\[(?:" + _SCHEMES + r")://[^\s\]\[<>{}'\"|]+", re.IGNORECASE)
_URL_START = re.compile(r"\s*(?://|(?:" + _SCHEMES + r"):)", re.IGNORECASE)
_BRACKET_SCHEME = re.compile(r"\[\s*(?://|(?:" + _SCHEMES + r"):)", re.IGNORECASE)
# A free URL's run of characters (only a plain space or a line break ends it, not other
# whitespace): any markup inside it is read by mwparserfromhell as part of the URL (kept
# verbatim), so such a run is left to the slow path.
_URL_TAIL = re.compile(r":[^ \n\[\]<>\"|}]*(?:<!)?")
_SCHEME_BEFORE = re.compile(r"(?:^|[^A-Za-z0-9\[])(?:" + _SCHEMES + r")\Z", re.IGNORECASE)
_URL_MARKUP = re.compile(r"\{|<!$|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z0-9]+);")
_LINE_OPENS_WITH_EQUALS = re.compile(r"\n[ \t]*=")  # (a literal first: searched by a fast scan)
_BROKEN_SINGLE = re.compile(r"<br/\s+>", re.IGNORECASE)
# A value without markup: no brackets, braces, tags, entities, quote pairs or line markers.
_PLAIN_VALUE = re.compile(r"[^\[\]{}|<&'\n]*(?:(?:'(?!')|\n(?![*#:;\-=]))[^\[\]{}|<&'\n]*)*")
_UNSAFE_ATTRS = re.compile(r"[{}\[\]<|\n\r\t]|''")
# Plain attributes: `name`, `name=value`, `name="value"`, `name='value'`. A quote left open
# means the tag went on past the first ">" (mwparserfromhell reads quoted values whole).
_ATTRS = re.compile(r"""(?:\s+[^\s"'=<>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>/]+))?)*\s*""")
_KEY_END = re.compile(r"[=|{}\[\]<&]|''")
_KEY_LIST_MARKER = re.compile(r"\n[*#:;]")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^<>]*?)(/?)>")


def closing_tag(name: str, newline: bool = True) -> re.Pattern:
    """`</name>` as mwparserfromhell closes a tag: the text up to ">", right-stripped and
    lower-cased, is the name. Its letters in either case, and the Kelvin sign for "k" (the one
    other character that lower-cases to an ASCII letter; a case-insensitive match would also
    take "ſ" for "s" and "ı" for "i"); any whitespace after, a line break only in a parsed
    tag's closing tag (`</nowiki\n>` closes nothing)."""
    kelvin = "\u212a"
    letters = "".join(f"[{c}{c.upper()}{kelvin if c == 'k' else ''}]" for c in name)
    return re.compile("</" + letters + (r"\s*>" if newline else r"[^\S\n]*>"))


_REF_CLOSE = closing_tag("ref")
_NOWIKI_CLOSE = closing_tag("nowiki", newline=False)
_NOWIKI_NEAR = re.compile("</nowiki", re.IGNORECASE)  # every closing tag that may close it
_PAIRED_TAGS = frozenset(
    {"small", "sup", "sub", "span", "div", "center", "s", "u", "i", "b", "abbr", "big", "p",
     "font", "code", "del", "ins", "strong", "em", "q", "cite", "kbd", "var", "tt", "bdi",
     "time", "mark", "strike"}
)
_CLOSE_TAGS = {name: closing_tag(name) for name in _PAIRED_TAGS}
_PLAIN_CLOSING = re.compile(r"</[A-Za-z0-9]+[ \t]*>")  # read as one name: closes or fails
# (any closing tag that can close a tag starts so, in any case: its absence is certain)
_CLOSE_PREFIX = {name: re.compile(r"</" + name, re.IGNORECASE) for name in [*_PAIRED_TAGS, "ref"]}
_BLOCK_TAGS = frozenset({"br", "hr", "p", "div"})  # templates._BLOCK_TAGS that we read
_NAME_END = re.compile(r"[|]|\}\}")
_TARGET_END = re.compile(r"\||\]\]")
_TEMPLATE_NAME = re.compile(r"\s*[^\n{}\[\]<>|&]*?\s*")
_LINK_TARGET = re.compile(r"[^\n{}\[\]<>|]*")
_PLAIN_LABEL = re.compile(r"[^\[\]{}|<&'\n]*")  # a label that is one text node

# Parsed nodes: a str is text; tuples are ("t", start, end, name_end, params) templates (params
# as (start, eq or -1, end, nodes)), ("l", raw_target, nodes | None) wikilinks, ("e", nodes | None)
# external links, ("r", nodes | None) refs, ("g", tag, nodes | None) tags, ("b",) a bullet.


class _Parser:
    def __init__(self, source: str):
        self.s = source
        self.depth = 0

    # --- contexts ---------------------------------------------------------------------------
    def nodes(self, i: int, stops: tuple[str, ...], in_tag: bool = False,
              close: re.Pattern | None = None) -> tuple[list, int, str]:
        """Nodes from `i` up to one of `stops` (or the `close` tag); returns them, the position
        of the stop and the stop itself."""
        s = self.s
        out: list = []
        append = out.append
        search = _SPECIAL.search
        quotes: list[int] = []  # quote runs of the current line
        node: Any  # a str, a node tuple or None, by construct (a compiled build checks this)
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise _GiveUp
        while True:  # (the branches in order of how often the corpus takes them)
            m = search(s, i)
            if m is None:
                raise _GiveUp  # the context never closes
            at = m.start()
            if at > i:
                append(s[i:at])
            i = at
            tok = m.group()
            if tok in stops:
                break
            if tok == "[[":
                node, i = self.wikilink(i)
                append(node)
            elif tok == "\n":
                check_quotes(quotes)
                quotes = []
                append("\n")
                i = self.line_start(i + 1, out)
            elif tok == "<":
                if close is not None:
                    if close.match(s, i):
                        tok = "close"
                        break
                    if _PLAIN_CLOSING.match(s, i):
                        check_quotes(quotes)  # (an open quote may hold it in a style's context)
                        raise _TagFails
                node, i = self.tag(i)
                if node is not None:
                    append(node)
            elif tok == "{{":
                node, i = self.template(i)
                append(node)
            elif tok[0] == "'":
                quotes.append(len(tok))
                i += len(tok)
            elif tok == "&":
                e = _ENTITY.match(s, i)
                append(entity(e) if e else "&")
                i = e.end() if e else i + 1
            elif tok == "[":
                node, i = self.external(i)
                append(node)
            elif tok == "]" or (tok == "|" and ("]]" in stops or in_tag)):
                append(tok)  # plain text here (a link's label or a tag's body may hold pipes:
                i += 1  # a tag's body is its own context, which no pipe ends)
            elif close is not None and tok == "}}" and i == len(s) - 2:
                raise _TagFails  # a tag's body is text up to the end of the source
            else:  # "}}", "]]", lone braces: not certain in this context
                raise _GiveUp
        check_quotes(quotes)
        self.depth -= 1
        return out, i, tok

    def line_start(self, i: int, out: list) -> int:
        """List markers at the start of a line: `*`/`#` are bullets (a line break), `:` an
        indent (nothing); four or more dashes are a rule (a line break)."""
        s = self.s
        if s.startswith("----", i):
            while i < len(s) and s[i] == "-":
                i += 1
            out.append(("g", "hr", None))
            return i
        while i < len(s) and s[i] in "*#:;":
            if s[i] == ";":
                raise _GiveUp  # a definition term: its ":" splits the line
            if s[i] != ":":
                out.append(("b",))
            i += 1
        return i

    # --- constructs -------------------------------------------------------------------------
    def template(self, start: int) -> tuple[tuple, int]:
        s = self.s
        if s.startswith("{{{", start):
            raise _GiveUp
        m = _NAME_END.search(s, start + 2)
        if m is None:
            raise _GiveUp
        name_end = m.start()
        name = s[start + 2:name_end]
        if "<!--" in name:  # mwparserfromhell keeps comments in names; normalise_name drops them
            name = re.sub(r"<!--.*?-->", "", name, flags=re.DOTALL)
        if not _TEMPLATE_NAME.fullmatch(name) or not name.strip() or "''" in name:
            raise _GiveUp
        params = []
        i = name_end
        while s.startswith("|", i):
            params.append(self.param(i + 1))
            i = params[-1][2]
        if not s.startswith("}}", i):
            raise _GiveUp
        return ("t", start, i + 2, name_end, params), i + 2

    def param(self, start: int) -> tuple[int, int, int, list]:
        s = self.s
        eq = -1
        m = _KEY_END.search(s, start)
        if m is None:
            raise _GiveUp
        if m.group() == "=":
            if _KEY_LIST_MARKER.search(s, start, m.start()):
                raise _GiveUp
            eq = m.start()
            plain = _PLAIN_VALUE.match(s, eq + 1)
            if plain is None:
                raise _GiveUp
            end = plain.end()
            if s.startswith("|", end) or s.startswith("}}", end):
                return (start, eq, end, [plain.group()])  # most values: no markup at all
            nodes, end, _ = self.nodes(eq + 1, ("|", "}}"))
        else:
            plain = _PLAIN_VALUE.match(s, start)  # (stops before the markup m found: no "=")
            end = plain.end() if plain else start
            if (s.startswith("|", end) or s.startswith("}}", end)) and self.depth < MAX_NESTING:
                return (start, eq, end, [s[start:end]] if end > start else [])
            nodes, end, _ = self.nodes(start, ("|", "}}"))
            if any(isinstance(n, str) and "=" in n for n in nodes):
                raise _GiveUp  # an "=" after markup: where the key ends is not certain
        return (start, eq, end, nodes)

    def wikilink(self, start: int) -> tuple[tuple, int]:
        s = self.s
        if s.startswith("[[[", start):
            raise _GiveUp
        m = _TARGET_END.search(s, start + 2)
        if m is None or not _LINK_TARGET.fullmatch(s, start + 2, m.start()):
            raise _GiveUp
        target = s[start + 2:m.start()]
        if "''" in target or _URL_START.match(target):
            raise _GiveUp  # mwparserfromhell reads `[[http://...]]` as an external link
        if m.group() == "]]":
            return ("l", target, None), m.end()
        label = _PLAIN_LABEL.match(s, m.end())  # most labels: plain text
        if label and s.startswith("]]", label.end()) and self.depth < MAX_NESTING:
            return ("l", target, [label.group()] if label.end() > m.end() else []), label.end() + 2
        nodes, end, _ = self.nodes(m.end(), ("]]",))
        if any(n[0] == "e" if isinstance(n, tuple) else "\n" in n for n in nodes):
            raise _GiveUp
        return ("l", target, nodes), end + 2

    def external(self, start: int) -> tuple[Any, int]:
        s = self.s
        m = _BRACKET_URL.match(s, start)
        if m is None:
            if _BRACKET_SCHEME.match(s, start):
                raise _GiveUp
            return "[", start + 1
        i = m.end()
        if s.startswith("]", i):
            return ("e", None), i + 1
        if s[i] != " ":
            raise _GiveUp
        nodes, end, _ = self.nodes(i + 1, ("]",))  # the title starts after one space
        if any(n[0] in "le" if isinstance(n, tuple) else "\n" in n or "[" in n for n in nodes):
            raise _GiveUp
        return ("e", nodes), end + 1

    def tag(self, start: int) -> tuple[Any, int]:
        s = self.s
        if s.startswith("<!--", start):
            end = s.find("-->", start + 4)
            if end < 0:
                raise _GiveUp
            return None, end + 3
        if s.startswith("</", start):
            raise _GiveUp  # a closing tag that closes nothing here
        if _BROKEN_SINGLE.match(s, start):
            return "<", start + 1  # mwparserfromhell reads `<br/ >` as text
        m = _TAG.match(s, start)
        if m is None:
            if re.match(r"</?[a-zA-Z!]", s[start:start + 2]):
                raise _GiveUp
            return "<", start + 1
        closing, name, attrs, selfclose = m.groups()
        name = name.lower()
        if closing or _UNSAFE_ATTRS.search(attrs) or not _ATTRS.fullmatch(attrs):
            raise _GiveUp  # a stray closing tag; attributes whose extent is not certain
        if name in ("br", "hr", "wbr"):
            if attrs.strip():
                raise _GiveUp
            return ("g", name, None), m.end()
        if name == "nowiki":
            if attrs.strip():
                raise _GiveUp
            if selfclose:
                return ("g", "nowiki", None), m.end()
            closing = _NOWIKI_CLOSE.search(s, m.end())
            near = _NOWIKI_NEAR.search(s, m.end())
            if closing is None or near is None or near.start() != closing.start():
                raise _GiveUp  # (a closing tag that looks like it first: not certain)
            return ("n", s[m.end():closing.start()]), closing.end()
        if name == "ref":
            if selfclose:
                return ("r", None), m.end()
            body = self.body(m.end(), _REF_CLOSE, name)
            if body is None:
                return "<", start + 1
            nodes, end = body
            if any(isinstance(n, tuple) and n[0] == "r" for n in nodes):
                raise _GiveUp
            return ("r", nodes), _end_of(_REF_CLOSE, s, end)
        if name not in _PAIRED_TAGS or selfclose:
            raise _GiveUp
        close = _CLOSE_TAGS[name]
        body = self.body(m.end(), close, name)
        if body is None:
            return "<", start + 1
        return ("g", name, body[0]), _end_of(close, s, body[1])

    def body(self, i: int, close: re.Pattern, name: str) -> tuple[list, int] | None:
        """The nodes of a tag's body and where its closing tag starts; None when the tag
        fails, as mwparserfromhell reads it: no closing tag of its name follows, another
        tag's closing tag ends the body, or the source does (a tag's body is a context of
        its own: pipes and braces do not end it)."""
        if _CLOSE_PREFIX[name].search(self.s, i) is None:
            return None  # (whatever name mwparserfromhell reads from the tag starts with ours)
        depth = self.depth
        try:
            nodes, end, tok = self.nodes(i, (), in_tag=True, close=close)
        except _TagFails:
            self.depth = depth
            return None
        if tok != "close":
            raise _GiveUp
        return nodes, end


def _end_of(pattern: re.Pattern, s: str, at: int) -> int:
    """Where the closing tag that `nodes` stopped at ends (it stopped there because it matched)."""
    match = pattern.match(s, at)
    if match is None:
        raise _GiveUp
    return match.end()


def entity(match: re.Match) -> str:
    decimal, hexadecimal, named = match.groups()
    if named is not None:
        return chr(name2codepoint[named]) if named in name2codepoint else match.group()
    value = int(decimal) if decimal is not None else int(hexadecimal, 16)
    return chr(value) if 1 <= value <= 0x10FFFF else match.group()


def check_quotes(runs: list[int]) -> None:
    """Bold/italic quotes of one line must pair plainly (`''a''`, `'''a'''`, `'''''a'''''`,
    `'''a ''b'' c'''`): mwparserfromhell's reading of anything else is not certain."""
    if not runs:
        return
    stack: list[int] = []
    for run in runs:
        if run not in (2, 3, 5):
            raise _GiveUp
        if stack and stack[-1] == run:
            stack.pop()
        elif run in stack:
            raise _GiveUp
        else:
            stack.append(run)
    if stack:
        raise _GiveUp


# --- rendering: Renderer.render_node over our nodes ------------------------------------------

def render(nodes: list, renderer: Renderer, source: str) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
            continue
        kind = node[0]
        if kind == "t":
            parts.append(render_template(node, renderer, source))
        elif kind == "l":
            _, target, text = node
            if _FILE_OR_CATEGORY.match(target):
                continue
            if text is not None:
                parts.append(render(text, renderer, source))
            else:
                parts.append(_ENTITY.sub(entity, target).lstrip(":").strip())
        elif kind == "e":
            if node[1] is not None:
                parts.append(render(node[1], renderer, source))
        elif kind == "r":
            if node[1] is not None:
                note = clean_text(render(node[1], Renderer(keep_unknown=False), source))
                if note:
                    renderer.notes.append(note)
        elif kind == "g":
            _, tag, contents = node
            if tag in _BLOCK_TAGS:
                inner = render(contents, renderer, source) if contents is not None else ""
                parts.append("\n" + inner + ("\n" if inner else ""))
            elif contents is not None:
                parts.append(render(contents, renderer, source))
        elif kind == "n":
            parts.append(node[1])
        elif kind == "b":
            parts.append("\n")
    return "".join(parts)


def template_handler(raw_name: str) -> tuple[Any, str, str | None]:
    """`lookup(normalise_name(raw_name))`: a few names (lang, nowrap, convert...) are most
    templates of a dump, so real names are cached; a long one (only hostile pages have them)
    is not, so the cache stays small."""
    if len(raw_name) <= 100:
        return _cached_handler(raw_name)
    return lookup(normalise_name(raw_name))


@lru_cache(maxsize=8192)
def _cached_handler(raw_name: str) -> tuple[Any, str, str | None]:
    return lookup(normalise_name(raw_name))


def render_template(node: tuple, renderer: Renderer, source: str) -> str:
    _, start, end, name_end, params = node
    handler, name, first = template_handler(source[start + 2:name_end])
    if handler is None:
        if is_silent_template(name):
            return ""
        renderer.unknown.append(name)
        return source[start:end] if renderer.keep_unknown else ""
    positional: list[str] = [] if first is None else [first]
    raw_positional: list[str] = list(positional)
    named: dict[str, str] = {}
    raw_named: dict[str, str] = {}
    for p_start, eq, p_end, nodes in params:
        text = render(nodes, renderer, source)
        if eq >= 0:
            key = source[p_start:eq].strip().lower()
            named[key] = text.strip()
            raw_named[key] = source[eq + 1:p_end].strip()
        else:
            positional.append(text.strip())
            raw_positional.append(source[p_start:p_end])
    call = Call(name, positional, named, raw_positional, raw_named, source[start:end])
    return handler(call, renderer)


# --- the infobox -----------------------------------------------------------------------------

def fast_infobox(text: str, masked: str, span, all_spans, lines,
                 problems: list[Problem] | None = None) -> Infobox | None:
    """The infobox of one closed, outermost infobox span, exactly as `parse_infoboxes` reads
    it; None when the span holds anything this reader cannot read with certainty (nested
    infoboxes, markup outside the subset above). A repeated key is recorded in `problems` as
    the slow path records it; without `problems`, such an infobox is left to the slow path."""
    inner = bisect.bisect_right(all_spans, span.start, key=lambda s: s.start)
    while inner < len(all_spans) and all_spans[inner].start < span.end:
        if W.is_infobox_name(all_spans[inner].name):
            return None
        inner += 1
    found: list[Problem] = []
    infoboxes = read_span(text, span, lines, found, 0, nested=False)
    if infoboxes is None or (found and problems is None):
        return None
    if problems is not None:
        problems += found
    return infoboxes[0]


def fast_infoboxes(text: str, span, lines, problems: list[Problem],
                   first_index: int = 0) -> list[Infobox] | None:
    """Like `fast_infobox`, with the infoboxes embedded in its values (the parent first, then
    each child after it with `parent` set, as `add_infobox` orders them); `first_index` is the
    parent's index in the page's list of infoboxes. None: use the slow path."""
    found: list[Problem] = []
    infoboxes = read_span(text, span, lines, found, first_index, nested=True)
    if infoboxes is not None:
        problems += found
    return infoboxes


def read_span(text: str, span, lines, problems: list[Problem], first_index: int,
              nested: bool) -> list[Infobox] | None:
    if span.recovered or span.end - span.start > W.MAX_INFOBOX_CHARS or W.too_tangled(text, span):
        return None
    source = text[span.start:span.end]
    if unsafe_source(source) or unsafe_urls(source):
        return None
    out: list[Infobox] = []
    try:
        node, end = _Parser(source).template(0)
        if end != len(source):
            return None
        build_infobox(node, source, span.start, lines, problems,
                      Family(out, first_index, nested), None)
    except (_GiveUp, RecursionError, IndexError):
        return None
    return out


def unsafe_source(source: str) -> bool:
    """A search for `{{{`, `{|`, a line opening with `=`, a line opening with `;`, or `~~~` (markup
    the fast reader leaves to mwparserfromhell), one at a time: as one regex's alternatives they
    share no first character, so it tries each at every position (~25 instructions a
    character of every infobox), where each substring test is one fast scan. (The tests hold
    it to that regex.)"""
    return ("{{{" in source or "{|" in source or "\n;" in source or "~~~" in source
            or _LINE_OPENS_WITH_EQUALS.search(source) is not None)


def unsafe_urls(source: str) -> bool:
    """True when a free URL holds markup (a template, an entity, a comment)."""
    for tail in _URL_TAIL.finditer(source):
        if not _URL_MARKUP.search(tail.group()):
            continue
        colon = tail.start()
        while 0 <= colon < tail.end():  # a run may hold several colons: `Note:http://...`
            if (_SCHEME_BEFORE.search(source[max(colon - 20, 0):colon])
                    and _URL_MARKUP.search(source, colon, tail.end())):
                return True
            colon = source.find(":", colon + 1, tail.end())
    return False


@dataclass
class Family:
    """Where `build_infobox` appends: the infoboxes read so far, the page index of the first,
    and whether embedded infoboxes may be read (else they make the reader give up)."""

    out: list[Infobox]
    first_index: int
    nested: bool


def build_infobox(node: tuple, source: str, base: int, lines, problems: list[Problem],
                  family: Family, parent: int | None) -> None:
    """Append the infobox of a template node, then its embedded infoboxes, as `add_infobox`
    does. `base` is the offset in the page of `source`'s first character, as the slow path
    counts it (for an embedded infobox, its own quirk: see `embedded_offset`)."""
    _, t_start, _, name_end, params = node
    index = family.first_index + len(family.out)
    infobox = Infobox(template=W.normalise_template_name(source[t_start + 2:name_end]),
                      line=lines.line(base + t_start), parent=parent)
    family.out.append(infobox)
    seen: set[str] = set()
    positional = 0
    children: list[tuple[tuple, int]] = []
    for p_start, eq, p_end, nodes in params:
        raw = source[p_start:p_end]
        start = base + p_start + len(raw) - len(raw.lstrip())
        if eq >= 0:
            key = source[p_start:eq].strip()
            value = source[eq + 1:p_end].strip()
        else:
            positional += 1
            key, value = str(positional), raw.strip()
        if key in seen:
            problems.append(Problem(code="INFOBOX_DUPLICATE_KEY", severity="warning",
                                    line=lines.line(start),
                                    message=f"key {key!r} repeated; the last value wins"))
        seen.add(key)
        if (len(nodes) == 1 and nodes[0].__class__ is str) or all(
                isinstance(n, str) for n in nodes):  # plain text: no renderer needed
            rendered, hints = clean_plain("".join(nodes)), {}
        else:
            renderer = Renderer(keep_unknown=True)
            rendered = clean_text(render(nodes, renderer, source))
            hints = finish_hints(renderer)
            if "{{" in raw:  # (an embedded infobox is a template)
                for child in embedded_infoboxes(nodes, source):
                    if not family.nested:
                        raise _GiveUp
                    children.append((child, embedded_offset(raw, source, child, start)))
        infobox.fields.append(finish_field(key, value, rendered, hints, lines.line(start)))
    for child, offset in children:
        build_infobox(child, source, offset - child[1], lines, problems, family, index)


def clean_plain(text: str) -> str:
    """`clean_text(text)`, sooner for the common value whose words are on one line between
    the blank lines around it (`| name = Testland\n`): those words joined by single spaces."""
    if "\n" in text and "\n" not in text.strip():
        return " ".join(text.split())
    return clean_text(text)


def embedded_offset(raw: str, source: str, child: tuple, start: int) -> int:
    """The slow path places an embedded infobox at the first non-blank character of its
    parameter plus the index of the child's text in the parameter's text (blanks included)."""
    return start + max(raw.find(source[child[1]:child[2]]), 0)


def embedded_infoboxes(nodes: list, source: str) -> list[tuple]:
    """`wikitext.embedded_infoboxes` over our nodes: infobox templates found through other
    templates' values and tags' contents (not through links)."""
    found: list[tuple] = []
    for node in nodes:
        if isinstance(node, str):
            continue
        if node[0] == "t":
            if W.is_infobox_name(source[node[1] + 2:node[3]]):
                found.append(node)
            else:
                for param in node[4]:
                    found += embedded_infoboxes(param[3], source)
        elif node[0] in ("r", "g") and node[-1] is not None:
            found += embedded_infoboxes(node[-1], source)
    return found


_KEY_SPACES = re.compile(r"[\s_]+")


def finish_field(key: str, value: str, text: str, hints: dict[str, str],
                 line: int) -> InfoboxField:
    """`wikitext.make_field` after rendering: the political groups' tree, and items of a value
    that bullets or <br> make a list."""
    lower = key.lower()
    if "political" in lower and value and \
            _KEY_SPACES.sub("_", lower).rstrip("0123456789") == "political_groups":
        hints["tree"] = json.dumps(W.group_tree(value), ensure_ascii=False)
    if "list" not in hints and "\n" in text and W._ITEMISED.search(value):
        items = [item.lstrip("*#: ") for item in text.split("\n")]
        hints["list"] = json_strings([item for item in items if item])
        text = "\n".join(items)
    return new_field(key, value, line, text, hints)
