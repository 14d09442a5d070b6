"""Wikitables (`{| ... |}`) and results templates to the table model.

A purpose-built line reader recognises the table markup (`{|`, `|+`, `|-`, `|`, `||`, `!`, `!!`,
`|}`) and hands only cell contents to the template renderer, which is far faster than parsing
whole tables with mwparserfromhell. Each source cell is kept once with its rowspan/colspan;
`expand_spans(table)` lays the cells out on the HTML table grid for code that needs columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from extractor.model import Cell, Problem, Row, Table
from extractor.templates import (
    Call,
    clean_text,
    fast_render,
    fast_render_marked,
    has_markup,
    lone_link_render,
    normalise_name,
)
from extractor.unvalidated import new_cell, new_row

_SPAN = re.compile(r"""\b(rowspan|colspan)\s*=\s*["']?\s*(\d+)""", re.IGNORECASE)
_BACKGROUND = re.compile(r"background(?:-color)?\s*:\s*(#[0-9a-fA-F]{3,6}|[a-zA-Z]+)")
MAX_SPAN = 1000  # browsers clamp colspan at 1000; a bigger rowspan is a typo, not a table


_SPLIT_TOKENS = re.compile(r"\[\[|\]\]|\{\{|\}\}|\|\||!!")


# Text whose brackets are all whole links and templates with no bracket inside (`[[a|b]]`,
# `{{flag|X}}`): a separator or pipe outside them is outside every bracket.
_FLAT = re.compile(r"(?:[^\[\]{}]++|\[\[[^\[\]{}]*+\]\]|\{\{[^\[\]{}]*+\}\})*+")
_FLAT_NO_PIPE = re.compile(r"(?:[^\[\]{}|]++|\[\[[^\[\]{}]*+\]\]|\{\{[^\[\]{}]*+\}\})*+")


def split_outside(text: str, separators: tuple[str, ...]) -> list[str]:
    """Split at any separator (`||`, `!!`) that is not inside `[[...]]` or `{{...}}`."""
    if not any(sep in text for sep in separators):  # one cell on the line: the commonest
        return [text]
    parts = [text]
    for sep in separators:
        parts = [piece for part in parts for piece in part.split(sep)]
    if "[[" not in text and "{{" not in text:
        return parts
    flat = _FLAT.fullmatch
    for part in parts:  # a part holding half a bracket: a separator fell inside one
        if flat(part) is None:
            return split_outside_scan(text, separators)
    return parts


def split_outside_scan(text: str, separators: tuple[str, ...]) -> list[str]:
    """`split_outside` by a scan of the link and template brackets: the general case."""
    parts, depth, start = [], 0, 0
    for match in _SPLIT_TOKENS.finditer(text):
        token = match.group()
        if token in ("[[", "{{"):
            depth += 1
        elif token in ("]]", "}}"):
            depth = max(depth - 1, 0)
        elif depth == 0 and token in separators:
            parts.append(text[start:match.start()])
            start = match.end()
    parts.append(text[start:])
    return parts


_ATTRIBUTE_TOKENS = re.compile(r"\[\[|\]\]|\{\{|\}\}|\|")


def split_attributes(piece: str) -> tuple[str, str]:
    """`style="..." rowspan=2 | text` → (attributes, content); no single pipe → ("", piece)."""
    bar = piece.find("|")
    if bar < 0:
        return "", piece
    head = piece[:bar]
    if "[[" not in head and "{{" not in head:  # no bracket opens before it: the pipe is outside
        return head, piece[bar + 1:]
    if _FLAT_NO_PIPE.fullmatch(piece) is not None:  # `{{flag|X}}`: every pipe is inside
        return "", piece
    return split_attributes_scan(piece)


def split_attributes_scan(piece: str) -> tuple[str, str]:
    """`split_attributes` by a scan of the link and template brackets: the general case."""
    depth = 0
    for match in _ATTRIBUTE_TOKENS.finditer(piece):
        token = match.group()
        if token in ("[[", "{{"):
            depth += 1
        elif token in ("]]", "}}"):
            depth = max(depth - 1, 0)
        elif depth == 0:
            return piece[:match.start()], piece[match.end():]
    return "", piece


def make_cell(piece: str, header: bool) -> Cell:
    """A cell from its source piece (`attributes | content` or just content)."""
    if "|" not in piece:
        return content_cell(piece, header)
    text = lone_link_render(piece)  # `[[Link|Label]]`: its only pipe is the link's
    if text is not None:
        raw = piece.strip()
        return new_cell(text, raw if raw != text else None, {}, header, 1, 1)
    attributes, content = split_attributes(piece)
    return content_cell(content, header, attributes)


