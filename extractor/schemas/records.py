"""The typed records of an article, as pydantic models: one typed field per infobox field, a
record per infobox (election, legislature or generic), a typed table per table, and `Records`,
all of an article's. `CellRow` is the compact form of a `table_cells` row.

The models live apart from the code that builds them (`registry`, `generic`), which the native
build compiles: mypyc compiles no pydantic class.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, Field

from extractor.contract import SCHEMAS
from extractor.schemas.election import Election
from extractor.schemas.legislature import Legislature
from extractor.values import TypedValue


class GenericRecord(BaseModel):
    infobox: int
    template: str | None = None
    values: dict[str, TypedValue] = Field(default_factory=dict)  # unnumbered keys, last one wins
    series: dict[int, dict[str, TypedValue]] = Field(default_factory=dict)  # index -> key -> value
    duplicates: list[str] = Field(default_factory=list)  # canonical keys written more than once


class TypedField(BaseModel):
    infobox: int
    template: str | None
    position: int
    line: int
    key_raw: str
    key: str
    index: int | None
    value: TypedValue


class TypedTable(BaseModel):
    table: int
    columns: list[str]  # aligned column names
    column_kinds: list[str]
    header_rows: int
    flags: list[str] = Field(default_factory=list)
    # cells[r][c] for every source row r (header rows included) after span expansion
    cells: list[list[TypedValue]] = Field(default_factory=list)
    # for each source row and column, the aligned column name ("" for header cells / unnamed)
    cell_columns: list[list[str]] = Field(default_factory=list)
    section: str = ""  # title of the section holding the table ("" for the lead)
    caption: str | None = None
    kind: str = "table"
    line: int = 0
    row_lines: list[int] = Field(default_factory=list)  # source line of every row
    header_cells: list[list[bool]] = Field(default_factory=list)  # [r][c]: a header cell
    # [r][c]: (rowspan, colspan) of the source cell the slot comes from
    spans: list[list[tuple[int, int]]] = Field(default_factory=list)
    n_rows: int = 0  # data rows (header rows excluded)


class Records(BaseModel):
    fields: list[TypedField] = Field(default_factory=list)
    elections: list[Election] = Field(default_factory=list)
    legislatures: list[Legislature] = Field(default_factory=list)
    tables: list[TypedTable] = Field(default_factory=list)
    schema_of_infobox: list[str] = Field(default_factory=list)  # election / legislature / generic
    generics: list[GenericRecord] = Field(default_factory=list)
    # infobox index -> keys written more than once (the last one went into the record)
    duplicates: dict[int, list[str]] = Field(default_factory=dict)



class CellRow(Mapping):
    """One `table_cells` row: a read-only mapping over a tuple of the contract's columns in
    their order. The commonest row of a dump, so it is kept small: ~260 bytes where a dict of
    its 19 columns takes ~1.1 kB (a page with a 100,000-row table has 200,000 of them). It
    reads, iterates and compares like a dict; `extractor.sinks.to_arrow` takes `.values_tuple`
    column by column."""

    __slots__ = ("values_tuple",)

    def __init__(self, values_tuple: tuple) -> None:
        self.values_tuple = values_tuple

    def __getitem__(self, key: str):
        return self.values_tuple[CELL_INDEX[key]]

    def __iter__(self):
        return iter(CELL_COLUMNS)

    def __len__(self) -> int:
        return len(CELL_COLUMNS)

    def __repr__(self) -> str:
        return f"CellRow({dict(zip(CELL_COLUMNS, self.values_tuple, strict=True))!r})"


CELL_COLUMNS: tuple[str, ...] = tuple(SCHEMAS["table_cells"].names)
CELL_INDEX = {name: at for at, name in enumerate(CELL_COLUMNS)}
