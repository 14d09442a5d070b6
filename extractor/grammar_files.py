"""Finding the Lark grammars, in a source checkout and after a normal (non-editable) install.

The design card puts grammars at the top level (`grammars/`); the build also ships them as package
data under `extractor/_grammars/`, so one function looks in both places.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from extractor.errors import ExtractorError

_HERE = Path(__file__).resolve().parent
_PLACES = (_HERE / "_grammars", _HERE.parent / "grammars")


@cache
def grammar_text(name: str) -> str:
    for folder in _PLACES:
        path = folder / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise ExtractorError(f"grammar {name!r} not found in {', '.join(map(str, _PLACES))}")