def content_cell(content: str, header: bool = False, attributes: str = "") -> Cell:
    found: tuple[tuple[str, str], ...] = ()
    if not has_markup(content):  # plain text: most cells
        text = clean_text(content)
        if not attributes:
            raw = content.strip()
            return new_cell(text, raw if raw != text else None, {}, header, 1, 1)
    elif len(content) <= MAX_CACHED:
        text, found = rendered_cell(content)
    else:
        rendered = fast_render(content, keep_unknown=True)
        text, found = rendered.text, tuple(rendered.hints.items())
    hints = dict(found) if found else {}  # the cell's own: nested_table is added later
    rowspan = colspan = 1
    if attributes:
        rowspan, colspan, found_hints = (read_attributes(attributes)
                                         if len(attributes) <= MAX_CACHED else
                                         read_attributes.__wrapped__(attributes))
        for key, value in found_hints:  # what the content says comes first
            hints.setdefault(key, value)
    raw = content.strip()
    return new_cell(text, raw if raw != text else None, hints, header, rowspan, colspan)


MAX_CACHED = 300  # longer cells are rendered each time: a cache must not hold hostile sizes


@lru_cache(maxsize=2048)
def read_attributes(attributes: str) -> tuple[int, int, tuple[tuple[str, str], ...]]:
    """Rowspan, colspan and the colour hints (in the order they apply) of a cell's attributes.
    Cached: a table repeats its cells' attributes (`align=right`, a party's background)."""
    spans = {name.lower(): int(value) for name, value in _SPAN.findall(attributes)}
    rowspan = min(max(spans.get("rowspan", 1), 1), MAX_SPAN)
    colspan = min(max(spans.get("colspan", 1), 1), MAX_SPAN)
    found = []
    colour = _BACKGROUND.search(attributes)
    if colour:
        found.append(("colour", colour.group(1).lower()))
    if "{{" in attributes:
        for key, value in fast_render(attributes).hints.items():
            if key in ("colour", "colour_party"):
                found.append((key, value))
    return rowspan, colspan, tuple(found)


