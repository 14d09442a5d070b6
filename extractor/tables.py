"""Tables: span expansion, header detection, column alignment and column typing.

`type_table(table, number, section)` turns one raw `Table` into a `TypedTable`: a rectangular
grid (rowspan/colspan copied into every slot they cover), the header rows found, one name per
column, each cell typed with `parse_value` using its column name as key context, and each
column's dominant kind.

The flat format flattens a header cell spanning several columns into one cell, so its labels
drift left of their data (a `Name` over swatch, short name and full name becomes one `Name`
followed by the next label). Alignment is decided by evidence, not by a rule for a known table:
every way of giving each label a run of consecutive columns is scored by how well the label fits
its column's values (types, empty columns) and how much the extra columns of a run resemble its
main column; the best scoring reading replaces the naive one when it is clearly better.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.gcpause import gc_paused
from extractor.keys import canonical_key
from extractor.model import Cell, Table
from extractor.schemas.records import TypedTable
from extractor.templates import lone_file_name
from extractor.values import TypedValue, missing_value, parse_value

# Flags (stable codes).
RAGGED = "ragged"
REALIGNED = "realigned"
NO_HEADER = "no_header"
MULTI_ROW_HEADER = "multi_row_header"
SUB_HEADER_ROWS = "sub_header_rows"
SPANS_CLIPPED = "spans_clipped"
MISSING_CELL = "missing_cell"

_MAX_SPAN = 100  # colspan/rowspan beyond this is a markup error, not a table
_NUMERIC = {"integer", "decimal", "percent", "pp", "change", "seats_of", "compound"}
_UNTYPED = {"text", "empty", "list", "file", "new"}


@dataclass(slots=True, init=False)
class _Slot:
    cell: Cell | None  # None: no source cell covers this slot (ragged row)
    origin: tuple[int, int]  # grid position of the source cell's top-left slot

    # (a written-out __init__: the one dataclasses generates runs interpreted in a compiled build)
    def __init__(self, cell: Cell | None, origin: tuple[int, int]) -> None:
        self.cell, self.origin = cell, origin


def expand_grid(table: Table) -> tuple[list[list[_Slot]], list[str]]:
    """Place every cell on a rectangular grid, copying spans into the slots they cover."""
    if not _has_spans(table):
        return _unspanned_grid(table)
    return _spanned_grid(table)


def _spanned_grid(table: Table) -> tuple[list[list[_Slot]], list[str]]:
    flags: list[str] = []
    n_rows = len(table.rows)
    # placed[r][c]: the slot a cell placed there, None for a hole; the first cell to reach a
    # slot keeps it (overlapping spans), and each row is as wide as its last placed slot
    placed: list[list[_Slot | None]] = [[] for _ in range(n_rows)]
    for r, row in enumerate(table.rows):
        line = placed[r]
        c = 0
        for cell in row.cells:
            while c < len(line) and line[c] is not None:
                c += 1
            rowspan, colspan = _spans_of(cell)
            rowspan = n_rows - r if rowspan == 0 else max(1, rowspan)  # 0: to the end
            colspan = max(1, colspan)
            if rowspan > _MAX_SPAN or colspan > _MAX_SPAN:
                flags.append(SPANS_CLIPPED)
                rowspan, colspan = min(rowspan, _MAX_SPAN), min(colspan, _MAX_SPAN)
            rowspan = max(1, min(rowspan, n_rows - r))
            slot = _Slot(cell, (r, c))  # one for every slot it covers: slots are never edited
            end = c + colspan
            for target in placed[r:r + rowspan]:
                if len(target) < end:
                    target.extend([None] * (end - len(target)))
                for at in range(c, end):
                    if target[at] is None:
                        target[at] = slot
            c = end
    widths = [len(line) for line in placed]
    width = max(widths, default=0)
    if len(set(widths)) > 1:
        flags.append(RAGGED)
    grid = [[_filled(line, r, c) for c in range(width)] for r, line in enumerate(placed)]
    return grid, sorted(set(flags))


def _filled(line: list[_Slot | None], r: int, c: int) -> _Slot:
    slot = line[c] if c < len(line) else None
    return slot if slot is not None else _Slot(None, (r, c))  # a hole: no cell covers it


def _has_spans(table: Table) -> bool:
    return not all(_spans_one(cell) for row in table.rows for cell in row.cells)


def _spans_of(cell: Cell | None) -> tuple[int, int]:
    """(rowspan, colspan) of the cell of a slot; (1, 1) for a hole."""
    if cell is None:
        return 1, 1
    fields = cell.__dict__  # (see `_spans_one`)
    return fields["rowspan"], fields["colspan"]


def _spans_one(cell: Cell) -> bool:
    """Whether `cell` spans one row and one column. Its fields are read from its `__dict__`,
    here and in the typing below, the per-cell paths: each attribute of a pydantic model is a
    lookup through its class's `__getattr__` hook, several times the cost of a dict's item."""
    fields = cell.__dict__
    return fields["rowspan"] == 1 and fields["colspan"] == 1


def _unspanned_grid(table: Table) -> tuple[list[list[_Slot]], list[str]]:
    """`expand_grid` for a table without spans (most): each cell in its own slot, short rows
    padded with empty slots."""
    widths = [len(row.cells) for row in table.rows]
    width = max(widths, default=0)
    grid = [[_Slot(cell, (r, c)) for c, cell in enumerate(row.cells)]
            + [_Slot(None, (r, c)) for c in range(len(row.cells), width)]
            for r, row in enumerate(table.rows)]
    return grid, [RAGGED] if len(set(widths)) > 1 else []


def type_table(table: Table, number: int, section: str = "") -> TypedTable:
    """Type one table: `number` is its index in the article, `section` its section's title."""
    slots = sum(len(row.cells) for row in table.rows)
    with gc_paused(4 * slots):  # a slot, a typed value, its dict and flags for each cell
        return _type_table(table, number, section)


