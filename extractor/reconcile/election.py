"""Reconciling one election record: rules, witnesses, the minimal repair, follow-ons."""

from __future__ import annotations

from extractor.reconcile import election_checks as checks
from extractor.reconcile.election_view import (
    ElectionView,
    cells,
    constraints,
    election_view,
    witnesses,
)
from extractor.reconcile.prose import Claim
from extractor.reconcile.repair import Cell
from extractor.reconcile.result import Finding, Repair
from extractor.reconcile.solve import solve
from extractor.reconcile.table_checks import cells_equal_to, infobox_mismatches, party_rows
from extractor.schemas.election import Election
from extractor.schemas.records import TypedTable


def reconcile_election(election: Election, infobox: int, claims: list[Claim],
                       tables: list[TypedTable]) -> tuple[list[Finding], list[Repair]]:
    view = election_view(election, infobox, claims, tables)
    values, nonnegative = cells(view)
    findings, repairs, repaired = solve(
        constraints(view), values, nonnegative, witnesses(view), view.raw,
        lambda c, v: checks.describe(c, view, v), lambda cell: _label(view, cell))
    for repair in repairs:
        _explain_raw(view, repair, findings)
    static, sign_repairs = checks.static_findings(view)
    before = checks.value_findings(view, values)
    after = checks.value_findings(view, repaired) if repairs else before
    still = {_key(f) for f in after}
    resolved = [f for f in before if _key(f) not in still]
    if resolved:
        for f in findings:
            if f.status == "repaired":
                f.evidence.setdefault("also_explains", []).extend(r.rule for r in resolved)
    kept = [f for f in before if _key(f) in still]
    mismatches = _unexplained(infobox_mismatches(election, view.subject, tables), repairs,
                              findings)
    return findings + kept + static + mismatches, repairs + sign_repairs


def _unexplained(mismatches: list[Finding], repairs: list[Repair],
                 findings: list[Finding]) -> list[Finding]:
    """Table disagreements a repair already resolved are follow-ons: not reported again."""
    repaired = {(r.record, r.field): r for r in repairs}
    kept = []
    for f in mismatches:
        repair = repaired.get((f.subject, f.fields))
        if repair is not None and _same_number(repair.repaired, f.observed):
            for g in findings:
                if g.status == "repaired" and g.rule == repair.rule:
                    g.evidence.setdefault("also_explains", []).append(f.rule)
            continue
        kept.append(f)
    return kept


def _same_number(a: str, b: str) -> bool:
    try:
        return float(a.replace(",", "")) == float(b.replace(",", ""))
    except ValueError:
        return False


def _key(found: Finding) -> tuple:
    claim = found.evidence.get("claim", {})
    return found.rule, found.subject, claim.get("text"), claim.get("number")


def _label(view: ElectionView, cell: Cell) -> str:
    for row in view.rows:
        if row.record == cell[0]:
            return row.party if cell[1] == "seats" else f"{row.party} {cell[1]}"
    return cell[1]


def _explain_raw(view: ElectionView, repair: Repair, findings: list[Finding]) -> None:
    """Where the raw number also stands in the party's table row under another column: the
    likely source of the error (a value copied from the wrong column)."""
    if repair.field != "seats":
        return
    row = next((r for r in view.rows if r.record == repair.record), None)
    if row is None or row.seats is None:
        return
    notes = [note for table, r in party_rows(view.tables, row.party)
             for note in cells_equal_to(table, r, row.seats)
             if "seat" not in note["column"].casefold()]
    if not notes:
        return
    repair.evidence["raw_value_in_table"] = notes
    where = ", ".join(f"{n['column']!r} in table {n['table']}" for n in notes)
    for f in findings:
        if f.status == "repaired" and f.rule == repair.rule:
            f.evidence["raw_value_in_table"] = notes
            f.message += f" {repair.raw.strip()} is {row.party}'s {where}."