@lru_cache(maxsize=8192)
def rendered_cell(content: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A cell's text and hints, cached: tables repeat cells (flags, party names, dashes).
    Kept as tuples of strings, which the garbage collector stops tracking: a full cache does
    not slow every collection of the run."""
    text = lone_link_render(content)
    if text is not None:  # `''[[Film]]''`: no renderer needed
        return text, ()
    rendered = fast_render_marked(content, True)  # content_cell found markup in it
    return rendered.text, tuple(rendered.hints.items())


@dataclass
class _Builder:
    """State of one table while its lines are read."""

    line: int
    rows: list[Row] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # raw pieces of the current row
    pending_header: list[bool] = field(default_factory=list)
    pending_nested: dict[int, int] = field(default_factory=dict)  # piece → nested table
    row_line: int | None = None
    caption: str | None = None
    in_caption: bool = False

    def add_pieces(self, pieces: list[str], header: bool, line: int) -> None:
        if self.row_line is None:
            self.row_line = line
        self.pending += pieces
        if len(pieces) == 1:
            self.pending_header.append(header)
        else:
            self.pending_header += [header] * len(pieces)
        self.in_caption = False

    def continue_piece(self, text: str) -> None:
        if self.in_caption and self.caption is not None:
            self.caption += "\n" + text
        elif self.pending:
            self.pending[-1] += "\n" + text

    def end_row(self, next_line: int | None) -> None:
        if self.pending:
            cells = list(map(make_cell, self.pending, self.pending_header))
            for piece, nested in self.pending_nested.items():
                cells[piece].hints["nested_table"] = str(nested)
            self.rows.append(new_row(cells, self.row_line or self.line))
            self.pending, self.pending_header = [], []
            if self.pending_nested:
                self.pending_nested = {}
        self.row_line = next_line
        self.in_caption = False


MAX_TABLE_DEPTH = 16  # tables nested deeper are kept as cell text


def read_table(lines: list[tuple[int, str]], section: int = 0,
               depth: int = 0) -> tuple[list[Table], list[Problem]]:
    """Read one table from its lines (line number, text), the first being `{|`.

    Returns the table followed by any tables nested in its cells (each nested table is also
    noted in its host cell's hints as `nested_table`, an index relative to this list), and the
    problems met (an unclosed table is an `error`: its last rows may be incomplete).
    """
    tables: list[Table] = [Table(rows=[], line=lines[0][0], end_line=lines[-1][0],
                                 section=section, kind="wikitable")]
    problems: list[Problem] = []
    builder = _Builder(line=lines[0][0])
    closed = False
    index, count = 1, len(lines)
    while index < count:
        number, text = lines[index]
        stripped = text.lstrip()
        first = stripped[:1]  # the markup is told by its first one or two characters
        if first == "|":
            second = stripped[1:2]
            if second == "}":
                closed = True
                tables[0].end_line = number
                break
            if second == "-":
                builder.end_row(number)
            elif second == "+":
                builder.caption = split_attributes(stripped[2:])[1].strip()
                builder.in_caption = True
            else:
                cells = stripped[1:]
                builder.add_pieces([cells] if "||" not in cells else
                                   split_outside(cells, _CELL_SEPARATORS), False, number)
        elif first == "!":
            cells = stripped[1:]
            builder.add_pieces([cells] if "!!" not in cells and "||" not in cells else
                               split_outside(cells, _HEADER_SEPARATORS), True, number)
        elif first == "{" and stripped.startswith("{|"):
            end = _matching_end(lines, index)
            if depth >= MAX_TABLE_DEPTH:
                problems.append(Problem(code="TABLE_TOO_DEEP", line=number,
                                        message=f"tables nested over {MAX_TABLE_DEPTH} deep "
                                                "are kept as cell text"))
                for _, nested_text in lines[index:end + 1]:
                    builder.continue_piece(nested_text)
            else:
                nested, nested_problems = read_table(lines[index:end + 1], section, depth + 1)
                _note_nested(builder, len(tables))
                tables += nested
                problems += nested_problems
            index = end + 1
            continue
        else:
            builder.continue_piece(text)
        index += 1
    builder.end_row(None)
    tables[0].rows = builder.rows
    tables[0].caption = fast_render(builder.caption).text if builder.caption else None
    if not closed:
        problems.append(Problem(code="TABLE_UNCLOSED", line=lines[0][0], severity="error",
                                message="table has no closing |}; read to the end of its section"))
    return tables, problems


_CELL_SEPARATORS = ("||",)
_HEADER_SEPARATORS = ("!!", "||")


def _note_nested(builder: _Builder, relative_index: int) -> None:
    if builder.pending:
        builder.pending_nested[len(builder.pending) - 1] = relative_index


def _matching_end(lines: list[tuple[int, str]], start: int) -> int:
    depth = 0
    for index in range(start, len(lines)):
        stripped = lines[index][1].lstrip()
        if stripped.startswith("{|"):
            depth += 1
        elif stripped.startswith("|}"):
            depth -= 1
            if depth == 0:
                return index
    return len(lines) - 1


def expand_spans(table: Table) -> list[list[Cell]]:
    """The table on the HTML grid: a cell with rowspan/colspan fills every slot it covers (the
    same Cell object repeated), rows are padded to the table's width with empty filler cells
    (`hints={"filler": "1"}`), and a rowspan reaching past the last row is clipped."""
    grid: list[list[Cell | None]] = [[] for _ in table.rows]
    for r, row in enumerate(table.rows):
        col = 0
        for cell in row.cells:
            while col < len(grid[r]) and grid[r][col] is not None:
                col += 1
            for dr in range(min(cell.rowspan, len(table.rows) - r)):
                target = grid[r + dr]
                if len(target) < col + cell.colspan:
                    target.extend([None] * (col + cell.colspan - len(target)))
                for dc in range(cell.colspan):
                    if target[col + dc] is None:
                        target[col + dc] = cell
            col += cell.colspan
    width = max((len(row) for row in grid), default=0)
    return [[c if c is not None else Cell(text="", hints={"filler": "1"})
             for c in row + [None] * (width - len(row))] for row in grid]


# --- results templates -----------------------------------------------------------------------

_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def results_table(call: Call, line: int, end_line: int, section: int = 0) -> Table | None:
    """`{{Election results|party1=..|votes1=..}}`: numbered parameters become rows, their base
    names the header row. None when the template has no numbered parameters."""
    columns: list[str] = []
    rows: dict[int, dict[str, str]] = {}
    for key, raw in call.raw_named.items():
        m = _NUMBERED.match(key)
        if not m or not m.group(1):
            continue
        base, number = m.group(1).rstrip("_"), int(m.group(2))
        if base not in columns:
            columns.append(base)
        rows.setdefault(number, {})[base] = raw
    if not rows:
        return None
    header = Row(cells=[Cell(text=c, header=True) for c in columns], line=line)
    body = [Row(cells=[_template_cell(rows[n].get(c, "")) for c in columns], line=line)
            for n in sorted(rows)]
    caption = call.get("title", "caption") or None
    return Table(rows=[header, *body], line=line, end_line=end_line, section=section,
                 caption=caption, kind=call.name)


ELECTION_BOX_COLUMNS = ("kind", "party", "candidate", "votes", "percentage", "change")


def election_box_table(calls: list[tuple[Call, int]], end_line: int, section: int = 0) -> Table:
    """`{{Election box begin}}` … `{{Election box candidate}}` … `{{Election box end}}`: one
    row per template between begin and end, with the kind (candidate, majority, turnout…)."""
    begin, line = calls[0]
    header = Row(cells=[Cell(text=c, header=True) for c in ELECTION_BOX_COLUMNS], line=line)
    rows = [header]
    for call, call_line in calls[1:]:
        kind = call.name.removeprefix("election box").strip()
        if kind in ("end", ""):
            continue
        cells = [Cell(text=kind)] + [_template_cell(call.raw_named.get(c, ""))
                                     for c in ELECTION_BOX_COLUMNS[1:]]
        rows.append(Row(cells=cells, line=call_line))
    return Table(rows=rows, line=line, end_line=end_line, section=section,
                 caption=begin.get("title") or None, kind="election box")


def _template_cell(raw: str) -> Cell:
    return content_cell(raw) if raw else Cell(text="")


def is_results_template(name: str) -> bool:
    name = normalise_name(name)
    return name.startswith(("election results", "election box begin", "legislative election",
                            "election table"))
