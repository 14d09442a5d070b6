"""Wikitext to plain text, with a registry of common templates that yield text and typed hints.

`render(wikitext)` walks mwparserfromhell's node tree. Each template is looked up by its
normalised name in `REGISTRY`; a handler returns the template's plain text and may add hints
(a sign, a date with its precision, a unit, list items, notes, a colour). A template that is
not registered keeps its wikitext form and its name lands in the `unknown_templates` hint, so
the report can list the unknown templates that touched the most fields.

Hints are strings, as `InfoboxField.hints` / `Cell.hints` want them; lists are JSON lists:
  sign            "+", "-" or "0" ({{increase}}, {{decrease}}, {{steady}} and kin)
  date            ISO date, as precise as the source: "2023", "2023-03", "2023-03-19"
  date_precision  "year", "month" or "day"
  unit            unit of the value ({{convert}}, {{val}}, {{unité}}, "%" from {{percentage}})
  list            JSON list of item strings ({{ubl}}, {{plainlist}}, {{hlist}}, bullets, <br>)
  notes           JSON list of footnote texts removed from the value (<ref>, {{efn}}, {{refn}})
  colour          a colour given in the markup ("#008000", "red")
  party, colour_party  the party article named by {{Party name with color}} / {{party color}}
                  (the colour itself lives in Wikipedia's per-party modules, not in the page)
  coord           "lat,lon" in decimal degrees ({{coord}})
  unknown_templates  JSON list of normalised names of templates not in the registry
The wikitext parser adds `tree` (political_groups), `nested_table` and `filler` (tables).

Two render paths share the handlers: `render`/`render_code` walk mwparserfromhell's tree
(infobox values, which mwparserfromhell has parsed anyway), and `fast_render` rewrites the
innermost templates first with regular expressions (prose and table cells, ~10x faster).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import mwparserfromhell
from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Tag,
    Template,
    Text,
    Wikilink,
)

from extractor.json_text import json_strings

MAX_DEPTH = 60  # mwparserfromhell nests at most ~40 levels; this only guards our own recursion

# Tags whose content is not prose: dropped from the plain text.
_DROPPED_TAGS = frozenset(
    {"math", "gallery", "timeline", "score", "syntaxhighlight", "source", "graph", "imagemap",
     "templatedata", "references", "chem", "ce", "hiero", "mapframe", "maplink", "categorytree",
     "inputbox", "style", "script"}
)

_BLOCK_TAGS = frozenset({"br", "p", "div", "li", "tr", "hr"})
_FILE_OR_CATEGORY = re.compile(
    r"^\s*:?\s*(file|image|category|datei|fichier|bild|archivo|imagen|kategorie|catégorie|"
    r"categoría|categoria|файл|категория|изображение|media)\s*:",
    re.IGNORECASE,
)
_CATEGORY_PREFIXES = frozenset(
    {"category", "kategorie", "catégorie", "categoría", "categoria", "категория"})
# `[[Target|options and caption]]`: the caption may hold plain links, nothing deeper.
_LONE_FILE_LINK = re.compile(
    r"^\s*\[\[([^\[\]|]+)(?:\|[^\[\]]*(?:\[\[[^\[\]]*\]\][^\[\]]*)*)?\]\]\s*$"
)


def lone_file_name(source: str) -> str | None:
    """The file name when a value is one `[[File:...]]` link and nothing else: it renders to no
    text (an image), but the file name is the value an `image` or `logo` field holds."""
    if "[[" not in source:
        return None
    match = _LONE_FILE_LINK.match(source)
    if match is None or not _FILE_OR_CATEGORY.match(match.group(1)):
        return None
    prefix, _, target = match.group(1).partition(":")
    if prefix.strip().lower().lstrip(":").strip() in _CATEGORY_PREFIXES:
        return None
    return target.strip() or None


_SPACES = re.compile(r"[ \t\u00a0]{2,}|[\t\u00a0]")  # single plain spaces need no work


def normalise_name(name: str) -> str:
    """Template name as MediaWiki compares it, lower-cased: no comments, underscores as spaces,
    runs of whitespace collapsed, no `Template:` prefix."""
    if len(name) <= 100:  # a real name: pages call the same few templates over and over
        return _normalised_name(name)
    return _normalise_name(name)


def _normalise_name(name: str) -> str:
    if "<!--" in name:
        name = re.sub(r"<!--.*?(-->|$)", "", name, flags=re.DOTALL)
    name = name.replace("_", " ")
    if "  " in name or "\t" in name or "\u00a0" in name:  # what _SPACES finds: the regex costs
        name = _SPACES.sub(" ", name)  # more than the rest, and parser functions miss the cache
    name = name.strip().lower()
    if name.startswith("template:"):
        name = name[len("template:"):].strip()
    return name


_normalised_name = lru_cache(maxsize=8192)(_normalise_name)


@dataclass(init=False)
class Call:
    """One template call as handlers see it: arguments already rendered to text."""

    name: str  # normalised
    positional: list[str]
    named: dict[str, str]
    raw_positional: list[str]
    raw_named: dict[str, str]
    source: str  # the template's wikitext

    # (a written-out __init__: the one dataclasses generates runs interpreted in a compiled build)
    def __init__(self, name: str, positional: list[str], named: dict[str, str],
                 raw_positional: list[str], raw_named: dict[str, str], source: str) -> None:
        self.name, self.positional, self.named = name, positional, named
        self.raw_positional, self.raw_named, self.source = raw_positional, raw_named, source

    def arg(self, index: int, default: str = "") -> str:
        return self.positional[index] if index < len(self.positional) else default

    def get(self, *names: str, default: str = "") -> str:
        for name in names:
            if self.named.get(name, "").strip():
                return self.named[name]
        return default


class Renderer:
    """Collects hints while rendering one value (an infobox field, a cell, a paragraph).
    A plain class with slots: one is made for nearly every value, and a dataclass's generated
    `__init__` with default factories costs more than the rendering of a short value."""

    __slots__ = ("keep_unknown", "hints", "notes", "items", "unknown", "depth")

    def __init__(self, keep_unknown: bool = True) -> None:
        self.keep_unknown = keep_unknown  # infobox values and cells keep unknown templates
        self.hints: dict[str, str] = {}
        self.notes: list[str] = []
        self.items: list[str] = []
        self.unknown: list[str] = []
        self.depth = 0

    def hint(self, key: str, value: str) -> None:
        """First writer wins: the outermost/earliest template describes the value."""
        self.hints.setdefault(key, value)

    def render_code(self, code) -> str:
        if self.depth > MAX_DEPTH:
            return str(code)
        self.depth += 1
        try:
            return "".join(self.render_node(node) for node in code.nodes)
        finally:
            self.depth -= 1

    def render_node(self, node) -> str:
        if isinstance(node, Text):
            return str(node.value)
        if isinstance(node, Template):
            return self.render_template(node)
        if isinstance(node, Wikilink):
            return self.render_wikilink(node)
        if isinstance(node, ExternalLink):
            if node.title is not None:
                return self.render_code(node.title)
            return "" if node.brackets else str(node.url)
        if isinstance(node, Tag):
            return self.render_tag(node)
        if isinstance(node, HTMLEntity):
            return node.normalize()
        if isinstance(node, Comment):
            return ""
        if isinstance(node, Heading):
            return self.render_code(node.title)
        if isinstance(node, Argument):
            return self.render_code(node.default) if node.default is not None else ""
        return str(node)

    def render_wikilink(self, node: Wikilink) -> str:
        target = str(node.title)
        if _FILE_OR_CATEGORY.match(target):
            return ""
        if node.text is not None:
            return self.render_code(node.text)
        return self.render_code(node.title).lstrip(":").strip()

    def render_tag(self, node: Tag) -> str:
        tag = str(node.tag).strip().lower()
        if tag == "ref":
            if node.contents is not None:
                note = clean_text(Renderer(False).render_code(node.contents))
                if note:
                    self.notes.append(note)
            return ""
        if tag in _DROPPED_TAGS:
            return ""
        if tag == "nowiki":
            return str(node.contents) if node.contents is not None else ""
        if node.wiki_markup in ("*", "#") and not node.contents:
            return "\n"  # a bullet: the item text follows as plain nodes
        if tag in _BLOCK_TAGS:
            inner = self.render_code(node.contents) if node.contents is not None else ""
            return "\n" + inner + ("\n" if inner else "")
        if node.contents is None:
            return ""
        return self.render_code(node.contents)

    def render_template(self, node: Template) -> str:
        name = normalise_name(str(node.name))
        handler, name, first = lookup(name)
        if handler is None:
            if is_silent_template(name):
                return ""
            self.unknown.append(name)
            return str(node) if self.keep_unknown else ""
        call = self.make_call(name, node, first)
        return handler(call, self)

    def make_call(self, name: str, node: Template, first: str | None) -> Call:
        positional: list[str] = []
        raw_positional: list[str] = []
        named: dict[str, str] = {}
        raw_named: dict[str, str] = {}
        if first is not None:  # parser function: `{{formatnum:123}}`
            positional.append(first)
            raw_positional.append(first)
        for param in node.params:
            text = self.render_code(param.value)
            if param.showkey:
                key = str(param.name).strip().lower()
                named[key] = text.strip()
                raw_named[key] = str(param.value).strip()
            else:
                positional.append(text.strip())
                raw_positional.append(str(param.value))
        return Call(name, positional, named, raw_positional, raw_named, str(node))


Handler = Callable[[Call, Renderer], str]
REGISTRY: dict[str, Handler] = {}
SILENT_PREFIXES = ("cite ", "citation", "sfn", "harv", "infobox", "navbox", "use ",
                   "short description", "authority control", "reflist", "refbegin", "refend",
                   "portal", "commons",
                   "coord missing", "main", "see also", "further", "about", "other uses",
                   "redirect", "distinguish", "good article", "featured article", "pp-", "engvar",
                   "dmy", "mdy", "clear", "toc", "stub")


def is_silent_template(name: str) -> bool:
    """Templates with no text worth keeping (citations, maintenance and navigation boxes)."""
    return name.startswith(SILENT_PREFIXES) or name.endswith(("-stub", " stub", " icon"))


def lookup(name: str) -> tuple[Handler | None, str, str | None]:
    """The handler for a normalised name; parser functions (`formatnum:x`) split at the colon."""
    if name in REGISTRY:
        return REGISTRY[name], name, None
    if ":" in name:
        head, _, rest = name.partition(":")
        if head in REGISTRY:
            return REGISTRY[head], head, rest.strip()
    for prefix, handler in _PREFIX_HANDLERS:
        if name.startswith(prefix):
            return handler, name, None
    return None, name, None


def register(*names: str) -> Callable[[Handler], Handler]:
    def wrap(handler: Handler) -> Handler:
        for name in names:
            REGISTRY[normalise_name(name)] = handler
        return handler

    return wrap


def clean_text(text: str) -> str:
    """Collapse runs of whitespace to one space; keep line breaks that separate items, drop
    blank lines."""
    if "\n" in text:
        return "\n".join(filter(None, (" ".join(line.split()) for line in text.split("\n"))))
    if "  " in text or "\t" in text or "\u00a0" in text or "\r" in text:
        return " ".join(text.split())
    return text.strip()


@dataclass(init=False)
class Rendered:
    text: str
    hints: dict[str, str]
    unknown: list[str]

    # (a written-out __init__: the one dataclasses generates runs interpreted in a compiled build)
    def __init__(self, text: str, hints: dict[str, str], unknown: list[str]) -> None:
        self.text, self.hints, self.unknown = text, hints, unknown


MARKUP = re.compile(r"[{\[<&']|__")  # text without it renders to itself, cleaned
_MARKUP = MARKUP


def has_markup(text: str) -> bool:
    """`MARKUP.search(text)`, by substring tests: one C scan each, against ~70 instructions a
    character for the regex's search (it has no literal to skip ahead by). Every table cell
    and rendered value asks."""
    return ("'" in text or "[" in text or "{" in text or "<" in text or "&" in text
            or "__" in text)


def render(wikitext: str, *, keep_unknown: bool = True) -> Rendered:
    """Plain text and hints of a piece of wikitext. Never raises on malformed markup."""
    if not has_markup(wikitext):
        return Rendered(clean_text(wikitext), {}, [])
    try:
        code = mwparserfromhell.parse(wikitext)
    except Exception:  # noqa: BLE001 - the tokenizer's own limits; keep the source as text
        return Rendered(clean_text(wikitext), {"render_error": "unparsable"}, [])
    return render_code(code, keep_unknown=keep_unknown)


def render_code(code, *, keep_unknown: bool = True) -> Rendered:
    """Like `render`, for Wikicode mwparserfromhell already built (an infobox parameter)."""
    renderer = Renderer(keep_unknown)
    try:
        text = renderer.render_code(code)
    except RecursionError:
        text = str(code)
        renderer.hints["render_error"] = "nesting too deep"
    return Rendered(clean_text(text), finish_hints(renderer), renderer.unknown)


def finish_hints(renderer: Renderer) -> dict[str, str]:
    hints = dict(renderer.hints)
    if renderer.notes:
        hints["notes"] = json_strings(renderer.notes)
    if renderer.items:
        hints.setdefault("list", json_strings(renderer.items))
    if renderer.unknown:
        hints["unknown_templates"] = json_strings(sorted(set(renderer.unknown)))
    return hints



# --- the registry ----------------------------------------------------------------------------

def _content(index: int) -> Handler:
    """A wrapper template whose text is one of its arguments (`{{nowrap|x}}`, `{{lang|fr|x}}`)."""

    def handler(call: Call, renderer: Renderer) -> str:
        if index < 0:
            return call.positional[index] if call.positional else ""
        return call.arg(index) or call.arg(0)

    return handler


def _literal(text: str) -> Handler:
    return lambda call, renderer: text


_names: tuple[str, ...]  # each loop below walks groups of names of differing lengths
for _names, _index in (
    (("nowrap", "nobr", "small", "big", "smaller", "larger", "midsize", "nobold", "noitalic",
      "center", "sc", "small caps", "smallcaps", "nihongo", "abbr", "tooltip", "flag",
      "flagcountry", "flagu", "flag country", "marriage", "nq", "ill", "interlanguage link",
      "illm", "lang-x", "iast", "script", "ipa", "nbsp2", "proper name", "math", "longitem",
      "nastaliq", "nowrap begin", "lien", "lien web", "langue", "sortkeyname", "仮リンク",
      "sigfig", "drapeau2"), 0),
    (("version",), -1),
    (("lang", "native name", "sort", "url", "resize", "farblegende"), 1),
    # team and station links in sports and lifeboat tables; a bar chart cell shows its number
    (("ru", "lbs", "lbb", "bartable"), 0),
    (("transl",), -1),
):
    register(*_names)(_content(_index))

for _names, _text in (
    (("nbsp", "spaces", "space"), " "), (("ndash", "en dash", "–"), "–"),
    (("mdash", "em dash", "—"), "—"), (("snd", "spaced ndash", "spnd"), " – "),
    (("dot", "·", "middot", "dot separator"), " · "), (("bull", "•"), " • "),
    (("!",), "|"), (("=",), "="), (("'",), "'"), (("br",), "\n"),
    (("flagicon", "flag icon", "flagdeco", "hs", "hidden sort key", "ntsh", "sic",
      "citation needed", "cn", "fact", "clarify", "dubious", "when", "update", "update needed",
      "by whom", "vague", "which", "who", "specify", "page needed", "verify", "better source",
      "colorbox end", "legend0", "col-begin", "col-break", "col-end", "ref label", "ref",
      "photomontage", "maplink", "nobreak", "-"), ""),
    ((",",), ","), (("snds",), " – "), (("0", "00", "000"), ""),
    (("n/a", "na"), "N/A"), (("nom",), "Nominated"), (("won",), "Won"), (("yes",), "Yes"),
    (("no",), "No"), (("partial",), "Partial"), (("tba",), "TBA"), (("dunno",), "?"),
    (("drapeau", "flaggbild", "zászló", "drapel", "bandera", "flagicon image"), ""),
):
    register(*_names)(_literal(_text))


@register("increase", "up", "gain", "profit", "increasepositive", "increase positive",
          "increasenegative", "increase negative", "augmentation", "augmentation négative",
          "hausse", "zunahme", "steigerung")
def _increase(call: Call, renderer: Renderer) -> str:
    renderer.hint("sign", "+")
    return ""


@register("decrease", "down", "loss", "decreasenegative", "decrease negative",
          "decreasepositive", "decrease positive", "diminution", "diminution positive", "baisse",
          "abnahme", "rückgang")
def _decrease(call: Call, renderer: Renderer) -> str:
    renderer.hint("sign", "-")
    return ""


@register("steady", "no change", "nochange", "steady2", "same", "stable", "stabil")
def _steady(call: Call, renderer: Renderer) -> str:
    renderer.hint("sign", "0")
    return ""


MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
_MONTH_INDEX = {m: i + 1 for i, m in enumerate(MONTHS)}
_MONTH_INDEX |= {m[:3]: i + 1 for i, m in enumerate(MONTHS)}
_MONTH_INDEX |= {m: i + 1 for i, m in enumerate(
    ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
     "octobre", "novembre", "décembre"])}
_ISO = re.compile(r"^(\d{3,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DMY = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{3,4})$")
_MDY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{3,4})$")
_MY = re.compile(r"^([a-z]+)\.?,?\s+(\d{3,4})$")


def parse_free_date(text: str) -> tuple[int, int | None, int | None] | None:
    """`2023-03-19`, `19 March 2023`, `March 19, 2023`, `March 2023`, `2023`."""
    text = text.strip().lower()
    if m := _ISO.match(text):
        return int(m[1]), _int(m[2]), _int(m[3])
    if (m := _DMY.match(text)) and m[2] in _MONTH_INDEX:
        return int(m[3]), _MONTH_INDEX[m[2]], int(m[1])
    if (m := _MDY.match(text)) and m[1] in _MONTH_INDEX:
        return int(m[3]), _MONTH_INDEX[m[1]], int(m[2])
    if (m := _MY.match(text)) and m[1] in _MONTH_INDEX:
        return int(m[2]), _MONTH_INDEX[m[1]], None
    return None


def _int(text: str | None) -> int | None:
    try:
        return int(str(text).strip()) if text is not None and str(text).strip() else None
    except ValueError:
        return None


def date_hint(renderer: Renderer, year: int, month: int | None, day: int | None,
              dmy: bool) -> str:
    """Record an ISO date with its precision; return the date as a reader would see it."""
    if month is not None and not 1 <= month <= 12:
        month = day = None
    if day is not None and not 1 <= day <= 31:
        day = None
    if month is None:
        renderer.hint("date", f"{year:04d}")
        renderer.hint("date_precision", "year")
        return str(year)
    name = MONTHS[month - 1].capitalize()
    if day is None:
        renderer.hint("date", f"{year:04d}-{month:02d}")
        renderer.hint("date_precision", "month")
        return f"{name} {year}"
    renderer.hint("date", f"{year:04d}-{month:02d}-{day:02d}")
    renderer.hint("date_precision", "day")
    return f"{day} {name} {year}" if dmy else f"{name} {day}, {year}"


@register("start date", "start date and age", "end date", "end date and age", "birth date",
          "birth date and age", "death date", "death date and age", "film date", "dts",
          "birth year and age", "death year and age", "date", "start-date", "end-date",
          "birth-date", "death-date", "birth date and age2", "release date", "as of",
          "formatdate")
def _date(call: Call, renderer: Renderer) -> str:
    dmy = call.get("df").lower() in ("y", "yes", "1", "true")
    parts = [p for p in call.positional if p.strip()]
    prefix = "As of " if call.name == "as of" else ""
    if parts and (year := _int(parts[0])) is not None:
        month, day = _int(call.arg(1)), _int(call.arg(2))
        if month is None:
            day = None
        return prefix + date_hint(renderer, year, month, day, dmy)
    if parts and (found := parse_free_date(parts[0])):
        return prefix + date_hint(renderer, *found, dmy=dmy or parts[0][:1].isdigit())
    return prefix + (parts[0] if parts else "")


_NUMBER = re.compile(r"^\s*([-+−]?)(\d+)(\.\d+)?\s*$")


def format_number(text: str) -> str:
    """`1234567.5` → `1,234,567.5`; anything that is not a plain number is left as it is."""
    m = _NUMBER.match(text)
    if not m:
        return text.strip()
    sign = "-" if m[1] in ("-", "−") else ""
    return f"{sign}{int(m[2]):,}{m[3] or ''}"


@register("date de naissance", "date de décès", "date-", "date de naissance-",
          "date de décès-")
def _date_fr(call: Call, renderer: Renderer) -> str:
    """French dates: `{{date de naissance|17|juillet|1954}}` (day, month name, year)."""
    parts = [p.strip() for p in call.positional if p.strip()][:3]
    found = parse_free_date(" ".join(parts)) if parts else None
    if found is not None:
        date_hint(renderer, *found, dmy=True)
    return " ".join(parts)  # the text stays in the page's language


@register("formatnum")
def _formatnum(call: Call, renderer: Renderer) -> str:
    if call.arg(1).strip().upper() == "R":
        return call.arg(0).replace(",", "")
    return format_number(call.arg(0))


@register("nts", "nts2", "ntsp", "number table sorting")
def _nts(call: Call, renderer: Renderer) -> str:
    return format_number(call.arg(0))


_RANGE_WORDS = {"-", "–", "to", "and", "or", "by", "x", "×", "+/-", "±", "to(-)", "and(-)"}


def _with_unit(renderer: Renderer, value: str, unit: str) -> str:
    """`value unit`, with the unit kept as a hint for typing (`{{convert}}`, `{{val}}`, ...)."""
    if unit:
        renderer.hint("unit", unit)
        return f"{value} {unit}"
    return value


@register("convert", "cvt", "convinfobox")
def _convert(call: Call, renderer: Renderer) -> str:
    """`{{convert|12|km|mi}}` → `12 km` (unit hint `km`); ranges keep both ends."""
    value = call.arg(0)
    rest = call.positional[1:]
    if len(rest) >= 2 and rest[0].strip() in _RANGE_WORDS:
        value = f"{value} {rest[0].strip()} {rest[1]}"
        rest = rest[2:]
    unit = rest[0].strip() if rest else ""
    return _with_unit(renderer, value, unit)


@register("unité", "unit", "nombre")
def _unite(call: Call, renderer: Renderer) -> str:
    """`{{unité|1234|km}}` → `1,234 km`, unit hint `km`."""
    value = call.arg(0)
    unit = " ".join(p.strip() for p in call.positional[1:] if p.strip())
    return _with_unit(renderer, value, unit)


@register("height")
def _height(call: Call, renderer: Renderer) -> str:
    """`{{height|m=1.80}}`, `{{height|ft=6|in=1}}`."""
    parts = [f"{call.named[u]} {u}" for u in ("m", "cm", "ft", "in") if call.named.get(u)]
    if parts:
        renderer.hint("unit", parts[0].split()[1])
    return " ".join(parts)


@register("sfrac", "frac")
def _fraction(call: Call, renderer: Renderer) -> str:
    """`{{sfrac|1|2}}` → `1/2`; `{{sfrac|3|1|2}}` → `3 1/2`."""
    args = [a for a in call.positional if a.strip()]
    if len(args) == 3:
        return f"{args[0]} {args[1]}/{args[2]}"
    return "/".join(args) if len(args) == 2 else "".join(args)


@register("fossil range")
def _fossil_range(call: Call, renderer: Renderer) -> str:
    renderer.hint("unit", "Ma")
    return f"{call.arg(0)}–{call.arg(1)} Ma" if call.arg(1) else f"{call.arg(0)} Ma"


@register("nyse", "nasdaq", "lse", "tyo", "euronext", "fwb", "hkex", "tsx", "asx", "bse", "nse")
def _ticker(call: Call, renderer: Renderer) -> str:
    return f"{call.name.upper()}: {call.arg(0)}"


@register("linktext")
def _linktext(call: Call, renderer: Renderer) -> str:
    return "".join(call.positional)


@register("uss", "hms", "ship")
def _ship(call: Call, renderer: Renderer) -> str:
    prefix = "" if call.name == "ship" else call.name.upper() + " "
    hull = f" ({call.arg(1)})" if call.arg(1) and call.name != "ship" else ""
    return f"{prefix}{' '.join(call.positional[:1 if call.name != 'ship' else 2])}{hull}"


@register("val")
def _val(call: Call, renderer: Renderer) -> str:
    unit = call.get("u", "ul")
    value = format_number(call.arg(0))
    return _with_unit(renderer, value, unit)


@register("percentage", "percent", "pct")
def _percentage(call: Call, renderer: Renderer) -> str:
    try:
        numerator = float(call.arg(0).replace(",", ""))
        denominator = float(call.arg(1).replace(",", ""))
        decimals = int(call.arg(2) or call.get("decimals") or 0)
        renderer.hint("unit", "%")
        return f"{100 * numerator / denominator:.{decimals}f}%"
    except (ValueError, ZeroDivisionError):
        return call.source


@register("coord", "coor", "coor d", "coor dms", "location")
def _coord(call: Call, renderer: Renderer) -> str:
    args = [a.strip() for a in call.positional if a.strip() and ":" not in a]
    ns = next((i for i, a in enumerate(args) if a.upper() in ("N", "S")), None)
    ew = next((i for i, a in enumerate(args) if a.upper() in ("E", "W")), None)
    try:
        if ns is not None and ew is not None and ns < ew:
            lat = _dms(args[:ns]) * (-1 if args[ns].upper() == "S" else 1)
            lon = _dms(args[ns + 1:ew]) * (-1 if args[ew].upper() == "W" else 1)
        else:
            lat, lon = float(args[0]), float(args[1])
    except (ValueError, IndexError):
        return ""
    renderer.hint("coord", f"{lat:.6g},{lon:.6g}")
    return f"{lat:.6g}, {lon:.6g}"


def _dms(parts: list[str]) -> float:
    value = 0.0
    for scale, part in zip((1, 60, 3600), parts, strict=False):
        value += float(part) / scale
    return value


def _list_items(text: str) -> list[str]:
    return [line.strip(" *#;:") for line in text.split("\n") if line.strip(" *#;:")]


@register("ubl", "unbulleted list", "plainlist", "plain list", "flatlist", "flat list", "hlist",
          "bulleted list", "blist", "bullet list", "ordered list", "collapsible list",
          "br separated entries", "br list", "startplainlist", "unbulleted list citebundle",
          "comma separated entries", "enum", "vunblist", "ublist", "unbulleted-list")
def _list(call: Call, renderer: Renderer) -> str:
    items: list[str] = []
    for arg in call.positional:
        items += _list_items(arg)
    if not items:
        items = _list_items(call.get("1"))
    renderer.hint("list", json_strings(items))
    joiner = ", " if call.name == "comma separated entries" else "\n"
    return joiner.join(items)


@register("efn", "efn-ua", "efn-lr", "efn-la", "efn-lg", "refn", "notetag", "note", "#tag",
          "sfn", "sfnp", "r")
def _note(call: Call, renderer: Renderer) -> str:
    if call.name == "#tag" and call.arg(0).strip().lower() != "ref":
        return call.arg(1)
    text = call.arg(1) if call.name == "#tag" else (call.arg(0) or call.get("1"))
    if call.name in ("sfn", "sfnp"):
        text = " ".join(call.positional) + (f", p. {call.get('p')}" if call.get("p") else "")
    if text.strip():
        renderer.notes.append(clean_text(text))
    return ""


@register("party name with color", "party name with colour", "party name with color/en")
def _party_name(call: Call, renderer: Renderer) -> str:
    """The party's article title in hints; its text as a link shows it (the pipe trick drops
    a trailing qualifier: `Amanat (party)` reads `Amanat`)."""
    renderer.hint("party", call.arg(0))
    renderer.hint("colour_party", call.arg(0))
    return call.arg(1) or re.sub(r"\s*\([^()]*\)$", "", call.arg(0))


@register("party color", "party colour", "party color cell", "party colour cell",
          "party shading")
def _party_colour(call: Call, renderer: Renderer) -> str:
    renderer.hint("colour_party", call.arg(0))
    return ""


_COLOUR = re.compile(r"^#?[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$|^[a-zA-Z]+$")


def _colour_hint(renderer: Renderer, value: str) -> None:
    value = value.strip()
    if not _COLOUR.match(value):
        return
    if value.startswith("#") or not value.isalpha():
        renderer.hint("colour", "#" + value.lstrip("#").lower())
    else:
        renderer.hint("colour", value.lower())


@register("colorbox", "color box", "colourbox", "colour box", "legend", "legend2", "color",
          "colour", "font color")
def _colour(call: Call, renderer: Renderer) -> str:
    _colour_hint(renderer, call.arg(0))
    if call.name in ("color", "colour", "font color"):
        return call.arg(1)
    return call.arg(1) if call.name.startswith("legend") else ""


@register("composition bar")
def _composition_bar(call: Call, renderer: Renderer) -> str:
    _colour_hint(renderer, call.arg(2))
    return f"{call.arg(0)}/{call.arg(1)}"


@register("circa", "c.")
def _circa(call: Call, renderer: Renderer) -> str:
    return f"c. {call.arg(0)}".strip()


@register("us$", "usd")
def _usd(call: Call, renderer: Renderer) -> str:
    renderer.hint("unit", "US$")
    return f"US${call.arg(0)}"


@register("sortname")
def _sortname(call: Call, renderer: Renderer) -> str:
    return f"{call.arg(0)} {call.arg(1)}".strip()


@register("official website", "official url")
def _official(call: Call, renderer: Renderer) -> str:
    return call.arg(1) or call.arg(0) or call.get("url")


def _lang_prefixed(call: Call, renderer: Renderer) -> str:
    return call.arg(0)


_PREFIX_HANDLERS: tuple[tuple[str, Handler], ...] = (("lang-", _lang_prefixed),
                                                     ("transl-", _lang_prefixed))


# --- the fast path for prose -----------------------------------------------------------------
# Paragraphs are most of a page and need no tree: innermost templates are replaced first (so an
# argument never holds braces), then links, then quotes and tags. The same handlers run, so a
# paragraph's {{convert}} reads exactly as an infobox value's does. ~10x faster than building
# mwparserfromhell's tree for every paragraph.
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_REF = re.compile(r"<ref\b[^<>]*?/>|<ref\b[^<>]*>.*?(?:</ref\s*>|\Z)", re.DOTALL | re.IGNORECASE)
_DROPPED = re.compile(r"<(" + "|".join(_DROPPED_TAGS) + r")\b[^<>]*?(?:/>|>.*?(?:</\1\s*>|\Z))",
                      re.DOTALL | re.IGNORECASE)
_NOWIKI = re.compile(r"<nowiki\s*>(.*?)</nowiki\s*>|<nowiki\s*/>", re.DOTALL | re.IGNORECASE)
_INNER_TEMPLATE = re.compile(r"\{\{([^{}]*)\}\}")
_INNER_LINK = re.compile(r"\[\[([^\[\]]*)\]\]")
# an external link label stays on one line (an unclosed one cannot scan the whole page)
_EXTERNAL = re.compile(r"\[(?:https?:|ftp:|//)[^\s\]\[]*[ \t]*([^\]\n\[]*)\]")
_QUOTES = re.compile(r"'{2,5}")
_BREAK = re.compile(r"<br\s*/?>|</?(?:p|div|li|tr)\b[^<>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*\b[^<>]*>")
_HELD = re.compile("\ue000(\\d+)\ue001")
MAX_PASSES = 50  # deeper template nesting than this stays as text


def fast_render(wikitext: str, *, keep_unknown: bool = False, notes: bool = True) -> Rendered:
    """Plain text of prose wikitext without building a parse tree. `notes=False` drops
    `<ref>`s unread (prose paragraphs keep no hints; references are much of their bytes)."""
    if not has_markup(wikitext):
        return Rendered(clean_text(wikitext), {}, [])
    return fast_render_marked(wikitext, keep_unknown, notes)


def fast_render_marked(wikitext: str, keep_unknown: bool = False, notes: bool = True) -> Rendered:
    """`fast_render` of text its caller already found `MARKUP` in (a table cell): the same
    result without searching again."""
    if "{{" not in wikitext and "<" not in wikitext:
        return Rendered(clean_text(_plain_markup(wikitext)), {}, [])
    renderer = Renderer(keep_unknown)
    held: list[str] = []  # unknown templates kept verbatim, restored at the end
    text = wikitext
    if "<" in text:  # each pass only when its marker is there: most text has few of them
        if "<!--" in text:
            text = _COMMENT.sub("", text)
        if "nowiki" in text:
            text = _NOWIKI.sub(lambda m: _hold(held, m.group(1) or ""), text)
        if "<ref" in text or "<REF" in text or "<Ref" in text:
            if notes:
                text = _REF.sub(lambda m: _fast_note(renderer, _restore(m.group(), held)), text)
            else:
                text = _REF.sub("", text)
    for _ in range(MAX_PASSES):
        if "{{" not in text:
            break
        text, count = _INNER_TEMPLATE.subn(lambda m: _fast_template(renderer, m, held), text)
        if not count:
            break
    if "[" in text:
        text = _fast_links(text)
    if "<" in text:
        text = _DROPPED.sub("", text)
        text = _BREAK.sub("\n", text)
        text = _ANY_TAG.sub("", text)
    if "''" in text:
        text = _QUOTES.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    if "\ue000" in text:
        text = _restore(text, held)
    if renderer.notes or renderer.items or renderer.unknown:
        return Rendered(clean_text(text), finish_hints(renderer), renderer.unknown)
    return Rendered(clean_text(text), renderer.hints, renderer.unknown)  # its own: no copy


# One link and nothing else but quotes around it and spaces (`''[[Film]]''`, `[[Link|Label]]`):
# most table cells with markup. Its text is the label (or the target), as `fast_render` gives it;
# a colon (file, category, interwiki), another bracket, a quote, a tag or an entity inside, or a
# line break takes the general path. Possessive: a cell that only starts like one fails fast.
LONE_LINK = re.compile(r"([ \t]*+)(?:'{2,5}+)?+\[\[([^\[\]{}<>|:&'\n]*+)"
                       r"(?:(\|)([^\[\]{}<>|&'\n]*+))?+\]\](?:'{2,5}+)?+([ \t]*+)")


def lone_link_text(match: re.Match) -> str | None:
    """`fast_render(...).text` of a cell that `LONE_LINK` matched whole (no hint, none unknown);
    None for a link that reads as nothing between quotes (`'''[[A|]]'''`): the quotes then meet
    and the general path reads them as one run."""
    lead, target, bar, label, trail = match.groups()
    text = label if bar else target
    if not text and "'" in match.group():
        return None
    return clean_text(lead + text + trail if lead or trail else text)


def lone_link_render(text: str) -> str | None:
    """`fast_render(text).text` when `text` is one lone link (no hint, none unknown), else None:
    the general path reads it. The `in` costs less than the match on the many cells without a
    link."""
    lone = LONE_LINK.fullmatch(text) if "[[" in text else None
    return lone_link_text(lone) if lone is not None else None


def _plain_markup(text: str) -> str:
    """`fast_render`'s passes for text with no template and no tag (links, quotes, entities
    only): no renderer, nothing held, no hint."""
    if "[" in text:
        text = _fast_links(text)
    if "''" in text:
        text = _QUOTES.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return _restore(text, []) if "\ue000" in text else text


def _restore(text: str, held: list[str]) -> str:
    for _ in range(MAX_PASSES):
        if "\ue000" not in text:
            break
        text = _HELD.sub(lambda m: held[int(m.group(1))] if int(m.group(1)) < len(held) else "",
                         text)
    return text


def _hold(held: list[str], text: str) -> str:
    held.append(text)
    return f"\ue000{len(held) - 1}\ue001"


def _fast_links(text: str) -> str:
    for _ in range(MAX_PASSES):
        if "[[" not in text:
            break
        text, count = _INNER_LINK.subn(_fast_link, text)
        if not count:
            break
    return _EXTERNAL.sub(lambda m: m.group(1), text) if "[" in text else text


def _fast_link(match: re.Match) -> str:
    target, bar, label = match.group(1).partition("|")
    if ":" in target and _FILE_OR_CATEGORY.match(target):  # the prefix ends with a colon
        return ""
    return label if bar else target.lstrip(":")


_REF_ENDS = re.compile(r"^<ref\b[^<>]*>|</ref\s*>$", re.IGNORECASE)


def _fast_note(renderer: Renderer, ref: str) -> str:
    body = _REF_ENDS.sub("", ref)
    if not ref.endswith("/>") and body.strip():
        note = fast_render(body, notes=False).text  # a note inside a note is dropped
        if note:
            renderer.notes.append(note)
    return ""


def _fast_template(renderer: Renderer, match: re.Match, held: list[str]) -> str:
    parts = _split_args(match.group(1))
    name = normalise_name(parts[0])
    handler, name, first = lookup(name)
    if handler is None:
        if is_silent_template(name):
            return ""
        renderer.unknown.append(name)
        return _hold(held, match.group()) if renderer.keep_unknown else ""
    positional, named = ([first] if first is not None else []), {}
    raw_positional, raw_named = list(positional), {}
    for part in parts[1:]:
        key, eq, value = part.partition("=")
        if eq and "[[" not in key and "<" not in key:
            named[key.strip().lower()] = clean_text(_fast_links(value))
            raw_named[key.strip().lower()] = value.strip()
        else:
            positional.append(clean_text(_fast_links(part)))
            raw_positional.append(part)
    call = Call(name, positional, named, raw_positional, raw_named, match.group())
    return handler(call, renderer)


def _split_args(body: str) -> list[str]:
    """Split a template body at pipes that are not inside a `[[link|label]]`."""
    if "[[" not in body:
        return body.split("|")
    parts, depth, start = [], 0, 0
    for i, char in enumerate(body):
        if char == "[" and body.startswith("[[", i):
            depth += 1
        elif char == "]" and body.startswith("]]", i) and depth:
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return parts
