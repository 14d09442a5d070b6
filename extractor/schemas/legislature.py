"""Legislature records. INTERFACE: class shapes are the contract; the builder fills them."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from extractor.schemas.generic import FieldIndex, fill
from extractor.values import TypedValue


class PoliticalGroup(BaseModel):
    name: str
    seats: int | None = None
    children: list[PoliticalGroup] = Field(default_factory=list)
    position: int = 0  # order as listed in the source
    inferred: bool = False  # parent inferred from seat sums (flat format lost the nesting)


class Leader(BaseModel):
    index: int | None = None
    type: TypedValue | None = None
    name: TypedValue | None = None
    party: TypedValue | None = None
    election: TypedValue | None = None


class Legislature(BaseModel):
    infobox: int
    name: TypedValue | None = None
    members: TypedValue | None = None
    house_type: TypedValue | None = None
    foundation: TypedValue | None = None
    preceded_by: TypedValue | None = None
    last_election: TypedValue | None = None
    next_election: TypedValue | None = None
    leaders: list[Leader] = Field(default_factory=list)
    groups: list[PoliticalGroup] = Field(default_factory=list)  # top level of the tree
    group_flags: list[str] = Field(default_factory=list)  # how the tree was built (groups.py)
    sources: dict[str, tuple[str, int]] = Field(default_factory=dict)


# Record field -> canonical keys of {{Infobox legislature}} and its flat rendering.
LEGISLATURE_KEYS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "members": ("members", "seats"),
    "house_type": ("house_type",),
    "foundation": ("foundation", "established", "founded"),
    "preceded_by": ("preceded_by",),
}
# Numbered per house/election in the template; the record takes the lowest index given.
FIRST_OF_SERIES: dict[str, tuple[str, ...]] = {
    "last_election": ("last_election",),
    "next_election": ("next_election",),
}
LEADER_KEYS: dict[str, tuple[str, ...]] = {
    "type": ("leader_type",),
    "name": ("leader",),
    "party": ("party",),
    "election": ("election",),
}
GROUP_KEYS = ("political_groups",)


def build_legislature(infobox: int, index: FieldIndex,
                      name: TypedValue | None = None) -> Legislature:
    """The legislature record of one infobox. `name` is used when no `name` key gives one (the
    flat format carries the body's name as the infobox header)."""
    # Imported here: groups.py builds on this module's PoliticalGroup.
    from extractor.schemas.groups import groups_from_value

    body = Legislature.model_construct(infobox=infobox, leaders=[], groups=[], group_flags=[],
                                       sources={})
    for field_name, aliases in LEGISLATURE_KEYS.items():
        fill(body, body.sources, field_name, index.get(aliases))
    for field_name, aliases in FIRST_OF_SERIES.items():
        fill(body, body.sources, field_name, index.first_indexed(aliases))
    if body.name is None and name is not None:
        body.name = name
    all_leader_keys = tuple(k for aliases in LEADER_KEYS.values() for k in aliases)
    for number in index.indexes(all_leader_keys):
        leader = Leader.model_construct(index=number)
        found = False
        for field_name, aliases in LEADER_KEYS.items():
            ref = index.get(aliases, number)
            if ref is not None:
                setattr(leader, field_name, ref.value)
                found = True
        if found:
            body.leaders.append(leader)
    groups_ref = index.first_indexed(GROUP_KEYS)
    if groups_ref is not None:
        total = member_count(body.members)
        body.groups, body.group_flags = groups_from_value(groups_ref.value, groups_ref.hints, total)
        body.sources["groups"] = (groups_ref.key_raw, groups_ref.line)
    return body


_LEADING_COUNT = re.compile(r"^\s*(\d{1,3}(?:,\d{3})+|\d+)\s*(?:$|\n|\{\{|\()")


def member_count(value: TypedValue | None) -> int | None:
    """Members as a whole number. Beside a typed number, a count leading a value whose rest did
    not render (`104` over `{{PakSen|vacancy}}`) is taken: the first line states the size."""
    if value is None:
        return None
    if value.number is not None:
        if value.kind not in ("integer", "seats_of", "decimal", "compound") or value.number < 0:
            return None
        return int(round(value.number))
    m = _LEADING_COUNT.match(value.text or "")
    return int(m.group(1).replace(",", "")) if m else None
