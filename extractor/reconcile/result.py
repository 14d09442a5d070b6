"""What reconciliation hands back: findings, repairs, and their rows for the output tables."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from dataclasses import field as dataclass_field  # `Repair` has a field named `field`

from extractor.reconcile.rules import RULES, render


@dataclass
class Finding:
    """One row of the `findings` table (without doc_id)."""

    rule: str
    severity: str
    subject: str
    fields: str
    observed: str
    expected: str
    message: str
    evidence: dict = dataclass_field(default_factory=dict)
    status: str = "open"  # open, repaired or ambiguous


@dataclass
class Repair:
    """One row of the `repairs` table (without doc_id): the raw value is kept beside the new."""

    record: str
    field: str
    raw: str
    repaired: str
    method: str
    confidence: float
    rule: str
    evidence: dict = dataclass_field(default_factory=dict)


@dataclass
class Reconciliation:
    findings: list[Finding] = dataclass_field(default_factory=list)
    repairs: list[Repair] = dataclass_field(default_factory=list)

    def to_rows(self, doc_id: str) -> dict[str, list[dict]]:
        findings = [_row(doc_id, asdict(f)) for f in self.findings]
        repairs = [_row(doc_id, asdict(r)) for r in self.repairs]
        return {"findings": findings, "repairs": repairs}

    def by_rule(self, code: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == code]


def _row(doc_id: str, values: dict) -> dict:
    values["evidence"] = json.dumps(values["evidence"], ensure_ascii=False, sort_keys=True,
                                    default=str)
    return {"doc_id": doc_id, **values}


def finding(code: str, subject: str, observed: object, expected: object,
            evidence: dict | None = None, fields: list[str] | None = None,
            status: str = "open", **message_values: object) -> Finding:
    """A finding of rule `code`, its message rendered from the rule's template."""
    rule = RULES[code]
    message = render(code, observed=observed, expected=expected, **message_values)
    return Finding(rule=code, severity=rule.severity, subject=subject,
                   fields=";".join(fields if fields is not None else rule.fields),
                   observed=_text(observed), expected=_text(expected), message=message,
                   evidence=evidence or {}, status=status)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def reconciled_value(recon: Reconciliation, record: str, field_name: str) -> str | None:
    """The repaired value of `record`.`field_name` (as text), or None when it was not repaired.

    The row writer fills `election_results.seats_reconciled` with
    `reconciled_value(recon, f"election[{e}].result[{index}]", "seats")`, falling back to the
    typed seats when this is None.
    """
    for repair in recon.repairs:
        if repair.record == record and repair.field == field_name:
            return repair.repaired
    return None


def reconciled_int(recon: Reconciliation, record: str, field_name: str,
                   default: int | None = None) -> int | None:
    """`reconciled_value` as an integer, or `default` when not repaired or not a number."""
    value = reconciled_value(recon, record, field_name)
    if value is None:
        return default
    try:
        return int(float(value))
    except ValueError:
        return default
