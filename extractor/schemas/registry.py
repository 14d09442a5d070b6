"""Choosing and building typed records for an article. INTERFACE STUB: replaced by the builder."""

from __future__ import annotations

from pydantic import BaseModel, Field

from extractor.model import Article
from extractor.schemas.election import Election
from extractor.schemas.legislature import Legislature
from extractor.values import TypedValue


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


class Records(BaseModel):
    fields: list[TypedField] = Field(default_factory=list)
    elections: list[Election] = Field(default_factory=list)
    legislatures: list[Legislature] = Field(default_factory=list)
    tables: list[TypedTable] = Field(default_factory=list)
    schema_of_infobox: list[str] = Field(default_factory=list)  # election / legislature / generic


def build_records(article: Article) -> Records:
    raise NotImplementedError
