"""From violated constraints to findings and repairs, for any record seen as cells.

Violated constraints that share cells form one component: one error can break several of
them (a wrong seat count breaks the seat sum and the seat change), and it is reported once,
under the first constraint, with the others named as explained by it. When no single cell
explains a whole component, pairs of cells are tried (two independent errors, each reported);
when no pair does either, each constraint is searched and reported on its own.
"""

from __future__ import annotations

from collections.abc import Callable

from extractor.reconcile.repair import (
    Candidate,
    Cell,
    Constraint,
    Outcome,
    Values,
    Witness,
    confidence,
    rank,
    single_cell_candidates,
    two_cell_candidates,
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
        candidates = single_cell_candidates(component, constraints, values, nonnegative)
        if not candidates and len(component) > 1 and _small(component):
            candidates = two_cell_candidates(component, constraints, values, nonnegative)
        together = bool(candidates) or len(component) == 1
        if together:
            groups = [(component, candidates)]
        else:  # nothing small explains them together: each on its own, and none repaired,
            # since the fix of one could undo the fix of another
            groups = [([c], single_cell_candidates([c], constraints, values, nonnegative))
                      for c in component]
        for group, found_candidates in groups:
            outcome = rank(found_candidates, witnesses, values)
            unique = outcome.unique if together else None
            # one cell explaining several constraints: one finding; two cells: one each
            pairs = bool(found_candidates) and all(len(c.changes) > 1 for c in found_candidates)
            shown = group if pairs else group[:1]
            for constraint in shown:
                found = describe(constraint, values)
                if len(shown) == 1 and len(group) > 1:
                    found.evidence["also_explains"] = [c.code for c in group[1:]]
                _attach(found, outcome.candidates, values, label)
                if unique is not None:
                    found.status = "repaired"
                    found.message += " Repaired: " + _changes_text(unique, values, label) + "."
                elif found_candidates:
                    found.status = "ambiguous"
                    found.message += _ambiguity_text(outcome, values, label)
                findings.append(found)
            if unique is not None:
                repaired.update(unique.changes)
                repairs += _repairs(unique, outcome, group, values, raw, label)
    return findings, repairs, repaired


MAX_PAIR_CELLS = 40  # pairs of cells are tried only in components this small


def _small(component: list[Constraint]) -> bool:
    return len({cell for c in component for cell in c.cells}) <= MAX_PAIR_CELLS


def _ambiguity_text(outcome: Outcome, values: Values, label: Callable[[Cell], str]) -> str:
    if outcome.survivors:
        listed, lead = outcome.survivors, " Candidates: "
    else:
        listed, lead = outcome.candidates, " Candidates, each contradicted by a witness: "
    return lead + "; ".join(_changes_text(c, values, label) for c in listed) + "."


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


def _repairs(chosen: Candidate, outcome: Outcome, group: list[Constraint], values: Values,
             raw: dict[Cell, str], label: Callable[[Cell], str]) -> list[Repair]:
    """One repair per cell `chosen` (the outcome's unique survivor) changes, under the rule of the
    first constraint that reads it."""
    rejected = [{**c.as_evidence(values), "text": _changes_text(c, values, label)}
                for c in outcome.candidates if c.contradictions]
    evidence = {"supported_by": chosen.supports, "rejected": rejected}
    return [Repair(record=cell[0], field=cell[1], raw=raw.get(cell, str(values.get(cell))),
                   repaired=str(value), method=METHOD, confidence=confidence(chosen),
                   rule=next((c.code for c in group if cell in c.cells), group[0].code),
                   evidence=dict(evidence))
            for cell, value in chosen.changes.items()]
