"""Legislature rules: the political-group tree sums to its parents and to Members, and the
prose agrees with Members."""

from __future__ import annotations

from extractor.reconcile.numbers import count
from extractor.reconcile.prose import Claim
from extractor.reconcile.repair import Cell, Constraint, Values, Witness
from extractor.reconcile.result import Finding, Repair, finding
from extractor.reconcile.solve import solve
from extractor.schemas.legislature import Legislature, PoliticalGroup

# Tree flags of the builder under which the listed order is not a tree we can sum.
_UNTRUSTED = {"group_tree_ambiguous", "group_tree_too_large", "group_counts_missing"}


def _members_claim(claim: Claim, members_cell: Cell) -> Witness:
    """The prose says how many members the body has: agrees or not with the Members cell."""
    n = int(claim.number)
    return Witness("prose", True, {"family": "prose", **claim.as_evidence()},
                   lambda v: v[members_cell] == n if members_cell in v else None)


def reconcile_legislature(body: Legislature, infobox: int, claims: list[Claim]
                          ) -> tuple[list[Finding], list[Repair]]:
    subject = f"legislature[{infobox}]"
    members_cell = (subject, "members")
    groups = list(_walk(body.groups))
    names = {_cell(subject, g): g.name for g in groups}
    values: dict[Cell, int] = {_cell(subject, g): g.seats for g in groups if g.seats is not None}
    members = count(body.members)
    if members is not None:
        values[members_cell] = members
    raw = {cell: str(v) for cell, v in values.items()}
    if body.members is not None:
        raw[members_cell] = body.members.raw
    flags = set(getattr(body, "group_flags", []) or [])
    constraints = [] if flags & _UNTRUSTED else _constraints(subject, body.groups, values,
                                                              members_cell)
    member_claims = [c for c in claims if c.kind == "members" and c.in_composition]
    witnesses = [_members_claim(c, members_cell) for c in member_claims]

    def describe(constraint: Constraint, v: Values) -> Finding:
        parts = constraint.cells[:-1]
        whole = constraint.cells[-1]
        total = sum(v[c] for c in parts)
        evidence = {"groups": {names.get(c, c[1]): v[c] for c in parts},
                    "tree_flags": sorted(flags)}
        if whole == members_cell:
            return finding("LEGISLATURE_MEMBERS_SUM", subject, total, v[whole],
                           evidence=evidence)
        return finding("LEGISLATURE_GROUP_SUM", whole[0], total, v[whole], group=names[whole],
                       evidence=evidence)

    findings, repairs, repaired = solve(constraints, values, set(values), witnesses, raw,
                                        describe, lambda cell: names.get(cell, cell[1]))
    findings += _prose_members(subject, member_claims, repaired.get(members_cell))
    return findings, repairs


def _walk(groups: list[PoliticalGroup]):
    for g in groups:
        yield g
        yield from _walk(g.children)


def _cell(subject: str, group: PoliticalGroup) -> Cell:
    return (f"{subject}.group[{group.position}]", "seats")


def _constraints(subject: str, top: list[PoliticalGroup], values: dict[Cell, int],
                 members_cell: Cell) -> list[Constraint]:
    found = []
    for parent in _walk(top):
        if parent.children:
            found.extend(_sum([_cell(subject, c) for c in parent.children],
                              _cell(subject, parent), values))
    if top:
        found.extend(_sum([_cell(subject, g) for g in top], members_cell, values))
    return found


def _sum(parts: list[Cell], whole: Cell, values: dict[Cell, int]) -> list[Constraint]:
    if whole not in values or any(p not in values for p in parts):
        return []
    cells = tuple(parts) + (whole,)

    def solve_for(cell: Cell, v: Values) -> list[int]:
        total = sum(v[p] for p in parts)
        return [total] if cell == whole else [v[whole] - (total - v[cell])]

    code = "LEGISLATURE_MEMBERS_SUM" if whole[1] == "members" else "LEGISLATURE_GROUP_SUM"
    return [Constraint(code, cells, lambda v: sum(v[p] for p in parts) == v[whole], solve_for)]


def _prose_members(subject: str, claims: list[Claim], members: int | None) -> list[Finding]:
    if members is None:
        return []
    seen = set()
    found = []
    for claim in claims:
        if claim.number != members and claim.number not in seen:
            seen.add(claim.number)
            found.append(finding("LEGISLATURE_PROSE_MEMBERS", subject, int(claim.number),
                                 members, evidence={"claim": claim.as_evidence()}))
    return found
