"""An election record seen as integer cells, constraints and witnesses.

The view reads every number the rules need once, so the checks below work on plain ints and
floats, and the repair search can try other values for a cell without touching the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.reconcile.apportion import METHODS, apportion_all, is_outcome
from extractor.reconcile.numbers import (
    count,
    fmt,
    half_unit,
    previous_count,
    share,
    signed,
    unsigned,
)
from extractor.reconcile.prose import Claim, threshold_of
from extractor.reconcile.repair import Cell, Constraint, Values, Witness
from extractor.reconcile.table_checks import column_value, party_rows
from extractor.schemas.election import Election, ElectionResult
from extractor.schemas.records import TypedTable


@dataclass
class RowView:
    result: ElectionResult
    record: str
    party: str
    seats: int | None
    change: int | None
    change_unsigned: bool
    last: int | None
    last_is_cell: bool
    votes: int | None
    pct: float | None
    pct_half: float
    swing: float | None
    swing_unsigned: bool
    candidates: tuple[int, dict] | None = None  # (number, where the table gives it)
    table_seats: tuple[int, dict] | None = None

    @property
    def seats_cell(self) -> Cell:
        return (self.record, "seats")


@dataclass
class ElectionView:
    election: Election
    subject: str
    rows: list[RowView]
    contested: int | None
    chamber: int | None  # None when the same number as contested
    majority: int | None
    claims: list[Claim]
    threshold: float | None
    tables: list[TypedTable]
    raw: dict[Cell, str] = field(default_factory=dict)

    @property
    def contested_cell(self) -> Cell:
        return (self.subject, "seats_for_election")

    @property
    def chamber_cell(self) -> Cell:
        if self.chamber is None:
            return self.contested_cell
        return (self.subject, "chamber_size")

    @property
    def majority_cell(self) -> Cell:
        return (self.subject, "majority")

    def row_named(self, name: str | None) -> RowView | None:
        """The row whose party or candidate is `name` (as the claims name them)."""
        if not name:
            return None
        for row in self.rows:
            named = {v.text.strip() for v in (row.result.party, row.result.candidate) if v}
            if row.party == name or name in named:
                return row
        return None

    @property
    def pct_sum(self) -> tuple[float, float] | None:
        """(sum of the rows' shares, its rounding tolerance) when two or more rows give one."""
        shares = [(r.pct, r.pct_half) for r in self.rows if r.pct is not None]
        if len(shares) < 2:
            return None
        return sum(pct for pct, _ in shares), sum(half for _, half in shares)

    @property
    def complete(self) -> bool:
        """The rows hold every party that could have won a seat: the vote share they leave
        over is within rounding of nothing, or below the threshold the article states."""
        covered = self.pct_sum
        if covered is None or any(r.pct is None for r in self.rows):
            return False
        rest = 100 - covered[0]
        return rest <= covered[1] or (self.threshold is not None and rest < self.threshold)


def election_view(election: Election, infobox: int, claims: list[Claim],
                  tables: list[TypedTable]) -> ElectionView:
    subject = f"election[{infobox}]"
    rows = [_row_view(r, subject, tables) for r in election.results]
    seats_for = election.seats_for_election
    contested = count(seats_for)
    chamber = None
    if seats_for is not None and seats_for.total is not None and contested is not None:
        if float(seats_for.total).is_integer() and int(seats_for.total) != contested:
            chamber = int(seats_for.total)
    view = ElectionView(election, subject, rows, contested, chamber, count(election.majority),
                        claims, threshold_of(claims), tables)
    view.raw = _raw_texts(view)
    return view


def _row_view(result: ElectionResult, subject: str, tables: list[TypedTable]) -> RowView:
    party = _label(result)
    change = signed(result.seat_change)
    # Seats "before" (at dissolution) are not the base a seat change is usually counted
    # from (the last election, often notional): the change cannot be held against them.
    before = "before" in result.sources.get("last_election", ("",))[0].casefold()
    row = RowView(
        result=result, record=f"{subject}.result[{result.index}]", party=party,
        seats=count(result.seats),
        change=int(change) if change is not None and float(change).is_integer() else None,
        change_unsigned=unsigned(result.seat_change),
        last=None if before else previous_count(result.last_election),
        last_is_cell=not before and count(result.last_election) is not None,
        votes=count(result.votes), pct=share(result.percentage),
        pct_half=half_unit(result.percentage), swing=signed(result.swing),
        swing_unsigned=unsigned(result.swing))
    matches = party_rows(tables, party) if result.party is not None else []
    if len(matches) == 1:
        table, r = matches[0]
        for column in ("candidates", "seats"):
            found = column_value(table, r, column)
            number = count(found[1]) if found is not None else None
            if found is not None and number is not None:
                where = {"table": table.table, "row": r, "column": found[0], "value": number}
                setattr(row, "table_seats" if column == "seats" else column, (number, where))
    return row


def _label(result: ElectionResult) -> str:
    for value in (result.party, result.candidate):
        if value is not None and value.text.strip():
            return value.text.strip()
    return f"row {result.index}"


def _raw_texts(view: ElectionView) -> dict[Cell, str]:
    e = view.election
    raw = {view.contested_cell: e.seats_for_election.raw if e.seats_for_election else "",
           view.majority_cell: e.majority.raw if e.majority else ""}
    if view.chamber is not None:
        raw[view.chamber_cell] = raw[view.contested_cell]
    for row in view.rows:
        r = row.result
        raw[(row.record, "seats")] = r.seats.raw if r.seats else ""
        raw[(row.record, "seat_change")] = r.seat_change.raw if r.seat_change else ""
        raw[(row.record, "last_election")] = r.last_election.raw if r.last_election else ""
    return raw


# --- cells and constraints ----------------------------------------------------------------

def cells(view: ElectionView) -> tuple[dict[Cell, int], set[Cell]]:
    """The integer cells of the record, and those that cannot be negative."""
    values: dict[Cell, int] = {}
    if view.contested is not None:
        values[view.contested_cell] = view.contested
    if view.chamber is not None:
        values[view.chamber_cell] = view.chamber
    if view.majority is not None:
        values[view.majority_cell] = view.majority
    for row in view.rows:
        if row.seats is not None:
            values[row.seats_cell] = row.seats
        if row.change is not None:
            values[(row.record, "seat_change")] = row.change
        if row.last is not None and row.last_is_cell:
            values[(row.record, "last_election")] = row.last
    nonnegative = {c for c in values if c[1] != "seat_change"}
    return values, nonnegative


def constraints(view: ElectionView) -> list[Constraint]:
    found = []
    if view.contested is not None and any(r.seats is not None for r in view.rows):
        found.append(_seat_sum(view))
    if view.majority is not None and view.chamber_cell in cells(view)[0]:
        found.append(_majority(view))
    for row in view.rows:
        if row.seats is not None and row.change is not None and row.last is not None:
            found.append(_seat_change(row))
        if row.seats is not None and row.candidates is not None:
            found.append(_candidates(row, row.candidates[0]))
    return found


def _seat_sum(view: ElectionView) -> Constraint:
    seat_cells = tuple(r.seats_cell for r in view.rows if r.seats is not None)
    every_row_has_seats = len(seat_cells) == len(view.rows)
    must_fill = view.complete and every_row_has_seats and view.chamber is None
    cc, hc = view.contested_cell, view.chamber_cell

    def holds(v: Values) -> bool:
        total, contested, chamber = sum(v[c] for c in seat_cells), v[cc], v[hc]
        if total in (contested, chamber):
            return True
        return total < max(contested, chamber) and not must_fill

    def solve(cell: Cell, v: Values) -> list[int]:
        total = sum(v[c] for c in seat_cells)
        if cell == cc and view.chamber is None:
            return [total]
        if cell in seat_cells:
            rest = total - v[cell]
            return [v[cc] - rest] + ([v[hc] - rest] if view.chamber is not None else [])
        return []

    return Constraint("ELECTION_SEAT_SUM", seat_cells + (cc,) + ((hc,) if hc != cc else ()),
                      holds, solve)


def _majority(view: ElectionView) -> Constraint:
    mc, hc = view.majority_cell, view.chamber_cell

    def solve(cell: Cell, v: Values) -> list[int]:
        if cell == mc:
            return [v[hc] // 2 + 1]
        return [2 * v[mc] - 2, 2 * v[mc] - 1] if cell == hc and v[mc] > 1 else []

    return Constraint("ELECTION_MAJORITY", (mc, hc), lambda v: v[mc] == v[hc] // 2 + 1, solve)


def _seat_change(row: RowView) -> Constraint:
    sc, cc = row.seats_cell, (row.record, "seat_change")
    lc = (row.record, "last_election")
    fixed_last = None if row.last_is_cell else row.last

    def last(v: Values) -> int:
        return v[lc] if fixed_last is None else fixed_last

    def holds(v: Values) -> bool:
        if v[sc] - v[cc] == last(v):
            return True
        return row.change_unsigned and v[sc] + v[cc] == last(v)

    def solve(cell: Cell, v: Values) -> list[int]:
        if cell == sc:
            return [last(v) + v[cc]] + ([last(v) - v[cc]] if row.change_unsigned else [])
        if cell == cc:
            return [v[sc] - last(v)]
        return [v[sc] - v[cc]] if cell == lc else []

    cells_read = (sc, cc) + ((lc,) if fixed_last is None else ())
    return Constraint("ELECTION_SEAT_CHANGE", cells_read, holds, solve)


def _candidates(row: RowView, limit: int) -> Constraint:
    sc = row.seats_cell
    return Constraint("ELECTION_SEATS_CANDIDATES", (sc,), lambda v: v[sc] <= limit)


# --- witnesses ------------------------------------------------------------------------------

def witnesses(view: ElectionView) -> list[Witness]:
    found: list[Witness] = []
    for claim in view.claims:
        if not claim.in_results:
            continue
        row = view.row_named(claim.party)
        if claim.kind in ("majority_seats", "seats") and row is not None:
            found.append(_claimed_seats(row, claim))
            if claim.kind == "majority_seats":
                found.append(_claimed_majority(view, row, claim))
        elif claim.kind == "contested" and view.contested is not None:
            found.append(_claimed_contested(view, claim))
    for row in view.rows:
        if row.table_seats is not None:
            found.append(_table_seats(row, *row.table_seats))
    apportioned = _apportionment(view)
    if apportioned is not None:
        found.append(apportioned)
    return found


def _table_seats(row: RowView, number: int, where: dict) -> Witness:
    cell = row.seats_cell
    return Witness("table", True, {"family": "table", **where, "party": row.party},
                   lambda v: v[cell] == number)


def _claimed_seats(row: RowView, claim: Claim) -> Witness:
    n, cell = int(claim.number), row.seats_cell
    return Witness("prose", True, {"family": "prose", **claim.as_evidence()},
                   lambda v: v[cell] == n if cell in v else None)


def _claimed_majority(view: ElectionView, row: RowView, claim: Claim) -> Witness:
    cell = row.seats_cell

    def verdict(v: Values) -> bool | None:
        needed = majority_of(view, v)
        return None if needed is None or cell not in v else v[cell] >= needed

    needed = view.majority if view.majority is not None else (
        (view.chamber or view.contested or 0) // 2 + 1 or None)
    evidence = {"family": "prose", **claim.as_evidence(), "reading": "holds a majority",
                "majority": needed}
    return Witness("prose", True, evidence, verdict)


def _claimed_contested(view: ElectionView, claim: Claim) -> Witness:
    n, cc, hc = int(claim.number), view.contested_cell, view.chamber_cell
    return Witness("prose", True, {"family": "prose", **claim.as_evidence()},
                   lambda v: n in (v[cc], v[hc]))


def majority_of(view: ElectionView, v: Values) -> int | None:
    if view.majority_cell in v:
        return v[view.majority_cell]
    if view.chamber_cell in v:
        return v[view.chamber_cell] // 2 + 1
    return None


def _apportionment(view: ElectionView) -> Witness | None:
    """Seats recomputed from votes: usable when every row has votes and seats, and no party
    left out of the rows could have won a seat."""
    rows = view.rows
    votes = [r.votes for r in rows if r.votes is not None]
    if view.contested is None or not rows or len(votes) < len(rows) or any(
            r.seats is None for r in rows):
        return None
    if view.pct_sum is not None and not view.complete:
        return None
    shares = [r.pct for r in rows]

    def verdict(v: Values) -> bool | None:
        vector = [v[r.seats_cell] for r in rows]
        if sum(vector) != v[view.contested_cell]:
            return False
        return any(is_outcome(votes, vector, m, shares, view.threshold) for m in METHODS)

    evidence = {"family": "apportionment", "seats": view.contested, "threshold": view.threshold,
                "parties": [r.party for r in rows], "votes": votes,
                "methods": {a.method: list(a.seats) for a in apportion_all(
                    votes, view.contested, shares, view.threshold)}}
    return Witness("apportionment", False, evidence, verdict)


def describe_row(row: RowView) -> str:
    return f"{row.party} ({fmt(row.seats)} seats)"
