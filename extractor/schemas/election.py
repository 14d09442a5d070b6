"""Election records. INTERFACE: class shapes are the contract; the builder fills them."""

from __future__ import annotations

from pydantic import BaseModel, Field

from extractor.schemas.generic import FieldIndex, fill
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


# Record field -> canonical infobox keys, in order of preference ({{Infobox election}},
# {{Infobox legislative election}} and the flat rendering of both).
ELECTION_KEYS: dict[str, tuple[str, ...]] = {
    "name": ("election_name", "name"),
    "country": ("country",),
    "type": ("type",),
    "date": ("election_date", "date"),
    "seats_for_election": ("seats_for_election",),
    "majority": ("majority_seats", "majority"),
    "turnout": ("turnout",),
    "previous_election": ("previous_election",),
    "previous_year": ("previous_year",),
    "next_election": ("next_election",),
    "next_year": ("next_year",),
}

RESULT_KEYS: dict[str, tuple[str, ...]] = {
    "party": ("party", "alliance"),
    "candidate": ("candidate", "nominee"),
    "leader": ("leader",),
    "leader_since": ("leader_since",),
    "seats": ("seats", "seats_after", "seats_won"),
    "seat_change": ("seat_change", "seats_change"),
    "last_election": ("last_election", "seats_before"),
    "votes": ("popular_vote", "votes"),
    "percentage": ("percentage", "vote_share", "pc"),
    "swing": ("swing",),
    "colour": ("colour", "color"),
}


def build_election(infobox: int, index: FieldIndex) -> Election:
    """The election record of one infobox: one result row per series index that names any
    result field, gaps in the numbering kept (party1, party2, party4 -> rows 1, 2, 4)."""
    election = Election.model_construct(infobox=infobox, results=[], sources={})
    for name in ELECTION_KEYS:
        fill(election, election.sources, name, index.get(ELECTION_KEYS[name]))
    all_keys = tuple(k for aliases in RESULT_KEYS.values() for k in aliases)
    for number in index.indexes(all_keys):
        row = ElectionResult.model_construct(index=number, sources={})
        for name, aliases in RESULT_KEYS.items():
            fill(row, row.sources, name, index.get(aliases, number))
        if row.sources:
            election.results.append(row)
    return election
