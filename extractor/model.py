"""The raw, lossless article model shared by every input format.

Both parse paths (the flat article format through the Lark grammar, and wikitext through
mwparserfromhell) build these objects; everything after parsing reads only these.
Positions are 1-based line numbers in the source text the article came from.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["fatal", "error", "warning", "info"]
Status = Literal["ok", "partial", "failed"]


class TypedValue(BaseModel):
    """A typed value (`extractor.values` makes them and documents the fields); defined here,
    with the other models, so that the value parser holds no model class and can be compiled."""

    raw: str
    text: str
    kind: str = "text"
    number: float | None = None
    total: float | None = None
    unit: str | None = None
    date: str | None = None
    date_precision: str | None = None
    flags: list[str] = Field(default_factory=list)
    parts: list[TypedValue] = Field(default_factory=list)
    decimals: int | None = None  # decimals as written (68.11 -> 2): rounding tolerance downstream


class Problem(BaseModel):
    """A defect met while reading or parsing: never raised, always recorded.

    `fatal` means the article could not be read at all (status `failed`); `error` means part of
    it was lost or is unreliable (status `partial`); warnings and infos keep the status `ok`.
    """

    code: str
    message: str
    line: int | None = None
    severity: Severity = "error"


class InfoboxField(BaseModel):
    """One `key = value` of an infobox. `value` is the source text exactly (wikitext markup
    included); `text` is its plain-text rendering where the parser made one (wikitext), and
    `hints` carries what rendering learned that plain text loses (a sign from {{increase}}, a
    date from {{start date}}, list items, notes removed from the value)."""

    key: str
    value: str
    line: int
    text: str | None = None
    hints: dict[str, str] = Field(default_factory=dict)


class Infobox(BaseModel):
    """An infobox: ordered fields. `template` is the template name (wikitext); `header` is the
    free line the flat format may carry before the fields (`Infobox`, the title, or residue)."""

    template: str | None = None
    header: str | None = None
    header_line: int | None = None
    line: int
    fields: list[InfoboxField] = Field(default_factory=list)
    parent: int | None = None  # index of the enclosing infobox for embedded/module children


class Section(BaseModel):
    """A heading. Section 0 is the lead (no heading: title "", level 1, line None)."""

    title: str
    level: int
    line: int | None = None


class Paragraph(BaseModel):
    text: str
    line: int
    end_line: int
    section: int = 0


class BulletItem(BaseModel):
    text: str
    line: int


class BulletList(BaseModel):
    items: list[BulletItem]
    section: int = 0

    @property
    def line(self) -> int:
        return self.items[0].line


class Cell(BaseModel):
    """A table cell: `text` is plain text; `raw` the source markup where it differs (wikitext)."""

    text: str
    raw: str | None = None
    hints: dict[str, str] = Field(default_factory=dict)
    header: bool = False
    rowspan: int = 1
    colspan: int = 1


class Row(BaseModel):
    cells: list[Cell]
    line: int


class Table(BaseModel):
    rows: list[Row]
    line: int
    end_line: int
    section: int = 0
    caption: str | None = None
    kind: str = "table"  # "table" (flat pipes), "wikitable", or a results template name


class Article(BaseModel):
    doc_id: str
    title: str
    source: str
    format: Literal["flat", "wikitext"]
    line: int = 1  # line of the title (flat) or 1 (wikitext page)
    end_line: int = 1
    page_id: int | None = None
    bytes: int = 0
    infoboxes: list[Infobox] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=lambda: [Section(title="", level=1)])
    paragraphs: list[Paragraph] = Field(default_factory=list)
    lists: list[BulletList] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)

    @property
    def status(self) -> Status:
        severities = {p.severity for p in self.problems}
        if "fatal" in severities:
            return "failed"
        if "error" in severities:
            return "partial"
        return "ok"

    @property
    def error(self) -> str | None:
        """The first fatal or error problem, as one line for the `articles` table."""
        for wanted in ("fatal", "error"):
            for p in self.problems:
                if p.severity == wanted:
                    where = f" (line {p.line})" if p.line is not None else ""
                    return f"{p.code}: {p.message}{where}"
        return None

    def prose(self) -> str:
        """All paragraph and bullet text, for witnesses that read claims from the prose."""
        parts = [p.text for p in self.paragraphs]
        parts += [item.text for lst in self.lists for item in lst.items]
        return "\n".join(parts)


# Models built without validation for the hot paths (cells, rows, sections, fields, typed
# values): `extractor.unvalidated`.
