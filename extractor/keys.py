"""Canonical infobox keys. INTERFACE STUB: replaced by the full implementation."""

from __future__ import annotations

import re

_SERIES = re.compile(r"^(.*?)(\d+)(.*)$")


def canonical_key(raw: str) -> tuple[str, int | None]:
    """`Popular Vote1` -> ("popular_vote", 1); `Structure1 Res` -> ("structure_res", 1)."""
    s = raw.strip().lower()
    m = _SERIES.match(s)
    index = None
    if m and m.group(1):
        s, index = m.group(1) + " " + m.group(3), int(m.group(2))
    key = re.sub(r"[^\w]+", "_", s).strip("_")
    return key, index
