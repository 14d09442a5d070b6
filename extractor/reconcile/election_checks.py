"""Election rules: the checks that read the record as it is, and those that read cell values
(run again on the repaired values, so a follow-on of a repaired error is not reported)."""

from __future__ import annotations

from extractor.reconcile.election_view import ElectionView, RowView, majority_of
from extractor.reconcile.numbers import fmt
from extractor.reconcile.repair import Constraint, Values
from extractor.reconcile.result import Finding, Repair, finding


def describe(constraint: Constraint, view: ElectionView, v: Values) -> Finding:
    """The finding for a violated constraint of `election_view.constraints`."""
    code = constraint.code
    if code == "ELECTION_SEAT_SUM":
        total = sum(v[r.seats_cell] for r in view.rows if r.seats_cell in v)
        return finding(code, view.subject, total, v[view.contested_cell],
                       evidence={"rows": [{"party": r.party, "seats": v.get(r.seats_cell)}
                                          for r in view.rows],
                                 "chamber": v.get(view.chamber_cell),
                                 "rows_complete": view.complete})
    if code == "ELECTION_MAJORITY":
        chamber = v[view.chamber_cell]
        return finding(code, view.subject, v[view.majority_cell], chamber // 2 + 1,
                       chamber=chamber)
    row = _row_of(view, constraint)
    if code == "ELECTION_SEAT_CHANGE":
        last = row.last if not row.last_is_cell else v[(row.record, "last_election")]
        change = v[(row.record, "seat_change")]
        return finding(code, row.record, v[row.seats_cell] - change, last, party=row.party,
                       seats=v[row.seats_cell], change=_signed_text(change, row.change_unsigned))
    # ELECTION_SEATS_CANDIDATES: built only for a row whose table gives its candidates
    assert row.candidates is not None
    number, where = row.candidates
    return finding(code, row.record, v[row.seats_cell], number, party=row.party,
                   evidence={"candidates": where})


def _row_of(view: ElectionView, constraint: Constraint) -> RowView:
    record = constraint.cells[0][0]
    return next(r for r in view.rows if r.record == record)


def _signed_text(number: float, is_unsigned: bool, unit: str = "") -> str:
    if is_unsigned:
        return f"{fmt(abs(number))}{unit} (no sign)"
    return f"{'+' if number > 0 else ''}{fmt(number)}{unit}"


# --- checks on the record as written ------------------------------------------------------

def static_findings(view: ElectionView) -> tuple[list[Finding], list[Repair]]:
    findings = _percent_sum(view) + _votes_percent(view)
    repairs: list[Repair] = []
    for row in view.rows:
        found, repair = _sign_derived(row)
        findings += found
        repairs += repair
        findings += _previous_negative(row)
    return findings, repairs


def _percent_sum(view: ElectionView) -> list[Finding]:
    covered = view.pct_sum
    if covered is None:
        return []
    total, tolerance = covered
    if total > 100 + tolerance + 1e-9:
        return [finding("ELECTION_PERCENT_SUM", view.subject, fmt(total), "at most 100",
                        evidence={"tolerance": round(tolerance, 6)})]
    rest = 100 - total
    if rest <= tolerance + 1e-9:
        return []
    evidence: dict[str, object] = {"rest": round(rest, 6), "threshold": view.threshold,
                                   "rows_complete": view.complete}
    found = finding("ELECTION_PERCENT_REST", view.subject, fmt(total), "100", rest=fmt(rest),
                    evidence=evidence)
    if view.threshold is not None and rest < view.threshold:
        evidence["implies"] = "no party outside the rows passed the threshold"
        found.message += (f" That is below the {fmt(view.threshold)}% threshold: the rows "
                          "must hold every seat.")
    return [found]


def _votes_percent(view: ElectionView) -> list[Finding]:
    """Each row's votes / share brackets the valid-vote total; the brackets must overlap."""
    brackets = {}
    for row in view.rows:
        if row.votes and row.pct and row.pct > row.pct_half:
            brackets[row.party] = (100 * row.votes / (row.pct + row.pct_half),
                                   100 * row.votes / (row.pct - row.pct_half))
    if len(brackets) < 2 or _overlap(brackets.values()):
        return []
    low = min(b[1] for b in brackets.values())
    high = max(b[0] for b in brackets.values())
    outliers = [p for p in brackets
                if _overlap([b for q, b in brackets.items() if q != p])]
    note = f"; {outliers[0]} is the odd one out" if len(outliers) == 1 else ""
    evidence = {"implied_totals": {p: [round(a), round(b)] for p, (a, b) in brackets.items()},
                "outliers": outliers}
    return [finding("ELECTION_VOTES_PERCENT", view.subject, f"{round(low)}..{round(high)}",
                     "one total", low=round(low), high=round(high), outlier=note,
                     evidence=evidence)]


