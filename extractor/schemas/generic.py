"""The field lookup every schema builder shares: an infobox's typed fields by canonical key
and index. A hot module (`extractor.native`): one `FieldRef` per infobox field of a dump.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.values import TypedValue

# Record field name -> (raw key, source line): provenance for findings and repairs.
Sources = dict[str, tuple[str, int]]


@dataclass(slots=True, init=False)
class FieldRef:
    """One infobox field as the schema builders see it."""

    key: str
    index: int | None
    key_raw: str
    line: int
    value: TypedValue
    hints: dict[str, str] = field(default_factory=dict)

    # (a written-out __init__: the one dataclasses generates runs interpreted in a compiled build)
    def __init__(self, key: str, index: int | None, key_raw: str, line: int, value: TypedValue,
                 hints: dict[str, str] | None = None) -> None:
        self.key, self.index, self.key_raw, self.line, self.value = key, index, key_raw, line, value
        self.hints = {} if hints is None else hints


class FieldIndex:
    """Fields of one infobox by (canonical key, index). A key written twice keeps its last
    occurrence, as MediaWiki does when it expands the template."""

    def __init__(self, refs: list[FieldRef]) -> None:
        self.by_key: dict[tuple[str, int | None], FieldRef] = {}
        self.duplicates: list[str] = []
        for ref in refs:
            slot = (ref.key, ref.index)
            name = ref.key if ref.index is None else f"{ref.key}{ref.index}"
            if slot in self.by_key and name not in self.duplicates:
                self.duplicates.append(name)
            self.by_key[slot] = ref
        self.keys = {key for key, _ in self.by_key}

    def get(self, aliases: tuple[str, ...], index: int | None = None) -> FieldRef | None:
        """The first alias present with a non-empty value (an empty one counts as absent)."""
        for alias in aliases:
            ref = self.by_key.get((alias, index))
            if ref is not None and ref.value.kind != "empty":
                return ref
        return None

    def first_indexed(self, aliases: tuple[str, ...]) -> FieldRef | None:
        """The value of the lowest index carrying one (`last_election1`), else the unnumbered."""
        found = self.get(aliases, None)
        for index in self.indexes(aliases):
            ref = self.get(aliases, index)
            if ref is not None:
                return ref
        return found

    def indexes(self, aliases: tuple[str, ...]) -> list[int]:
        wanted = set(aliases)
        return sorted({i for key, i in self.by_key if i is not None and key in wanted})


def fill(record: object, sources: Sources, name: str, ref: FieldRef | None) -> None:
    """Set one record field from a field reference, remembering where it came from."""
    if ref is None:
        return
    setattr(record, name, ref.value)
    sources[name] = (ref.key_raw, ref.line)
