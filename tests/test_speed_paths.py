"""The fast paths of the hot loops agree with the plain algorithms they replace."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.model import Cell, Row
from extractor.parse.wikitext import (
    LineIndex,
    infobox_spans,
    is_infobox_name,
    logical_lines,
    mask_opaque,
    outermost,
    template_spans,
)
from extractor.unvalidated import new_cell, new_row

from .conftest import HEADING, UNSAFE_SOURCE

_BRACES = re.compile(r"\{\{|\}\}")


def plain_pairs(masked: str) -> tuple[list[tuple[int, int]], list[int]]:
    """One scan for either token, one stack: the reference for `template_spans`."""
    stack: list[int] = []
    pairs = []
    for match in _BRACES.finditer(masked):
        if match.group() == "{{":
            stack.append(match.start())
        elif stack:
            pairs.append((stack.pop(), match.end()))
    return sorted(pairs), stack


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="{}|ab \n<", max_size=60))
def test_brace_pairs_match_one_scan_with_a_stack(text):
    unclosed: list[int] = []
    spans = template_spans(text, unclosed)
    pairs, stack = plain_pairs(text)
    assert [(s.start, s.end) for s in spans] == pairs
    assert unclosed == stack
    names = [re.match(r"\{\{\s*([^|{}<>\[\]]{0,120})", text[start:]) for start, _ in pairs]
    assert [s.name for s in spans] == [m.group(1).strip() if m else "" for m in names]


def plain_logical_lines(text: str, masked: str, spans) -> list[tuple]:
    """From each line, the end pushed to the end of the line where a span opened before it
    closes, until no span does: the reference for `logical_lines`."""
    starts = LineIndex(text).starts
    out = []
    i = 0
    while i < len(starts):
        end = _line_end(text, starts[i])
        changed = True
        while changed:
            changed = False
            for span in spans:
                if starts[i] <= span.start <= end < span.end:
                    end = _line_end(text, span.end - 1)
                    changed = True
        j = text.count("\n", 0, end)
        out.append((i + 1, j + 1, text[starts[i]:end], masked[starts[i]:end], starts[i]))
        i = j + 1
    return out


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end < 0 else end


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="{}ab\n<!->", max_size=80))
def test_logical_lines_join_what_spans_cross(text):
    masked = mask_opaque(text)
    top = outermost(template_spans(masked))
    got = [(ln.number, ln.end, ln.text, ln.masked, ln.start)
           for ln in logical_lines(text, masked, top)]
    assert got == plain_logical_lines(text, masked, top)


def test_unvalidated_cells_and_rows_equal_validated_ones():
    cell = new_cell("a", "''a''", {"k": "v"}, True, 2, 1)
    assert cell == Cell(text="a", raw="''a''", hints={"k": "v"}, header=True, rowspan=2)
    assert cell.model_dump() == Cell.model_validate(cell.model_dump()).model_dump()
    row = new_row([cell], 7)
    assert row == Row(cells=[cell], line=7)
    copy = cell.model_copy(update={"text": "b"})
    assert (copy.text, cell.text) == ("b", "a")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab\n", max_size=40), st.lists(st.integers(-2, 45), max_size=12))
def test_lazy_line_index_agrees_with_the_table(text, offsets):
    lazy, table = LineIndex(text), LineIndex(text)
    table.starts  # noqa: B018 - built first: every answer from the table
    for n, offset in enumerate(offsets):
        if n == len(offsets) // 2:
            lazy.starts  # noqa: B018 - built midway: answers before counted, after looked up
        assert lazy.line(offset) == table.line(offset)


_FRAGMENTS = ["{{", "}}", "{", "}", "|", "Infobox", "infobox", " settlement", "Taxobox", "x",
              "\n", "[", "<", "ficha de", "Ficha_de", " ", "Template:", "信息框", "=", "a" * 50]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=30).map("".join))
def test_infobox_spans_read_only_candidate_names_but_find_the_same(text):
    spans = template_spans(text)
    plain = outermost([s for s in spans if is_infobox_name(s.name)])
    assert [(s.start, s.end) for s in infobox_spans(spans)] == [(s.start, s.end) for s in plain]


def test_cell_rows_read_like_dicts_and_convert_like_them():
    import pickle

    from extractor.schemas.registry import CELL_COLUMNS, CellRow
    from extractor.sinks import to_arrow

    values = ("d#1", 0, 1, 2, "name", False, 7, 1, 1, "[[A]]", "A", "text", None, None, None,
              None, None, "untyped", None)
    row = CellRow(values)
    as_dict = dict(zip(CELL_COLUMNS, values, strict=True))
    assert (row["text"], row.get("header"), row.get("missing", "x")) == ("A", False, "x")
    assert row == as_dict and as_dict == row and dict(row) == as_dict and set(row) == set(as_dict)
    assert pickle.loads(pickle.dumps(row)) == row
    mixed = to_arrow("table_cells", [row, as_dict, {"doc_id": "d#2"}])
    assert mixed.to_pylist() == [as_dict, as_dict,
                                 {name: ("d#2" if name == "doc_id" else None)
                                  for name in CELL_COLUMNS}]
    assert to_arrow("table_cells", [as_dict]).equals(to_arrow("table_cells", [row]))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="[]|'&;#ltab:/ \n\ue000\ue0011Fil", max_size=40))
def test_fast_render_without_templates_or_tags_skips_the_renderer(text):
    from extractor.templates import _MARKUP, fast_render

    if "{{" in text or not _MARKUP.search(text):  # text without markup has its own early return
        return
    short = fast_render(text, keep_unknown=True)
    full = fast_render(text + "<!---->", keep_unknown=True)  # a comment: the renderer's path
    assert (short.text, short.hints, short.unknown) == (full.text, full.hints, full.unknown)


def test_gc_paused_only_for_bulk_and_always_restored():
    import gc

    from extractor.gcpause import BULK_OBJECTS, gc_paused

    assert gc.isenabled()
    with gc_paused(10):
        assert gc.isenabled()
    try:
        with gc_paused(BULK_OBJECTS):
            assert not gc.isenabled()
            raise ValueError
    except ValueError:
        pass
    assert gc.isenabled()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
def test_ascii_keys_take_the_short_path_to_the_same_words(raw):
    from extractor.keys import _unicode_words, _words

    assert _words(raw) == _unicode_words(raw)


_CELL_TEXT = st.text(alphabet="[]{}|!ab =", max_size=30)


@settings(max_examples=500, deadline=None)
@given(_CELL_TEXT)
def test_cell_splits_agree_with_the_bracket_scan(text):
    from extractor.parse.wikitables import (
        split_attributes,
        split_attributes_scan,
        split_outside,
        split_outside_scan,
    )

    for separators in (("||",), ("!!", "||")):
        assert split_outside(text, separators) == split_outside_scan(text, separators)
    assert split_attributes(text) == split_attributes_scan(text)


_BODY_FRAGMENTS = ["\n", "{|", "|}", "|-", "| a", "! b", "||", "== H ==", "{{x|", "}}", ":",
                   " ", "text", "{{Election box begin}}", "{{Election box end}}", "<ref>",
                   "</ref>", "*", "=", "{", "<!--", "-->", "{{Election results|party1=A}}"]


def plain_table_lines(lines, i: int) -> tuple[list[tuple[int, str]], int, bool]:
    """A table's lines read from line objects: the reference for `PageLines.table_lines`."""
    depth, j, closed = 0, i, False
    while j < len(lines):
        masked = lines[j].masked.lstrip()
        if j == i:
            masked = masked.lstrip(":")
        if masked.startswith("{|"):
            depth += 1
        elif masked.startswith("|}"):
            depth -= 1
            if depth == 0:
                closed = True
                break
        elif j > i and HEADING.match(masked.strip()):
            j -= 1
            break
        j += 1
    j = min(j, len(lines) - 1)
    return [(line.number, line.text) for line in lines[i:j + 1]], j, closed


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_BODY_FRAGMENTS), max_size=40).map("".join))
def test_reading_only_block_lines_reads_what_reading_every_line_reads(text):
    from extractor.model import Article
    from extractor.parse.wikitext import BodyReader

    masked = mask_opaque(text)
    top = outermost(template_spans(masked))
    lines = logical_lines(text, masked, top)
    assert lines.block_starts() == [k for k, line in enumerate(lines)
                                    if line.masked.strip()[:1] in ("{", "=", ":")]
    for start in range(len(lines)):
        assert lines.table_lines(start) == plain_table_lines(lines, start)
    articles = []
    for every_line in (False, True):
        article = Article(doc_id="d", title="t", source="s", format="wikitext")
        reader = BodyReader(article, top, prose=False)
        if every_line:
            i = 0
            while i < len(lines):
                i = reader.read_one(lines, i)
        else:
            reader.read(lines)
        articles.append(article.model_dump())
    assert articles[0] == articles[1]