def _overlap(brackets) -> bool:
    brackets = list(brackets)
    return max(b[0] for b in brackets) <= min(b[1] for b in brackets) * (1 + 1e-12)


def _sign_derived(row: RowView) -> tuple[list[Finding], list[Repair]]:
    """A seat change written without a sign, where the last election's seats decide it."""
    written = row.result.seat_change
    if (not row.change_unsigned or row.seats is None or row.last is None or not row.change
            or written is None):
        return [], []
    c = row.change
    if row.seats - c == row.last:
        sign = c
    elif row.seats + c == row.last:
        sign = -c
    else:
        return [], []  # neither sign fits: ELECTION_SEAT_CHANGE reports it
    evidence = {"seats": row.seats, "last_election": row.last,
                "written": written.raw}
    found = finding("ELECTION_SIGN_DERIVED", row.record, _signed_text(sign, False), "a sign",
                    party=row.party, what="seat change", evidence=evidence,
                    fields=["seat_change", "seats", "last_election"])
    if sign > 0:
        return [found], []  # the number stands as typed: nothing to repair
    found.status = "repaired"
    repair = Repair(row.record, "seat_change", written.raw, str(sign),
                    "sign_derived", 0.95, "ELECTION_SIGN_DERIVED", evidence)
    return [found], [repair]


def _previous_negative(row: RowView) -> list[Finding]:
    found = []
    if row.seats is not None and row.change is not None and row.last is None:
        previous = row.seats - row.change
        if previous < 0:
            hint = (f"; written without a sign, as a loss it would give {row.seats + row.change}"
                    if row.change_unsigned else "")
            found.append(finding(
                "ELECTION_PREVIOUS_NEGATIVE", row.record, previous, "0 or more",
                party=row.party, what="seat change", base="seats",
                change=_signed_text(row.change, False), value=row.seats, hint=hint,
                fields=["seats", "seat_change"],
                evidence={"seats": row.seats, "change": row.change,
                          "unsigned": row.change_unsigned}))
    if row.pct is not None and row.swing is not None:
        previous_share = row.pct - row.swing
        if previous_share < -row.pct_half - 1e-9:
            hint = (f"; written without a sign, as a fall it would give "
                    f"{fmt(row.pct + row.swing)}%" if row.swing_unsigned else "")
            found.append(finding(
                "ELECTION_PREVIOUS_NEGATIVE", row.record, f"{fmt(previous_share)}%", "0% or more",
                party=row.party, what="swing", base="share",
                change=_signed_text(row.swing, False, " pp"), value=f"{fmt(row.pct)}%",
                hint=hint, fields=["percentage", "swing"],
                evidence={"percentage": row.pct, "swing": row.swing,
                          "unsigned": row.swing_unsigned}))
    return found


# --- checks on cell values (prose claims) -------------------------------------------------

def value_findings(view: ElectionView, v: Values) -> list[Finding]:
    found = []
    seen = set()
    for claim in view.claims:
        key = (claim.kind, claim.party, claim.number)
        if not claim.in_results or key in seen:
            continue
        seen.add(key)
        row = view.row_named(claim.party)
        evidence = {"claim": claim.as_evidence()}
        if claim.kind == "majority_seats" and row is not None and row.seats_cell in v:
            seats, needed = v[row.seats_cell], majority_of(view, v)
            if seats != claim.number or (needed is not None and seats < needed):
                found.append(finding("ELECTION_PROSE_MAJORITY", row.record, seats, needed,
                                     party=row.party, claim=fmt(claim.number),
                                     evidence=evidence))
        elif claim.kind == "seats" and row is not None and row.seats_cell in v:
            if v[row.seats_cell] != claim.number:
                found.append(_claim_finding(row.record, f"{row.party} won {fmt(claim.number)}"
                             " seats", f"{v[row.seats_cell]} seats", evidence, ["seats"]))
        elif claim.kind == "share" and row is not None and row.pct is not None:
            if abs(row.pct - claim.number) > claim.tolerance + row.pct_half + 1e-9:
                found.append(_claim_finding(row.record, f"{row.party} won "
                             f"{fmt(claim.number)}% of the vote", f"{fmt(row.pct)}%",
                             evidence, ["percentage"]))
        elif claim.kind == "contested" and view.contested_cell in v:
            stated = {v[view.contested_cell], v[view.chamber_cell]}
            if claim.number not in stated:
                found.append(_claim_finding(view.subject, f"{fmt(claim.number)} seats were "
                             "up for election", f"{v[view.contested_cell]} seats", evidence,
                             ["seats_for_election"]))
    return found


def _claim_finding(subject: str, claim: str, observed: str, evidence: dict,
                   fields: list[str]) -> Finding:
    return finding("ELECTION_PROSE_CLAIM", subject, observed, claim, claim=claim,
                   evidence=evidence, fields=fields)
