"""Models built without validation, for the per-page hot paths (compiled with them).

Table reading makes one Cell per source cell and one Row per row, and typing one TypedValue per
value: on a page with a 100,000-row table, pydantic's validation and a fresh
`__pydantic_fields_set__` per object (~500 bytes) are a large share of the time and memory.
`model_slots.construct` does what `model_construct` does with every field given, without its
per-call inspection of defaults: the instance `__dict__` and pydantic's three slots. The fields-set
passed is shared by every instance of a model: pydantic only ever adds to it the name of a
field being assigned, which is already in it, and `model_copy` copies it. Callers pass values
of the declared types; the tests compare each builder's models with validated ones.
"""

from __future__ import annotations

from extractor.model import Cell, InfoboxField, Row, Section
from extractor.model_slots import construct

__all__ = ["construct", "new_cell", "new_field", "new_row", "new_section"]

_CELL_FIELDS = set(Cell.model_fields)
_ROW_FIELDS = set(Row.model_fields)
_SECTION_FIELDS = set(Section.model_fields)
_INFOBOX_FIELD_FIELDS = set(InfoboxField.model_fields)


def new_cell(text: str, raw: str | None, hints: dict[str, str], header: bool, rowspan: int,
             colspan: int) -> Cell:
    return construct(Cell, {"text": text, "raw": raw, "hints": hints, "header": header,
                            "rowspan": rowspan, "colspan": colspan}, _CELL_FIELDS)


def new_row(cells: list[Cell], line: int) -> Row:
    return construct(Row, {"cells": cells, "line": line}, _ROW_FIELDS)


def new_section(title: str, level: int, line: int) -> Section:
    """`Section(title=..., level=..., line=...)`: one per heading of a dump."""
    return construct(Section, {"title": title, "level": level, "line": line}, _SECTION_FIELDS)


def new_field(key: str, value: str, line: int, text: str, hints: dict[str, str]
              ) -> InfoboxField:
    """`InfoboxField(key=..., value=..., line=..., text=..., hints=...)`: one per infobox field
    of a dump (the values are a str, an int and a fresh dict of str already)."""
    return construct(InfoboxField, {"key": key, "value": value, "line": line, "text": text,
                                    "hints": hints}, _INFOBOX_FIELD_FIELDS)