def _type_table(table: Table, number: int, section: str) -> TypedTable:
    spanned = _has_spans(table)
    grid, flags = _spanned_grid(table) if spanned else _unspanned_grid(table)
    width = len(grid[0]) if grid else 0
    flat = table.kind == "table"
    typed: dict[tuple, TypedValue] = {}  # each distinct cell typed once per key
    header_rows, header_marks = _detect_header(grid, flat, typed)
    label_rows = [r for r in range(header_rows) if not _title_row(grid[r])]
    labels = _header_labels(grid, label_rows, width)
    if not any(labels):
        flags.append(NO_HEADER)
    elif len(label_rows) > 1:
        flags.append(MULTI_ROW_HEADER)
    if any(header_marks[header_rows:]):
        flags.append(SUB_HEADER_ROWS)
    values = _type_grid(grid, header_marks, [column_key(label) for label in labels], typed)
    body = [r for r in range(len(grid)) if not header_marks[r]]
    columns = _naive_names(labels)
    if flat and header_rows == 1:
        realigned = _realign(labels, values, body, width)
        if realigned is not None:
            columns = realigned
            flags.append(REALIGNED)
            _retype(grid, values, body, columns, labels)
    columns = _unique(columns)
    kinds = [_dominant_kind([values[r][c] for r in body]) for c in range(width)]
    # Rows that read alike share one list (nothing edits a typed table's lists).
    unnamed, names = [""] * width, list(columns)
    all_header, no_header = [True] * width, [False] * width
    no_spans = [(1, 1)] * width
    return TypedTable.model_construct(
        table=number, columns=columns, column_kinds=kinds, header_rows=header_rows,
        flags=sorted(set(flags)), cells=values,
        cell_columns=[unnamed if mark else names for mark in header_marks],
        section=section, caption=table.caption, kind=table.kind, line=table.line,
        row_lines=[row.line for row in table.rows],
        # the flat parser marks its first row header by convention; the evidence decides here
        header_cells=[all_header if header_marks[r] else no_header if flat else
                      [s.cell is not None and s.cell.__dict__["header"] for s in row]
                      for r, row in enumerate(grid)],
        spans=[[_spans_of(s.cell) for s in row] for row in grid] if spanned
        else [no_spans] * len(grid),
        n_rows=len(body))


# --- typing -------------------------------------------------------------------------------

