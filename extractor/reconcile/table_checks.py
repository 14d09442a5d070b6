"""Tables as witnesses and as subjects: party rows, Total rows, agreement with the infobox."""

from __future__ import annotations

import re

from extractor.model import Article
from extractor.reconcile.numbers import count, fmt, half_unit, norm_name, share
from extractor.reconcile.result import Finding, finding
from extractor.schemas.election import Election
from extractor.schemas.records import TypedTable
from extractor.values import TypedValue

_NOT_ADDITIVE = re.compile(r"change|swing|±|\+/|\+−|\+-|−|rank|year|position|^no\b|#|turnout|"
                           r"ratio|average|density|date|since|born|age", re.I)
_SKIP_LABEL = re.compile(r"registered|eligible|electorate|turnout|voters|majority|quota", re.I)
_VALID_LABEL = re.compile(r"^(total\s+)?valid(\s+votes?)?$", re.I)
_INVALID_LABEL = re.compile(r"invalid|blank|spoil|null|rejected", re.I)
_TOTAL_LABEL = re.compile(r"^totals?(\s+(votes?|seats|cast|votes cast))?$|^votes cast$", re.I)
_ADDITIVE_KINDS = ("integer", "percent", "decimal")
_SUBTOTAL_LABEL = re.compile(r"\btotal\b|\bsubtotal\b", re.I)
# Each label pattern above needs one of these words, in any case. A label with none of them
# matches none: most rows are of tables that are no results (films, places), and their labels
# are spared five case-blind regex searches each (~5,000 instructions a row).
_LABEL_WORDS = ("registered", "eligible", "electorate", "turnout", "voters", "majority", "quota",
                "valid", "blank", "spoil", "null", "rejected", "total", "votes cast")

# Aligned column names of multi-row headers read "Votes / %", "Seats / Won".
COLUMN_PATTERNS = {
    "seats": re.compile(r"^seats?( won| / won| / total| / after| / elected)?$", re.I),
    "votes": re.compile(r"^(votes|popular vote)( / (#|no\.?|number|votes|total))?$", re.I),
    "percentage": re.compile(r"^((votes|popular vote) / )?(%|percent(age)?|share|vote share|"
                             r"% of votes?)$", re.I),
    "leader": re.compile(r"\bleader\b", re.I),
    "candidates": re.compile(r"candidat", re.I),
}


def column_name(table: TypedTable, r: int, c: int) -> str:
    if r < len(table.cell_columns) and c < len(table.cell_columns[r]):
        name = table.cell_columns[r][c]
        if name:
            return name
    return table.columns[c] if c < len(table.columns) else ""


def data_rows(table: TypedTable) -> range:
    return range(min(table.header_rows, len(table.cells)), len(table.cells))


def party_rows(tables: list[TypedTable], party: str) -> list[tuple[TypedTable, int]]:
    """Rows of any table with a cell naming `party` exactly (normalised)."""
    wanted = norm_name(party)
    if not wanted:
        return []
    return [(t, r) for t in tables for r in data_rows(t)
            if any(norm_name(v.text) == wanted for v in t.cells[r])]


def column_value(table: TypedTable, r: int, column: str) -> tuple[str, TypedValue] | None:
    """The cell of row `r` under the one column matching `column`'s pattern, if exactly one."""
    pattern = COLUMN_PATTERNS[column]
    names = {n for n in table.columns if pattern.search(n)}
    if len(names) != 1:
        return None
    for c, value in enumerate(table.cells[r]):
        name = column_name(table, r, c)
        if name in names:
            return name, value
    return None


def cells_equal_to(table: TypedTable, r: int, number: int) -> list[dict]:
    """Where row `r` holds `number`: explains a value copied from the wrong column."""
    return [{"table": table.table, "row": r, "column": column_name(table, r, c),
             "value": number}
            for c, v in enumerate(table.cells[r]) if count(v) == number]


def infobox_mismatches(election: Election, subject: str, tables: list[TypedTable]
                       ) -> list[Finding]:
    """TABLE_INFOBOX_MISMATCH: a table row and the infobox row of the same party disagree."""
    findings = []
    for row in election.results:
        party = row.party.text if row.party else None
        matches = party_rows(tables, party) if party else []
        if len(matches) != 1:
            continue  # absent, or named twice: no single row to compare with
        table, r = matches[0]
        for column, mine in (("leader", row.leader), ("seats", row.seats),
                             ("votes", row.votes), ("percentage", row.percentage)):
            found = column_value(table, r, column)
            if found is None or mine is None:
                continue
            name, theirs = found
            if _disagree(column, mine, theirs):
                findings.append(finding(
                    "TABLE_INFOBOX_MISMATCH", f"{subject}.result[{row.index}]",
                    theirs.text, mine.text, party=party, column=name,
                    evidence={"table": table.table, "row": r, "column": name,
                              "infobox_field": column}, fields=[column]))
    return findings


