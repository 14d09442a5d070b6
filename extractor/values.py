"""Typed values: raw infobox and table text to numbers, dates, colours, counts, with flags.

INTERFACE STUB: replaced by the full implementation. `parse_value` never raises.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field


class TypedValue(BaseModel):
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


_INT = re.compile(r"^\d{1,3}(,\d{3})*$|^\d+$")


def parse_value(raw: str, key: str | None = None) -> TypedValue:
    text = raw.strip()
    if not text:
        return TypedValue(raw=raw, text="", kind="empty")
    if _INT.match(text):
        return TypedValue(raw=raw, text=text, kind="integer", number=float(text.replace(",", "")))
    if text.endswith("%") and re.match(r"^\d+(\.\d+)?%$", text):
        return TypedValue(raw=raw, text=text, kind="percent", number=float(text[:-1]), unit="%")
    return TypedValue(raw=raw, text=text, kind="text")