def _type_cell(cell: Cell | None, key: str | None) -> TypedValue:
    if cell is None:
        return missing_value(MISSING_CELL)
    fields = cell.__dict__
    raw, text, hints = fields["raw"], fields["text"], fields["hints"]
    if raw is not None:
        text = text or lone_file_name(raw) or text  # an image: its file name
        return parse_value(raw, key, text=text, hints=hints or None)
    return parse_value(text, key, hints=hints or None)


def _type_grid(grid: list[list[_Slot]], header_marks: list[bool], keys: list[str | None],
               typed: dict[tuple, TypedValue]) -> list[list[TypedValue]]:
    """Type each source cell once (slots a span covers share the value typed at the span's
    first slot), and each distinct cell once: cells of a table that repeat (`–`, a party name,
    a number) under the same column key share one typed value. Sharing is safe: nothing after
    typing edits a table's values."""
    done: dict[tuple[int, int], TypedValue] = {}
    out = []
    for r, row in enumerate(grid):
        typed_row = []
        row_keys = [None] * len(row) if header_marks[r] else keys
        for c, slot in enumerate(row):
            cell = slot.cell
            if cell is None:
                value = missing_value(MISSING_CELL)
            elif _spans_one(cell):  # in this slot only
                value = _type_once(typed, cell, row_keys[c])
            elif slot.origin in done:
                value = done[slot.origin]
            else:
                value = done[slot.origin] = _type_once(typed, cell, row_keys[c])
            typed_row.append(value)
        out.append(typed_row)
    return out


def _type_once(typed: dict[tuple, TypedValue], cell: Cell, key: str | None) -> TypedValue:
    """`_type_cell`, remembered in `typed` by all that typing reads: text, raw, hints, key."""
    fields = cell.__dict__
    hints, text, raw = fields["hints"], fields["text"], fields["raw"]
    same = (text, raw, key, *hints.items()) if hints else (text, raw, key)
    value = typed.get(same)
    if value is None:
        value = typed[same] = _type_cell(cell, key)
    return value


def _type_slot(typed: dict[tuple, TypedValue], slot: _Slot) -> TypedValue:
    """A slot's cell typed without a key (what a header row's cells get)."""
    return missing_value(MISSING_CELL) if slot.cell is None else _type_once(typed, slot.cell,
                                                                            None)


def _retype(grid, values, body, columns, labels) -> None:
    """Type again the body cells of columns whose name changed with the realignment."""
    for c, name in enumerate(columns):
        if c < len(labels) and name == labels[c]:
            continue
        key = column_key(name)
        for r in body:
            values[r][c] = _type_cell(grid[r][c].cell, key)


_SIGN_LABEL = re.compile(r"^[+\-−–±∆Δ/ ]+$")


def column_key(label: str) -> str | None:
    """The key context a column gives its cells: its canonical name, except that a sign-only
    label (`+/−`, `±`) means a change and `%` a percentage (its last header level decides)."""
    last = label.rsplit(" / ", 1)[-1].strip()
    if last and _SIGN_LABEL.match(last) and any(ch in last for ch in "+±∆Δ"):
        return "change"
    if last == "%":
        return "percentage"
    return canonical_key(label)[0] or None


def _dominant_kind(cells: list[TypedValue]) -> str:
    """The commonest kind of the non-empty cells, the first seen among equals (what
    `Counter.most_common(1)` gives, counted with a dict: `Counter` runs as interpreted Python)."""
    counts: dict[str, int] = {}
    for value in cells:
        kind = value.kind
        if kind != "empty":
            counts[kind] = counts.get(kind, 0) + 1
    dominant, most = "empty", 0
    for kind, count in counts.items():
        if count > most:
            dominant, most = kind, count
    return dominant


# --- header -------------------------------------------------------------------------------

def _detect_header(grid: list[list[_Slot]], flat: bool,
                   typed: dict[tuple, TypedValue]) -> tuple[int, list[bool]]:
    """Number of leading header rows, and for every row whether it is a header row."""
    marks = [_all_header(row) for row in grid]
    if not flat:
        # A title row (one cell across the table) may open a wikitable above its header.
        start = 0
        while start < len(grid) and _title_row(grid[start]):
            start += 1
        if 0 < start < len(grid) and marks[start]:
            marks[:start] = [True] * start
    if flat or not any(marks):
        # The flat parser marks its first row as header by convention; wikitables without
        # `!` cells may still open with a label row. Decide both from the values.
        marks = [False] * len(grid)
        if grid and _looks_like_header(grid, typed):
            marks[0] = True
    leading = 0
    while leading < len(marks) and marks[leading]:
        leading += 1
    return leading, marks


