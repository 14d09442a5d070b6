"""From violated constraints to findings and repairs, for any record seen as cells.

Violated constraints that share cells form one component: one error can break several of
them (a wrong seat count breaks the seat sum and the seat change), and it is reported once,
under the first constraint, with the others named as explained by it. When no single cell
explains a whole component, each constraint is searched and reported on its own.
"""

from __future__ import annotations

from collections.abc import Callable

from extractor.reconcile.repair import (
    Candidate,
    Cell,
    Constraint,
    Values,
    Witness,
    confidence,
    rank,
    single_cell_candidates,
    violated,
)
from extractor.reconcile.result import Finding, Repair

METHOD = "unique_minimal_repair"


def solve(constraints: list[Constraint], values: dict[Cell, int], nonnegative: set[Cell],
          witnesses: list[Witness], raw: dict[Cell, str],
          describe: Callable[[Constraint, Values], Finding],
          label: Callable[[Cell], str] = lambda cell: f"{cell[0]}.{cell[1]}",
          ) -> tuple[list[Finding], list[Repair], dict[Cell, int]]:
    """Findings for the violated constraints, repairs where unique, and the repaired values."""
    findings: list[Finding] = []
    repairs: list[Repair] = []
    repaired = dict(values)
    for component in _components(violated(constraints, values)):
        groups = [component]
        candidates = single_cell_candidates(component, constraints, values, nonnegative)
        if not candidates and len(component) > 1:
            groups = [[c] for c in component]
        for group in groups:
            if group is not component:
                candidates = single_cell_candidates(group, constraints, values, nonnegative)
            outcome = rank(candidates, witnesses, values)
            found = describe(group[0], values)
            if len(group) > 1:
                found.evidence["also_explains"] = [c.code for c in group[1:]]
            _attach(found, outcome.candidates, values, label)
            unique = outcome.unique
            if unique is not None:
                found.status = "repaired"
                repaired.update(unique.changes)
                repairs += _repairs(unique, found, values, raw)
                found.message += " Repaired: " + _changes_text(unique, values, label) + "."
            elif candidates:
                found.status = "ambiguous"
                found.message += " Candidates: " + "; ".join(
                    _changes_text(c, values, label) for c in candidates) + "."
            findings.append(found)
    return findings, repairs, repaired


def _components(bad: list[Constraint]) -> list[list[Constraint]]:
    groups: list[list[Constraint]] = []
    for constraint in bad:
        touching = [g for g in groups if any(set(constraint.cells) & set(c.cells) for c in g)]
        merged = [c for g in touching for c in g] + [constraint]
        groups = [g for g in groups if g not in touching] + [merged]
    order = {id(c): i for i, c in enumerate(bad)}
    return sorted((sorted(g, key=lambda c: order[id(c)]) for g in groups),
                  key=lambda g: order[id(g[0])])


def _attach(found: Finding, candidates: list[Candidate], values: Values,
            label: Callable[[Cell], str]) -> None:
    found.evidence["candidates"] = [
        {**c.as_evidence(values), "survives": not c.contradictions,
         "text": _changes_text(c, values, label)} for c in candidates]


def _changes_text(candidate: Candidate, values: Values, label: Callable[[Cell], str]) -> str:
    return ", ".join(f"{label(cell)} {values.get(cell)} → {value}"
                     for cell, value in candidate.changes.items())


def _repairs(candidate: Candidate, found: Finding, values: Values,
             raw: dict[Cell, str]) -> list[Repair]:
    evidence = {"supported_by": candidate.supports,
                "rejected": [c for c in found.evidence.get("candidates", [])
                             if not c["survives"]]}
    return [Repair(record=cell[0], field=cell[1], raw=raw.get(cell, str(values.get(cell))),
                   repaired=str(value), method=METHOD, confidence=confidence(candidate),
                   rule=found.rule, evidence=dict(evidence))
            for cell, value in candidate.changes.items()]