def plain_ref_tags(masked: str) -> tuple[list[int], list[int]]:
    """Openers and closers by a scan each: the reference for `ref_spans`' single scan."""
    openers = [m.start() for m in re.finditer(r"<ref\b[^<>]*(?<!/)>", masked, re.IGNORECASE)]
    closers = [m.end() for m in re.finditer(r"</ref\s*>", masked, re.IGNORECASE)]
    return openers, closers


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["<ref>", "</ref>", "<REF name=a>", "<ref/>", "</Ref >", "<",
                                 "/", ">", "\n", "a", "<refs>", "<ref name=x/>", " "]),
                max_size=25).map("".join))
def test_reference_tags_found_in_one_scan(masked):
    from extractor.parse.page_scan import ref_spans

    openers, closers = plain_ref_tags(masked)
    found = []
    for index, start in enumerate(openers):
        later = [end for end in closers if end > start]
        if not later:
            break
        if index + 1 < len(openers) and openers[index + 1] < later[0]:
            continue
        if "\n" in masked[start:later[0]]:
            found.append((start, later[0]))
    assert ref_spans(masked) == found


def plain_grid(rows) -> tuple[list[list[tuple]], bool]:
    """Spans placed on a dictionary of grid positions, the first cell to reach a slot keeping
    it: the reference for `tables.expand_grid` (cells as (rowspan, colspan), spans unclipped)."""
    taken: dict[tuple[int, int], tuple] = {}
    for r, row in enumerate(rows):
        c = 0
        for k, (rowspan, colspan) in enumerate(row):
            while (r, c) in taken:
                c += 1
            rowspan = len(rows) - r if rowspan == 0 else max(1, min(rowspan, len(rows) - r))
            for dr in range(rowspan):
                for dc in range(max(1, colspan)):
                    taken.setdefault((r + dr, c + dc), ((r, k), (r, c)))
            c += max(1, colspan)
    widths = [max((c + 1 for (rr, c) in taken if rr == r), default=0) for r in range(len(rows))]
    width = max(widths, default=0)
    return ([[taken.get((r, c), (None, (r, c))) for c in range(width)] for r in range(len(rows))],
            len(set(widths)) > 1)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=4), max_size=5))
