"""Minimal repairs: find the cells to blame before changing any, and change one only when a
single candidate survives every constraint and every witness.

A record is seen as integer cells, `(record, field) -> value`, bound by constraints. For the
violated constraints the search tries every single cell they read and the values each
constraint solves for; a candidate must make every violated constraint hold and keep every
other constraint holding. Witnesses (apportionment, prose claims, tables) then rank the
candidates: a witness counts only where it tells them apart, except that breaking an
agreement the article had with a direct statement always counts against a candidate.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

Cell = tuple[str, str]  # (record, field)
Values = Mapping[Cell, int]


@dataclass
class Constraint:
    code: str
    cells: tuple[Cell, ...]
    holds: Callable[[Values], bool]
    # values of one of `cells` that would make the constraint hold, the others fixed
    solve: Callable[[Cell, Values], list[int]] = lambda cell, values: []


@dataclass
class Witness:
    family: str  # apportionment, prose, table
    direct: bool  # a statement about the cells themselves, not a model of them
    evidence: dict
    verdict: Callable[[Values], bool | None]  # agrees / contradicts / cannot say


@dataclass
class Candidate:
    changes: dict[Cell, int]
    supports: list[dict] = field(default_factory=list)
    contradictions: list[dict] = field(default_factory=list)

    def as_evidence(self, values: Values) -> dict:
        return {
            "changes": [{"record": c[0], "field": c[1], "from": values.get(c), "to": v}
                        for c, v in self.changes.items()],
            "supported_by": self.supports,
            "contradicted_by": self.contradictions,
        }


@dataclass
class Outcome:
    candidates: list[Candidate]
    survivors: list[Candidate]

    @property
    def unique(self) -> Candidate | None:
        return self.survivors[0] if len(self.survivors) == 1 else None


def violated(constraints: list[Constraint], values: Values) -> list[Constraint]:
    return [c for c in constraints if not _safe_holds(c, values)]


def single_cell_candidates(targets: list[Constraint], constraints: list[Constraint],
                           values: Values, nonnegative: set[Cell]) -> list[Candidate]:
    """Every one-cell change that makes all `targets` hold and breaks nothing that held."""
    held = [c for c in constraints if c not in targets and _safe_holds(c, values)]
    cells = sorted({cell for t in targets for cell in t.cells if cell in values})
    found: list[Candidate] = []
    for cell in cells:
        proposals: list[int] = []
        for target in targets:
            if cell in target.cells:
                proposals.extend(_safe_solve(target, cell, values))
        for value in dict.fromkeys(proposals):  # ordered, unique
            if value == values[cell] or (cell in nonnegative and value < 0):
                continue
            trial = {**values, cell: value}
            if all(_safe_holds(t, trial) for t in targets) and all(
                    _safe_holds(c, trial) for c in held):
                found.append(Candidate({cell: value}))
    return found


def two_cell_candidates(targets: list[Constraint], constraints: list[Constraint],
                        values: Values, nonnegative: set[Cell]) -> list[Candidate]:
    """Every change of two cells that makes all `targets` hold and breaks nothing that held:
    the first cell takes a value one target solves for, the second a value solving a target
    still violated after the first change."""
    held = [c for c in constraints if c not in targets and _safe_holds(c, values)]
    cells = sorted({cell for t in targets for cell in t.cells if cell in values})
    found: dict[tuple, Candidate] = {}
    for first in cells:
        for v1 in _proposals(first, targets, values, nonnegative):
            step = {**values, first: v1}
            still = [t for t in targets if not _safe_holds(t, step)]
            for second in cells:
                if second == first:
                    continue
                for v2 in _proposals(second, still, step, nonnegative):
                    trial = {**step, second: v2}
                    if all(_safe_holds(t, trial) for t in targets) and all(
                            _safe_holds(c, trial) for c in held):
                        key = tuple(sorted(((first, v1), (second, v2))))
                        found.setdefault(key, Candidate(dict(key)))
    return list(found.values())


def _proposals(cell: Cell, targets: list[Constraint], values: Values,
               nonnegative: set[Cell]) -> list[int]:
    proposals = [v for t in targets if cell in t.cells for v in _safe_solve(t, cell, values)]
    return [v for v in dict.fromkeys(proposals)
            if v != values[cell] and not (cell in nonnegative and v < 0)]


def rank(candidates: list[Candidate], witnesses: list[Witness], values: Values) -> Outcome:
    """Weigh each candidate against each witness; the survivors have no contradiction."""
    trials = [{**values, **c.changes} for c in candidates]
    for witness in witnesses:
        before = _safe_verdict(witness, values)
        verdicts = [_safe_verdict(witness, t) for t in trials]
        decisive = {v for v in verdicts if v is not None} == {True, False}
        for candidate, verdict in zip(candidates, verdicts, strict=True):
            breaks_agreement = witness.direct and before is True and verdict is False
            if verdict is False and (decisive or breaks_agreement):
                candidate.contradictions.append(witness.evidence)
            elif verdict is True and (decisive or len(candidates) == 1):
                candidate.supports.append(witness.evidence)
    survivors = [c for c in candidates if not c.contradictions]
    return Outcome(candidates, survivors)


def confidence(candidate: Candidate) -> float:
    """0.6 for the only arithmetic fix; each independent family of support halves the doubt."""
    families = {s.get("family") for s in candidate.supports}
    return round(1 - 0.4 * 0.5 ** len(families), 3)


def _safe_holds(constraint: Constraint, values: Values) -> bool:
    try:
        return bool(constraint.holds(values))
    except (KeyError, ZeroDivisionError, TypeError, ValueError):
        return True  # a constraint that cannot evaluate does not fire


def _safe_solve(constraint: Constraint, cell: Cell, values: Values) -> list[int]:
    try:
        return [int(v) for v in constraint.solve(cell, values)]
    except (KeyError, ZeroDivisionError, TypeError, ValueError):
        return []


def _safe_verdict(witness: Witness, values: Values) -> bool | None:
    try:
        return witness.verdict(values)
    except (KeyError, ZeroDivisionError, TypeError, ValueError):
        return None
