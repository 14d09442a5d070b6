"""Legislature records. INTERFACE: class shapes are the contract; the builder fills them."""

from __future__ import annotations

from pydantic import BaseModel, Field

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
    sources: dict[str, tuple[str, int]] = Field(default_factory=dict)