def _disagree(column: str, mine: TypedValue, theirs: TypedValue) -> bool:
    if column == "leader":
        my_name, their_name = norm_name(mine.text), norm_name(theirs.text)
        return bool(my_name and their_name and my_name != their_name)
    if column == "percentage":
        my_share, their_share = share(mine), share(theirs)
        return my_share is not None and their_share is not None and abs(
            my_share - their_share) > half_unit(mine) + half_unit(theirs) + 1e-9
    my_count, their_count = count(mine), count(theirs)
    return my_count is not None and their_count is not None and my_count != their_count


def total_findings(tables: list[TypedTable], article: Article) -> list[Finding]:
    """TABLE_TOTAL for every table with a Total, Valid votes or subtotal row."""
    findings = []
    for table in tables:
        if _has_rowspans(article, table.table):
            continue  # a value spanning rows would be counted once per row
        findings.extend(_table_totals(table))
    return findings


def _has_rowspans(article: Article, index: int) -> bool:
    if not 0 <= index < len(article.tables):
        return False
    # (the cells' fields read from their dicts, once a cell: see `tables._spans_one`)
    return any(fields["rowspan"] > 1 and not fields["header"]
               for row in article.tables[index].rows for fields in _dicts(row.cells))


def _dicts(models: list) -> list[dict]:
    return [model.__dict__ for model in models]


def _label(values: list[TypedValue]) -> str:
    for v in values:
        fields = v.__dict__  # (see `_has_rowspans`)
        text = fields["text"].strip()
        if text and fields["number"] is None:
            return text
    return ""


# The characters a case-blind regex takes for an ASCII letter that `lower()` does not make one:
# with these replaced, `lower()` turns exactly those characters into that letter (a test sweeps
# every code point).
CASE_TWINS = {0x130: "i", 0x131: "i", 0x17F: "s"}  # İ, ı, ſ


def _plain_label(label: str) -> bool:
    """A label holding no word of `_LABEL_WORDS`, compared as the case-blind patterns compare:
    it matches no label pattern."""
    low = label.lower() if label.isascii() else label.translate(CASE_TWINS).lower()
    for word in _LABEL_WORDS:
        if word in low:
            return False
    return True


def _table_totals(table: TypedTable) -> list[Finding]:
    findings: list[Finding] = []
    segment: dict[int, list[TypedValue]] = {}
    grand: dict[int, list[TypedValue]] = {}
    for r in data_rows(table):
        values = table.cells[r]
        label = _label(values)
        if label and _plain_label(label):
            _accumulate(segment, table, r)  # what a label no pattern matches gets, below
            continue
        if not label or _SKIP_LABEL.search(label) or _INVALID_LABEL.search(label):
            if not label:
                _accumulate(segment, table, r)
            continue
        if _VALID_LABEL.match(label) or _TOTAL_LABEL.match(label):
            findings.extend(_compare(table, r, label, {**_merge(grand, segment)}))
            break  # after the total come invalid votes, turnout: other sums
        if _SUBTOTAL_LABEL.search(label):
            findings.extend(_compare(table, r, label, segment))
            _accumulate(grand, table, r)
            segment = {}
            continue
        _accumulate(segment, table, r)
    return findings


def _accumulate(sums: dict[int, list[TypedValue]], table: TypedTable, r: int) -> None:
    for c, v in enumerate(table.cells[r]):
        fields = v.__dict__  # (see `_has_rowspans`)
        if fields["kind"] in _ADDITIVE_KINDS and fields["number"] is not None:
            sums.setdefault(c, []).append(v)


def _merge(a: dict[int, list[TypedValue]], b: dict[int, list[TypedValue]]) -> dict:
    return {c: a.get(c, []) + b.get(c, []) for c in set(a) | set(b)}


def _compare(table: TypedTable, r: int, label: str, sums: dict[int, list[TypedValue]]
             ) -> list[Finding]:
    findings = []
    for c, total in enumerate(table.cells[r]):
        parts = sums.get(c, [])
        name = column_name(table, r, c)
        if len(parts) < 2 or total.number is None or _NOT_ADDITIVE.search(name):
            continue
        if total.kind not in _ADDITIVE_KINDS or any(v.kind != total.kind for v in parts):
            continue
        observed = sum(v.number for v in parts if v.number is not None)  # all are numbers
        tolerance = 0.0 if total.kind == "integer" else (
            sum(half_unit(v) for v in parts) + half_unit(total))
        if abs(observed - total.number) > tolerance + 1e-9:
            findings.append(finding(
                "TABLE_TOTAL", f"table[{table.table}]", fmt(observed), fmt(total.number),
                table=table.table, column=name or c, label=label,
                evidence={"row": r, "column": name, "label": label, "rows_summed": len(parts),
                          "tolerance": tolerance}, fields=[name or str(c)]))
    return findings
