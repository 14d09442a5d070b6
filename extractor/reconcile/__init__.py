"""Reconciliation: rules that report, witnesses that rank, repairs only when unique.

    reconcile(article, records) -> Reconciliation(findings, repairs)

A pure function of one article and its typed records: no I/O, no state, and it never raises
on odd data (a rule that cannot evaluate does not fire; a bug in one family of checks
becomes a RECONCILE_INTERNAL finding rather than a lost article).

Modules: `rules` (the catalogue, as data), `result` (Finding, Repair, rows), `election_view`
(an election as integer cells, constraints and witnesses), `election_checks` and `election`
(the election rules and follow-on suppression), `legislature`, `infobox_checks`,
`table_checks`, `prose` (claims read from the text), `apportion` (exact-fraction seat
apportionment), `repair` and `solve` (minimal repair search and ranking by witnesses).
"""

from __future__ import annotations

from extractor.model import Article
from extractor.reconcile.election import reconcile_election
from extractor.reconcile.infobox_checks import infobox_findings
from extractor.reconcile.legislature import reconcile_legislature
from extractor.reconcile.prose import Claim, extract_claims
from extractor.reconcile.result import (
    Finding,
    Reconciliation,
    Repair,
    reconciled_int,
    reconciled_value,
)
from extractor.reconcile.rules import RULES, Rule, catalogue_rows
from extractor.reconcile.table_checks import total_findings
from extractor.schemas.records import Records

__all__ = ["RULES", "Finding", "Reconciliation", "Repair", "Rule", "catalogue_rows",
           "reconcile", "reconciled_int", "reconciled_value", "result_record"]


def reconcile(article: Article, records: Records) -> Reconciliation:
    recon = Reconciliation()
    _guarded(recon, "infobox", _only_findings(infobox_findings), records.fields)
    _guarded(recon, "tables", _only_findings(total_findings), records.tables, article)
    if not records.elections and not records.legislatures:
        return recon
    claims = _claims(article, records)
    # Records are named by the infobox they come from (`election[2]`), the key the
    # `elections` and `legislatures` tables carry too.
    for election in records.elections:
        subject = f"election[{election.infobox}]"
        _guarded(recon, subject, reconcile_election, election, election.infobox, claims,
                 records.tables)
    for body in records.legislatures:
        _guarded(recon, f"legislature[{body.infobox}]", reconcile_legislature, body,
                 body.infobox, claims)
    return recon


def result_record(infobox: int, index: int) -> str:
    """The `record` a repair of an election result row carries: `election[0].result[2]` is
    the row with series number 2 of the election record built from infobox 0 (the `infobox`
    and `index` columns of `election_results`)."""
    return f"election[{infobox}].result[{index}]"


def _claims(article: Article, records: Records) -> list[Claim]:
    names = [r.party.text for e in records.elections for r in e.results if r.party]
    names += [r.candidate.text for e in records.elections for r in e.results if r.candidate]
    return extract_claims(article, names)


def _only_findings(check):
    return lambda *args: (check(*args), [])


def _guarded(recon: Reconciliation, subject: str, run, *args) -> None:
    try:
        findings, repairs = run(*args)
    except Exception as exc:  # noqa: BLE001 - one family's bug must not lose the article
        recon.findings.append(Finding(
            rule="RECONCILE_INTERNAL", severity="warning", subject=subject, fields="",
            observed=type(exc).__name__, expected="", message=f"A check failed: {exc}",
            evidence={}, status="open"))
        return
    recon.findings.extend(findings)
    recon.repairs.extend(repairs)