def test_spans_placed_on_row_lists_as_on_a_dictionary(spans):
    from extractor.model import Table
    from extractor.tables import RAGGED, expand_grid

    rows = [Row(cells=[Cell(text=f"{r}.{k}", rowspan=rs, colspan=cs)
                       for k, (rs, cs) in enumerate(row)], line=r + 1)
            for r, row in enumerate(spans)]
    grid, flags = expand_grid(Table(rows=rows, line=1, end_line=1, kind="wikitable"))
    got = [[(tuple(map(int, s.cell.text.split("."))) if s.cell is not None else None, s.origin)
            for s in row] for row in grid]
    expected, ragged = plain_grid(spans)
    assert got == expected
    assert (RAGGED in flags) == ragged


def test_arrow_tables_are_built_as_from_pylist_builds_them():
    """`to_arrow` gathers columns itself (`registry.row_columns`): the same table as pyarrow's
    own row reading, on every output table of real articles, rows missing keys included."""
    import pyarrow as pa

    from extractor.contract import SCHEMAS
    from extractor.pipeline import process_units
    from extractor.sinks import to_arrow
    from extractor.sources import Unit

    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wikitext"
    units = [Unit(source=path.name, format="wikitext", text=path.read_text(encoding="utf-8"),
                  title=path.stem, doc_id=f"{path.name}#1")
             for path in sorted(corpus.glob("*.wiki"))[:12]]
    rows, _ = process_units(units)
    rows.setdefault("findings", []).append({"doc_id": "d#1", "code": "X", "extra": 1})
    for table, schema in SCHEMAS.items():
        as_dicts = [dict(row) for row in rows.get(table, [])]
        assert to_arrow(table, rows.get(table, [])).equals(
            pa.Table.from_pylist(as_dicts, schema=schema)), table


