"""Election records. INTERFACE: class shapes are the contract; the builder fills them."""

from __future__ import annotations

from pydantic import BaseModel, Field

from extractor.values import TypedValue


class ElectionResult(BaseModel):
    """One party/candidate row of an election infobox: all fields sharing one series index."""

    index: int
    party: TypedValue | None = None
    candidate: TypedValue | None = None
    leader: TypedValue | None = None
    leader_since: TypedValue | None = None
    seats: TypedValue | None = None
    seat_change: TypedValue | None = None
    last_election: TypedValue | None = None
    votes: TypedValue | None = None
    percentage: TypedValue | None = None
    swing: TypedValue | None = None
    colour: TypedValue | None = None
    # record field name -> (raw key, source line), for provenance in findings and repairs
    sources: dict[str, tuple[str, int]] = Field(default_factory=dict)


class Election(BaseModel):
    infobox: int
    name: TypedValue | None = None
    country: TypedValue | None = None
    type: TypedValue | None = None
    date: TypedValue | None = None
    seats_for_election: TypedValue | None = None  # kind seats_of / integer; `total` = chamber
    majority: TypedValue | None = None
    turnout: TypedValue | None = None
    previous_election: TypedValue | None = None
    previous_year: TypedValue | None = None
    next_election: TypedValue | None = None
    next_year: TypedValue | None = None
    results: list[ElectionResult] = Field(default_factory=list)
    sources: dict[str, tuple[str, int]] = Field(default_factory=dict)
