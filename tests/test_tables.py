"""Span expansion, header detection, column alignment and typing of tables."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.model import Cell, Row, Table
from extractor.tables import (
    MULTI_ROW_HEADER,
    NO_HEADER,
    RAGGED,
    REALIGNED,
    expand_grid,
    type_table,
)


def _flat(rows: list[list[str]]) -> Table:
    """A table as the flat parser builds it (first row marked header by convention)."""
    return Table(rows=[Row(cells=[Cell(text=t, header=(i == 0)) for t in cells], line=10 + i)
                       for i, cells in enumerate(rows)], line=10, end_line=10 + len(rows))


PARTIES = [
    ["Name", "Ideology", "Branch leader", "No. 1 in party-list", "No. of candidates",
     "Registration date", "", "", ""],
    ["", "Nur Otan", "Nur Otan", "Big tent", "Bakhytjan Sagintayev", "Zhansaya Abdumalik", "78",
     "18 November 2020", ""],
    ["", "Auyl", "Auyl", "Agrarianism", "Mahambet Hasenov", "Mahambet Hasenov", "6",
     "30 November 2020", ""],
    ["", "QHP", "People's Party of Kazakhstan", "Socialism", "Älibek Şapenov", "Älibek Şapenov",
     "14", "9 December 2020", ""],
    ["", "ADAL", "Adal", "Eco-socialism", "Ğani Abadan", "Rauan Bugybaev", "5",
     "8 December 2020", ""],
    ["", "Aq Jol", "Aq Jol", "Liberalism", "Quandyq Bisqultanov", "Alia Bekkujina", "15",
     "8 December 2020", ""],
]


def test_flattened_colspan_header_is_realigned():
    typed = type_table(_flat(PARTIES), 0, "Parties")
    assert REALIGNED in typed.flags
    assert typed.columns[:3] == ["name_swatch", "name_short", "Name"]
    col = typed.columns.index
    row = typed.cells[1]
    assert row[col("Ideology")].text == "Big tent"
    assert row[col("Branch leader")].text == "Bakhytjan Sagintayev"
    assert row[col("No. 1 in party-list")].text == "Zhansaya Abdumalik"
    assert row[col("No. of candidates")].number == 78
    assert row[col("Registration date")].date == "2020-11-18"
    assert typed.cell_columns[0] == [""] * 9  # header cells name no column
    assert typed.cell_columns[1][col("Ideology")] == "Ideology"


def test_realignment_does_not_depend_on_row_order():
    rows = [PARTIES[0]] + list(reversed(PARTIES[1:]))
    typed = type_table(_flat(rows), 0)
    assert typed.cells[1][typed.columns.index("Ideology")].text == "Liberalism"


def test_aligned_table_is_left_alone():
    rows = [["Party", "Votes", "%", "Seats"], ["Coastal", "142,310", "44.52", "27"],
            ["Farmers", "101,905", "31.88", "19"]]
    typed = type_table(_flat(rows), 0)
    assert typed.columns == ["Party", "Votes", "%", "Seats"]
    assert typed.flags == []
    assert typed.column_kinds == ["text", "integer", "decimal", "integer"]
    assert typed.header_rows == 1 and typed.n_rows == 2


def test_empty_middle_column_keeps_its_place():
    rows = [["Party", "", "Votes"], ["A", "", "100"], ["B", "", "200"]]
    typed = type_table(_flat(rows), 0)
    assert REALIGNED not in typed.flags
    assert typed.columns[2] == "Votes" and typed.cells[1][2].number == 100


def test_table_without_header_row():
    rows = [["2019", "14", "8"], ["2020", "12", "7"], ["2021", "14", "10"]]
    typed = type_table(_flat(rows), 0)
    assert NO_HEADER in typed.flags
    assert typed.header_rows == 0 and typed.n_rows == 3
    assert typed.columns == ["col_0", "col_1", "col_2"]
    assert typed.cells[0][1].number == 14


def test_ragged_rows_are_padded_and_flagged():
    rows = [["Season", "Played", "Won", "Lost"], ["2021", "14", "8"],
            ["2022", "14", "9", "4", "1"], ["2024", "14", "10", "4"]]
    typed = type_table(_flat(rows), 0)
    assert RAGGED in typed.flags
    assert len(typed.columns) == 5 and all(len(r) == 5 for r in typed.cells)
    assert "missing_cell" in typed.cells[1][3].flags
    assert typed.columns[:4] == ["Season", "Played", "Won", "Lost"]


def _wiki(rows: list[list[Cell]]) -> Table:
    return Table(rows=[Row(cells=cells, line=i + 1) for i, cells in enumerate(rows)], line=1,
                 end_line=len(rows), kind="wikitable")


def test_wikitable_spans_and_two_header_rows():
    h = dict(header=True)
    table = _wiki([
        [Cell(text="Party", rowspan=2, **h), Cell(text="Votes", colspan=2, **h),
         Cell(text="Seats", rowspan=2, **h)],
        [Cell(text="#", **h), Cell(text="%", **h)],
        [Cell(text="Blue", raw="[[Blue Party|Blue]]"), Cell(text="1,200"), Cell(text="60.0%"),
         Cell(text="7", rowspan=2)],
        [Cell(text="Red"), Cell(text="800"), Cell(text="40.0%")],
    ])
    typed = type_table(table, 3, "Results")
    assert typed.header_rows == 2 and MULTI_ROW_HEADER in typed.flags
    assert typed.columns == ["Party", "Votes / #", "Votes / %", "Seats"]
    assert typed.cells[3][3].number == 7  # the rowspan copied down
    assert typed.spans[3][3] == (2, 1)
    assert typed.cells[2][0].text == "Blue"
    assert typed.column_kinds == ["text", "integer", "percent", "integer"]
    assert RAGGED not in typed.flags


def test_expand_grid_survives_absurd_spans():
    table = _wiki([[Cell(text="a", colspan=10_000, rowspan=-3)], [Cell(text="b")]])
    grid, flags = expand_grid(table)
    assert "spans_clipped" in flags and len(grid) == 2


def test_empty_table_does_not_crash():
    typed = type_table(Table(rows=[], line=1, end_line=1), 0)
    assert typed.columns == [] and typed.cells == []


def test_title_row_above_the_header_names_no_column():
    h = dict(header=True)
    table = _wiki([
        [Cell(text="Residents by citizenship", colspan=2)],
        [Cell(text="Country", **h), Cell(text="Population", **h)],
        [Cell(text="Germany"), Cell(text="2,992,150")],
        [Cell(text="Turkey"), Cell(text="98,940")],
    ])
    typed = type_table(table, 0)
    assert typed.header_rows == 2 and typed.columns == ["Country", "Population"]
    assert NO_HEADER not in typed.flags and MULTI_ROW_HEADER not in typed.flags
    assert typed.column_kinds == ["text", "integer"]


def test_wikitable_without_header_cells_uses_evidence():
    table = _wiki([[Cell(text="Year"), Cell(text="Votes")], [Cell(text="2019"), Cell(text="10")],
                   [Cell(text="2020"), Cell(text="12")]])
    typed = type_table(table, 0)
    assert typed.header_rows == 1 and typed.columns == ["Year", "Votes"]
    assert typed.cells[1][0].kind == "date"  # the column name gives the year its context


_CELL = st.builds(Cell, text=st.one_of(st.sampled_from(["", "12", "1,200", "Big tent", "3.5%",
                                                        "9 December 2020"]), st.text(max_size=8)),
                  header=st.booleans(), rowspan=st.integers(0, 4), colspan=st.integers(1, 4))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_CELL, max_size=6), max_size=6), st.sampled_from(["table", "wikitable"]))
def test_any_table_types_without_raising(rows, kind):
    table = Table(rows=[Row(cells=cells, line=i + 1) for i, cells in enumerate(rows)], line=1,
                  end_line=len(rows) + 1, kind=kind)
    typed = type_table(table, 0)
    assert len(typed.cells) == len(rows)
    width = len(typed.columns)
    assert all(len(r) == width for r in typed.cells)
    assert all(len(r) == width for r in typed.cell_columns)
    assert len(typed.column_kinds) == width


def test_headerless_flat_table_marks_no_header_cells():
    typed = type_table(_flat([["2019", "14"], ["2020", "12"]]), 0)
    assert typed.header_cells == [[False, False], [False, False]]
    assert typed.cell_columns[0] == ["col_0", "col_1"]


def test_leading_swatch_cell_without_header_cell():
    rows = [["Party", "Votes", "Seats"], ["", "Coastal", "142,310", "27"],
            ["", "Farmers", "101,905", "19"]]
    typed = type_table(_flat(rows), 0)
    assert RAGGED in typed.flags and REALIGNED in typed.flags
    assert typed.columns == ["party_swatch", "Party", "Votes", "Seats"]
    assert typed.cells[1][2].number == 142310


def test_sign_only_label_types_changes():
    rows = [["Party", "Seats", "+/-"], ["A", "27", "−4"], ["B", "19", "+1"]]
    typed = type_table(_flat(rows), 0)
    assert typed.column_kinds[2] == "change"
    assert [typed.cells[r][2].number for r in (1, 2)] == [-4, 1]