def test_a_run_without_a_report_never_imports_pandas(tmp_path):
    """pandas costs ~0.4 s of start-up (see `sinks._arrow_without_pandas`): a Parquet run
    without a report must not import it, and a report afterwards, in the same process, still
    reads the tables through pandas."""
    import subprocess
    import sys

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
    script = f"""
import sys
from extractor.run import extract
from extractor.sinks import to_arrow
extract([{str(fixture)!r}], out_dir={str(tmp_path / "out")!r}, fmt="parquet", report=False)
to_arrow("articles", [{{"doc_id": "d#1", "title": "t"}}])
assert "pandas" not in sys.modules, "pandas imported"
from extractor.report import build_report
paths = build_report({str(tmp_path / "out")!r})
assert "pandas" in sys.modules and paths, paths
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(), max_size=6) | st.lists(st.text() | st.none() | st.integers(),
                                                 max_size=4))
def test_json_of_string_lists_is_json_dumps_text(items):
    """`json_text.json_strings` writes what `json.dumps(..., ensure_ascii=False)` writes:
    quotes, backslashes, controls, surrogates and non-ASCII text included."""
    import json

    from extractor.json_text import json_strings

    assert json_strings(items) == json.dumps(items, ensure_ascii=False)


def test_written_out_dataclass_inits_take_every_field():
    """The compiled dataclasses write their `__init__` out (`init=False`: the generated one
    runs interpreted): each takes every field by name, in order, and stores it."""
    import dataclasses

    from extractor.model import TypedValue
    from extractor.parse.wikitext import LogicalLine, Span
    from extractor.schemas.generic import FieldRef
    from extractor.tables import _Slot
    from extractor.templates import Call, Rendered

    samples = {
        Span: {"start": 1, "end": 2, "name": "n", "recovered": True, "tangled": False},
        LogicalLine: {"number": 1, "end": 2, "text": "t", "masked": "m", "start": 3},
        _Slot: {"cell": None, "origin": (1, 2)},
        FieldRef: {"key": "k", "index": 3, "key_raw": "K", "line": 4,
                   "value": TypedValue(raw="1", text="1"), "hints": {"a": "b"}},
        Call: {"name": "n", "positional": ["p"], "named": {"k": "v"}, "raw_positional": ["r"],
               "raw_named": {"rk": "rv"}, "source": "s"},
        Rendered: {"text": "t", "hints": {"h": "v"}, "unknown": ["u"]},
    }
    for cls, values in samples.items():
        assert [f.name for f in dataclasses.fields(cls)] == list(values), cls
        for made in (cls(**values), cls(*values.values())):
            for name, value in values.items():
                assert getattr(made, name) == value, (cls, name)


_NAME_PIECES = st.lists(st.sampled_from(["a", "Zé", "ß", "½", "2", "_", " ", "  ", "'", "’", "-",
                                         "x", "Ω", "٣", ".", "\t"]), max_size=8).map("".join)


@settings(max_examples=600, deadline=None)
@given(_NAME_PIECES | st.text(max_size=12))
def test_plain_names_are_what_the_name_pattern_matches(text):
    from extractor.value_hints import _FAST_NAME, is_plain_name

    assert is_plain_name(text) == (_FAST_NAME.fullmatch(text) is not None)


_LABEL_PIECES = st.lists(st.sampled_from(["Total", "sub", "TOTAL ", "valid", "In", "votes", " cast",
                                          "Registered", "voters", "turnout", "Null", "spoilt",
                                          "Party", " ", "ſ", "K", "ı", "é", "(", "1"]),
                         max_size=5).map("".join)


@settings(max_examples=600, deadline=None)
@given(_LABEL_PIECES | st.text(max_size=12))
def test_a_plain_label_matches_no_label_pattern(label):
    from extractor.reconcile import table_checks as checks

    patterns = (checks._SKIP_LABEL.search, checks._INVALID_LABEL.search, checks._VALID_LABEL.match,
                checks._TOTAL_LABEL.match, checks._SUBTOTAL_LABEL.search)
    if checks._plain_label(label):
        assert not any(find(label) for find in patterns)
    elif label.isascii():  # an ASCII label turned away holds a word that some pattern needs
        assert any(word in label.lower() for word in checks._LABEL_WORDS)


def test_case_twins_make_lower_fold_as_a_case_blind_regex_does():
    """Every code point: a case-blind regex takes it for the ASCII letter (or the space) that
    `translate(CASE_TWINS).lower()` makes of it, and for none when that makes none."""
    import sys

    from extractor.reconcile.table_checks import CASE_TWINS

    letter = re.compile("[a-z ]", re.IGNORECASE)
    for point in range(sys.maxunicode + 1):
        if 0xD800 <= point <= 0xDFFF:
            continue
        char = chr(point)
        folded = char.translate(CASE_TWINS).lower()
        if letter.fullmatch(char):
            assert folded == " " or (len(folded) == 1 and "a" <= folded <= "z"), hex(point)
            assert re.fullmatch(folded, char, re.IGNORECASE), hex(point)
        else:
            assert not any("a" <= c <= "z" or c == " " for c in folded), hex(point)


@given(st.lists(st.sampled_from(["[[", "]]", "]", "a", " ", "\u2003", "|", "[", "x]]"]),
                max_size=8).map("".join))
def test_the_only_link_guard_turns_away_only_lines_the_pattern_rejects(line):
    from extractor.parse.wikitext import _ONLY_LINK

    masked = line.strip()
    if _ONLY_LINK.match(masked):
        assert masked.startswith("[[") and masked.endswith("]]")


@given(st.text(alphabet="{[<&'_ab}]", max_size=12) | st.text(max_size=12))
def test_markup_is_found_by_substrings_as_by_the_pattern(text):
    from extractor.templates import MARKUP, has_markup

    assert has_markup(text) == (MARKUP.search(text) is not None)


@given(st.lists(st.sampled_from(["{", "{{", "|", "\n", " ", "\t", "=", ";", "~", "~~", "a"]),
                max_size=12).map("".join))
def test_unsafe_infobox_sources_are_found_as_by_the_pattern(source):
    from extractor.parse.infobox_fast import unsafe_source

    assert unsafe_source(source) == (UNSAFE_SOURCE.search(source) is not None)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(["=", "==", "===", " ", "\t", "\n", "a", "b c", "\u2003", "=a="]),
                max_size=14).map("".join) | st.text(alphabet="= \na", max_size=16))
def test_heading_parts_are_what_the_heading_pattern_matches(line):
    from extractor.parse.wikitext import heading_parts

    match = HEADING.match(line)
    expected = None if match is None else (len(match.group(1)), match.group(2))
    assert heading_parts(line) == expected
