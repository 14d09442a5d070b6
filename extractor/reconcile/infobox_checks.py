"""Checks every infobox gets: numbered series, duplicate keys, residue, values that failed."""

from __future__ import annotations

import re
from collections import defaultdict

from extractor.reconcile.result import Finding, finding
from extractor.schemas.records import TypedField

# Keys whose value should be a number: text there means the value failed to type.
NUMERIC_KEYS = frozenset({
    "seats", "seats_for_election", "majority_seats", "majority", "popular_vote", "votes",
    "percentage", "swing", "seat_change", "seats_change", "members", "turnout", "seats_before",
    "seats_after", "seats_won", "vote_share",
})
_DATE_FLAGS = ("ambiguous_date", "invalid_date")
_PLAIN_TEXT = ["untyped"]
# Keys that legitimately hold a bare image size, whatever the value typing made of them.
_SIZE_KEY = re.compile(r"size|width|height|px|pixels|upright|scale|res$", re.I)
MAX_SERIES = 60  # larger numbers are years or codes, not series positions


def infobox_findings(fields: list[TypedField]) -> list[Finding]:
    by_box: dict[int, list[TypedField]] = defaultdict(list)
    for f in fields:
        by_box[f.infobox].append(f)
    findings: list[Finding] = []
    for box, box_fields in sorted(by_box.items()):
        subject = f"infobox[{box}]"
        findings.extend(_series_gaps(subject, box_fields))
        findings.extend(_duplicates(subject, box_fields))
        findings.extend(_value_flags(subject, box_fields))
    return findings


def _series_gaps(subject: str, fields: list[TypedField]) -> list[Finding]:
    numbers = {f.index for f in fields if f.index is not None and 0 < f.index <= MAX_SERIES}
    if len(numbers) < 2:
        return []
    missing = [n for n in range(min(numbers), max(numbers)) if n not in numbers]
    if not missing:
        return []
    return [finding("INFOBOX_SERIES_GAP", subject, ", ".join(map(str, missing)),
                    f"{min(numbers)}..{max(numbers)} without gaps",
                    evidence={"present": sorted(numbers), "missing": missing}, fields=["*"])]


def _duplicates(subject: str, fields: list[TypedField]) -> list[Finding]:
    if (len({f.key_raw.strip() for f in fields}) == len(fields)
            and len({(f.key, f.index) for f in fields}) == len(fields)):
        return []  # the common case, decided without grouping
    findings = []
    by_raw: dict[str, list[TypedField]] = defaultdict(list)
    by_key: dict[tuple[str, int | None], list[TypedField]] = defaultdict(list)
    for f in fields:
        by_raw[f.key_raw.strip()].append(f)
        by_key[(f.key, f.index)].append(f)
    for raw, same in by_raw.items():
        if len(same) > 1:
            last = same[-1]
            findings.append(finding(
                "INFOBOX_DUPLICATE_KEY", subject, last.value.raw, last.value.raw, key=raw,
                count=len(same), fields=[last.key],
                evidence={"key": raw, "lines": [f.line for f in same],
                          "values": [f.value.raw for f in same]}))
    for (key, index), same in by_key.items():
        if len(same) < 2:
            continue
        spellings = list(dict.fromkeys(f.key_raw.strip() for f in same))
        if len(spellings) < 2:
            continue  # one spelling repeated: reported above
        last = same[-1]
        if index is not None:
            code, observed = "INFOBOX_SERIES_DUPLICATE", " and ".join(spellings)
        else:
            code, observed = "INFOBOX_DUPLICATE_KEY", last.value.raw
        findings.append(finding(
            code, subject, observed, last.key_raw, key=" / ".join(spellings),
            count=len(same), fields=[key],
            evidence={"key": key, "index": index, "spellings": spellings,
                      "lines": [f.line for f in same], "values": [f.value.raw for f in same]}))
    return findings


def _value_flags(subject: str, fields: list[TypedField]) -> list[Finding]:
    findings = []
    for f in fields:
        flags = f.value.flags
        if not flags or (flags == _PLAIN_TEXT and f.key not in NUMERIC_KEYS):
            continue  # most fields: typed, or text where text is expected
        where = {"key": f.key_raw, "line": f.line, "raw": f.value.raw}
        if "lost_value" in flags and not _SIZE_KEY.search(f.key):
            findings.append(finding("INFOBOX_LOST_VALUE", subject, f.value.text, "a value",
                                    key=f.key_raw, evidence=where, fields=[f.key]))
        elif "residue" in flags:
            findings.append(finding("INFOBOX_RESIDUE", subject, f.value.raw, f.value.text,
                                    key=f.key_raw, evidence=where, fields=[f.key]))
        failed = _failed_as(f)
        if failed:
            findings.append(finding("INFOBOX_UNTYPED", subject, f.value.raw, failed,
                                    key=f.key_raw, evidence={**where, "flags": flags},
                                    fields=[f.key]))
    return findings


def _failed_as(f: TypedField) -> str | None:
    flags = f.value.flags
    if "ambiguous_number" in flags:
        return "a number (thousands or decimal separator?)"
    if any(flag in flags for flag in _DATE_FLAGS):
        return "a date"
    if "untyped" in flags and f.key in NUMERIC_KEYS:
        return "a number"
    return None