def _title_row(row: list[_Slot]) -> bool:
    """One source cell across the whole row: a title or a section divider, not labels."""
    if len(row) < 2 or any(s.cell is None for s in row):
        return False
    return len({s.origin for s in row}) == 1


def _all_header(row: list[_Slot]) -> bool:
    cells = [s.cell for s in row if s.cell is not None]
    return bool(cells) and all(c.header for c in cells)


def _looks_like_header(grid: list[list[_Slot]], typed: dict[tuple, TypedValue]) -> bool:
    """A first row of labels: text where the rows below hold numbers or dates."""
    first = [_type_slot(typed, s) for s in grid[0]]
    if not any(v.kind != "empty" for v in first):
        return False
    if len(grid) == 1:
        return all(v.kind in _UNTYPED for v in first)
    score = 0
    for c, head in enumerate(first):
        below = _dominant_kind([_type_slot(typed, row[c]) for row in grid[1:]])
        if below in _UNTYPED or head.kind == "empty":
            continue
        score += 1 if head.kind in _UNTYPED else -1
    return score >= 0


def _header_labels(grid: list[list[_Slot]], label_rows: list[int], width: int) -> list[str]:
    """One label per column: the distinct texts of its header cells, top to bottom."""
    labels = []
    for c in range(width):
        parts: list[str] = []
        for r in label_rows:
            cell = grid[r][c].cell
            text = _clean(cell.text) if cell is not None else ""
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        labels.append(" / ".join(parts))
    return labels


def _clean(text: str) -> str:
    return " ".join(text.split())


def _naive_names(labels: list[str]) -> list[str]:
    return [label or f"col_{c}" for c, label in enumerate(labels)]


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        count = seen[name] = seen.get(name, 0) + 1
        out.append(name if count == 1 else f"{name}_{count}")
    return out


# --- alignment ----------------------------------------------------------------------------

_EXPECT = [
    ("date", re.compile(r"\bdate\b|\bborn\b|\bdied\b|\bfounded\b|\bestablished\b|\bregistered\b"),
     {"date"}),
    ("percent", re.compile(r"%|\bpercent|\bshare\b|\bturnout\b"), {"percent", "decimal"}),
    ("year", re.compile(r"^(year|season)s?$"), {"date", "integer"}),
    ("count", re.compile(r"\bno\.? of\b|\bnumber of\b|\bvotes\b|\bseats\b|\bcandidates\b|"
                         r"\bmembers\b|\bpopulation\b|\btotal\b|^(no\.?|#|n°|rank)$"),
     {"integer", "decimal", "seats_of", "compound", "change"}),
]


@dataclass(slots=True)
class _Column:
    kind: str  # dominant kind of the body cells
    empty: bool
    texts: list[str]
    mean_len: float


def _expected(label: str) -> set[str] | None:
    low = label.lower()
    for _name, pattern, kinds in _EXPECT:
        if pattern.search(low):
            return kinds
    return None


def _fit(label: str, column: _Column) -> float:
    """How well a label names a column, from the column's values alone."""
    if column.empty:
        return -4.0
    expected = _expected(label)
    if expected is None:
        return 0.0 if column.kind in _NUMERIC or column.kind == "date" else 1.0
    if column.kind in expected:
        return 3.0
    return -3.0 if column.kind in _UNTYPED else -1.0


def _similarity(a: _Column, b: _Column) -> float:
    """Share of rows where two columns say the same thing (case-folded, or one abbreviates the
    other): a short-name column beside a full-name column."""
    pairs = [(x, y) for x, y in zip(a.texts, b.texts, strict=True) if x or y]
    if not pairs:
        return 0.0
    same = sum(1 for x, y in pairs if x and y and _same_name(x, y))
    return same / len(pairs)


def _same_name(x: str, y: str) -> bool:
    fx, fy = x.casefold(), y.casefold()
    if fx == fy or fx.startswith(fy) or fy.startswith(fx):
        return True
    short, long_ = (x, y) if len(x) < len(y) else (y, x)
    initials = "".join(w[0] for w in re.findall(r"\w+", long_)).casefold()
    return len(short) >= 2 and short.isupper() and initials.startswith(short.casefold())


def _columns(values: list[list[TypedValue]], body: list[int], width: int) -> list[_Column]:
    columns = []
    for c in range(width):
        cells = [values[r][c] for r in body]
        texts = [(v.text or "").strip() for v in cells]
        filled = [t for t in texts if t]
        columns.append(_Column(kind=_dominant_kind(cells), empty=not filled, texts=texts,
                               mean_len=sum(map(len, filled)) / len(filled) if filled else 0.0))
    return columns


_UNLABELED_FILLED = -2.0  # a column with values but no label
_MAX_RUN = 4  # columns one flattened label may have spanned


def _realign(labels: list[str], values: list[list[TypedValue]], body: list[int],
             width: int) -> list[str] | None:
    """Column names from the best reading of the labels over the columns, or None when the
    labels already sit over their columns as well as any other reading would place them."""
    named = [label for label in labels if label]
    if not named or not body or len(named) > width:
        return None
    columns = _columns(values, body, width)
    as_written = sum(_fit(label, columns[c]) if label else
                     (0.0 if columns[c].empty else _UNLABELED_FILLED)
                     for c, label in enumerate(labels))
    best = _best_runs(named, columns)
    if best is None or best[0] <= as_written + 1.0:
        return None
    return _names_from_runs(named, best[1], columns)


def _run_score(label: str, columns: list[_Column], start: int, end: int) -> tuple[float, int]:
    """Score of one label over columns[start:end], and the column it names (the best fitting
    non-empty one, the longest texts breaking ties: a full name over its short form)."""
    candidates = range(start, end)
    main = max(candidates, key=lambda c: (_fit(label, columns[c]), columns[c].mean_len))
    score = _fit(label, columns[main])
    for c in candidates:
        if c == main:
            continue
        if columns[c].empty:
            score += 0.0 if c < main else -0.5  # a swatch precedes the name it colours
        else:
            # an unrelated extra costs more than leaving the column unlabeled
            score -= 0.25 + 2.0 * (1.0 - _similarity(columns[c], columns[main]))
    return score, main


# (start, end, main column) of each label's run of columns
Runs = tuple[tuple[int, int, int], ...]


def _best_runs(named: list[str], columns: list[_Column]) -> tuple[float, Runs] | None:
    """Dynamic programme over (labels placed, columns used): each label takes a run of 1 to
    _MAX_RUN consecutive columns; columns after the last run are unlabeled."""
    width = len(columns)
    neg = float("-inf")  # unreachable: such a cell's runs are never read
    best: list[list[tuple[float, Runs]]] = [
        [(neg, ())] * (width + 1) for _ in range(len(named) + 1)
    ]
    best[0][0] = (0.0, ())
    for g, label in enumerate(named):
        for start in range(width):
            score, runs = best[g][start]
            if score == neg:
                continue
            for end in range(start + 1, min(width, start + _MAX_RUN) + 1):
                gain, main = _run_score(label, columns, start, end)
                if score + gain > best[g + 1][end][0]:
                    best[g + 1][end] = (score + gain, runs + ((start, end, main),))
    finals = []
    for end in range(width + 1):
        score, runs = best[len(named)][end]
        if score == neg:
            continue
        tail = sum(0.0 if col.empty else _UNLABELED_FILLED for col in columns[end:])
        finals.append((score + tail, runs))
    return max(finals, key=lambda item: item[0]) if finals else None


def _names_from_runs(named: list[str], runs: Runs, columns: list[_Column]) -> list[str]:
    names = [f"col_{c}" for c in range(len(columns))]
    for label, (start, end, main) in zip(named, runs, strict=True):
        names[main] = label
        stem = _snake(label)
        for c in range(start, end):
            if c == main:
                continue
            names[c] = f"{stem}_{_extra_role(columns[c], columns[main], c)}"
    return names


def _extra_role(extra: _Column, main: _Column, c: int) -> str:
    if extra.empty or extra.kind == "colour":
        return "swatch"
    if extra.mean_len < main.mean_len:
        return "short"
    return f"col_{c}"


def _snake(label: str) -> str:
    return re.sub(r"\W+", "_", label.casefold()).strip("_") or "col"
