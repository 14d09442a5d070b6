"""Typed records for an article: every infobox field typed, one record per infobox (election,
legislature or generic), one typed table per table (the models are in `records`).

The schema of an infobox is chosen by its template name where it has one (wikitext) and by the
signature of its keys otherwise (the flat `Infobox` header names no template); an infobox of
neither family becomes a generic record: its fields by canonical key, and its numbered series
(`image1`, `caption1`, ...) grouped per index. Row conversion for the output contract is
`records_to_rows`, at the end of this module. A hot module (`extractor.native`): it runs once
per infobox field and table cell of a dump.
"""

from __future__ import annotations

import json
import re

from extractor.gcpause import gc_paused
from extractor.json_text import json_strings
from extractor.keys import canonical_key
from extractor.model import Article, Infobox
from extractor.schemas.election import Election, build_election
from extractor.schemas.generic import FieldIndex, FieldRef
from extractor.schemas.groups import flatten_groups
from extractor.schemas.legislature import Legislature, build_legislature, member_count
from extractor.schemas.records import (
    CELL_COLUMNS,
    CELL_INDEX,
    CellRow,
    GenericRecord,
    Records,
    TypedField,
    TypedTable,
)
from extractor.tables import type_table
from extractor.templates import lone_file_name
from extractor.unvalidated import construct
from extractor.values import TypedValue, parse_value

__all__ = ["CELL_COLUMNS", "CELL_INDEX", "ROW_TABLES", "CellRow", "GenericRecord", "Records",
           "Rows", "TypedField", "TypedTable", "build_records", "records_to_rows",
           "row_columns"]


# --- choosing a schema --------------------------------------------------------------------

_ELECTION_SIGNATURE = frozenset({
    "election_name", "election_date", "seats_for_election", "majority_seats", "turnout",
    "popular_vote", "percentage", "swing", "seats_before", "seats_after", "seat_change",
    "previous_election", "next_election", "leader_since", "leaders_seat"})
_LEGISLATURE_SIGNATURE = frozenset({
    "members", "house_type", "political_groups", "leader_type", "structure", "structure_res",
    "meeting_place", "foundation", "preceded_by", "coa_pic", "session_room", "voting_system",
    "term_length", "new_session"})


def template_schema(template: str | None) -> str | None:
    """Schema named by a template (`Infobox legislative election` -> election), else None."""
    if not template:
        return None
    name = re.sub(r"[\s_]+", " ", template.strip().casefold())
    name = name.removeprefix("template:").strip()
    if not name.startswith("infobox"):
        return None
    if "election" in name:
        return "election"
    if "legislature" in name or "parliament" in name:
        return "legislature"
    return None


def signature_schema(keys: set[str], threshold: int = 2) -> str:
    """Schema suggested by the keys alone: the family sharing the most keys, if at least
    `threshold` of them."""
    election = len(keys & _ELECTION_SIGNATURE)
    legislature = len(keys & _LEGISLATURE_SIGNATURE)
    if max(election, legislature) < threshold:
        return "generic"
    return "election" if election > legislature else "legislature"


def choose_schema(infobox: Infobox, keys: set[str]) -> str:
    named = template_schema(infobox.template)
    if named is not None:
        return named
    # A template the registry does not know must show a stronger signature than a nameless
    # flat infobox before it is read as an election or a legislature.
    return signature_schema(keys, threshold=4 if infobox.template else 2)


# --- building -----------------------------------------------------------------------------

def build_records(article: Article) -> Records:
    records = Records.model_construct(fields=[], elections=[], legislatures=[], tables=[],
                                      schema_of_infobox=[], generics=[], duplicates={})
    for number, infobox in enumerate(article.infoboxes):
        _add_infobox(records, number, infobox)
    titles = [s.title for s in article.sections]
    for number, table in enumerate(article.tables):
        section = titles[table.section] if 0 <= table.section < len(titles) else ""
        records.tables.append(type_table(table, number, section))
    return records


def _add_infobox(records: Records, number: int, infobox: Infobox) -> None:
    template = infobox.template or infobox.header
    refs = []
    for position, field in enumerate(infobox.fields):
        f = field.__dict__  # (the fields read from the model's dict: see `_table_rows`)
        raw_key, raw, hints, line = f["key"], f["value"], f["hints"], f["line"]
        key, key_index = canonical_key(raw_key)
        text = f["text"]
        if text == "":  # an image renders to no text, but its file name is the value
            text = lone_file_name(raw) or ""
        value = parse_value(raw, key, text=text, hints=hints or None)
        if hints and "unknown_templates" in hints:
            value = _with_unknown_templates(value, hints["unknown_templates"])
        records.fields.append(_typed_field(number, template, position, line, raw_key,
                                           key, key_index, value))
        refs.append(FieldRef(key, key_index, raw_key, line, value, hints))
    index = FieldIndex(refs)
    if index.duplicates:
        records.duplicates[number] = index.duplicates
    schema = choose_schema(infobox, index.keys)
    records.schema_of_infobox.append(schema)
    if schema == "election":
        election = build_election(number, index)
        if election.name is None:
            election.name = _header_name(infobox)
        records.elections.append(election)
    elif schema == "legislature":
        records.legislatures.append(build_legislature(number, index, _header_name(infobox)))
    else:
        records.generics.append(build_generic(number, template, index))


def build_generic(infobox: int, template: str | None, index: FieldIndex) -> GenericRecord:
    values: dict[str, TypedValue] = {}
    series: dict[int, dict[str, TypedValue]] = {}
    for (key, number), ref in index.by_key.items():
        if number is None:
            values[key] = ref.value
        else:
            series.setdefault(number, {})[key] = ref.value
    return GenericRecord.model_construct(
        infobox=infobox, template=template, values=values,
        series=dict(sorted(series.items())), duplicates=list(index.duplicates))


_TYPED_FIELD_FIELDS = set(TypedField.model_fields)


def _typed_field(infobox: int, template: str | None, position: int, line: int, key_raw: str,
                 key: str, index: int | None, value: TypedValue) -> TypedField:
    """`TypedField.model_construct` with every field given, without its per-call inspection
    (one per infobox field of the dump). The fields-set is shared, as `values._model`'s."""
    return construct(TypedField, {
        "infobox": infobox, "template": template, "position": position, "line": line,
        "key_raw": key_raw, "key": key, "index": index, "value": value}, _TYPED_FIELD_FIELDS)


def _with_unknown_templates(value: TypedValue, names_json: str) -> TypedValue:
    """Flag the templates the registry could not render (`unknown_template:<name>`), so the
    report can list those that touched the most fields. A copy: typed values may be cached."""
    try:
        names = [str(n) for n in json.loads(names_json)]
    except (ValueError, TypeError):
        return value
    extra = [f"unknown_template:{n}" for n in names if f"unknown_template:{n}" not in value.flags]
    return _with_flags(value, [*value.flags, *extra]) if extra else value


def _with_flags(value: TypedValue, flags: list[str]) -> TypedValue:
    """`value.model_copy(update={"flags": flags})`, without its generic copying: a shallow copy
    of the fields with the new flags, and "flags" among the fields set."""
    if value.__pydantic_extra__ is not None or value.__pydantic_private__ is not None:
        return value.model_copy(update={"flags": flags})
    return construct(type(value), {**value.__dict__, "flags": flags},
                     value.__pydantic_fields_set__ | {"flags"})


def _header_name(infobox: Infobox) -> TypedValue | None:
    """The flat format's free header line names the body (`Almaty City Mäslihat`), unless it is
    the bare word `Infobox`."""
    header = (infobox.header or "").strip()
    if not header or header.casefold() == "infobox":
        return None
    return TypedValue.model_construct(raw=header, text=header, kind="text", flags=[], parts=[])


# --- rows for the output contract ---------------------------------------------------------

Rows = dict[str, list]  # dicts, and CellRow mappings for table_cells
ROW_TABLES = ("infobox_fields", "tables", "table_cells", "elections", "election_results",
              "legislatures", "legislature_groups", "legislature_leaders")


def records_to_rows(doc_id: str, records: Records) -> Rows:
    """Rows for the contract tables this layer feeds (`extractor.contract.SCHEMAS`), every
    column present. `seats_reconciled` equals `seats` here; reconciliation overwrites it."""
    rows: Rows = {name: [] for name in ROW_TABLES}
    field_rows, dumps = rows["infobox_fields"], json.dumps
    for field in records.fields:
        # the typed-value columns (those `table_cells` shares: raw ... parts) in the field's
        # one dict; the models' fields read from their `__dict__`s (see `_table_rows`)
        f = field.__dict__
        v = f["value"].__dict__
        parts = v["parts"]
        field_rows.append({
            "doc_id": doc_id, "infobox": f["infobox"], "template": f["template"],
            "position": f["position"], "line": f["line"], "key_raw": f["key_raw"],
            "key": f["key"], "index": f["index"], "raw": v["raw"], "text": v["text"],
            "kind": v["kind"], "number": v["number"], "total": v["total"], "unit": v["unit"],
            "date": v["date"], "date_precision": v["date_precision"],
            "flags": ";".join(v["flags"]) or None,
            "parts": dumps(_parts(parts), ensure_ascii=False) if parts else None})
    with gc_paused(sum(len(row) for table in records.tables for row in table.cells)):
        for table in records.tables:
            _table_rows(doc_id, table, rows)
    for election in records.elections:
        _election_rows(doc_id, election, rows)
    for body in records.legislatures:
        _legislature_rows(doc_id, body, rows)
    return rows


def _parts(parts: list[TypedValue]) -> list[dict]:
    out = []
    for part in parts:
        item = {k: getattr(part, k) for k in ("kind", "text", "number", "total", "unit", "date",
                                              "date_precision") if getattr(part, k) is not None}
        if part.flags:
            item["flags"] = list(part.flags)
        if part.parts:
            item["parts"] = _parts(part.parts)
        out.append(item)
    return out


def row_columns(rows: list, names: list[str]) -> list[list]:
    """The columns of `rows` for the contract's column `names`, in order (None where a row
    lacks one): what an Arrow table is built from, column by column. A row is a dict, or a
    `CellRow` (its `values_tuple` holds every column of `table_cells` in order)."""
    if all(type(row) is dict for row in rows):
        return [[row.get(name) for row in rows] for name in names]
    tuples = [row.values_tuple if isinstance(row, CellRow)
              else tuple([row.get(name) for name in names]) for row in rows]
    return [[values[at] for values in tuples] for at in range(len(names))]


_new = object.__new__
_set_values_tuple = CellRow.__dict__["values_tuple"].__set__


def cell_row(values_tuple: tuple) -> CellRow:
    """`CellRow(values_tuple)`, built by the slot's own setter (one a table cell of a dump):
    `CellRow.__init__` would run as interpreted Python, its module holding pydantic models."""
    row = _new(CellRow)
    _set_values_tuple(row, values_tuple)
    return row


def _table_rows(doc_id: str, table: TypedTable, rows: Rows) -> None:
    rows["tables"].append({
        "doc_id": doc_id, "table": table.table, "section": table.section,
        "caption": table.caption, "kind": table.kind, "line": table.line,
        "n_rows": table.n_rows, "n_cols": len(table.columns), "header_rows": table.header_rows,
        "columns": json_strings(table.columns),
        "column_kinds": json.dumps(table.column_kinds), "flags": ";".join(table.flags) or None})
    cells = rows["table_cells"]
    doc, number, dumps = doc_id, table.table, json.dumps
    fields = table.__dict__  # (read once a table, not once a row: see below)
    row_lines, cell_columns = fields["row_lines"], fields["cell_columns"]
    header_cells, all_spans = fields["header_cells"], fields["spans"]
    for r, row in enumerate(fields["cells"]):
        line = row_lines[r] if r < len(row_lines) else None
        names = cell_columns[r]
        headers = header_cells[r] if header_cells else [False] * len(row)
        spans = all_spans[r] if all_spans else [(1, 1)] * len(row)
        for c, value in enumerate(row):
            rowspan, colspan = spans[c]
            # the typed-value columns (as `infobox_fields` has them), in CELL_COLUMNS order.
            # The model's fields are read from its `__dict__`, in one attribute lookup (each
            # attribute of a pydantic model is a lookup through its class's `__getattr__` hook)
            v = value.__dict__
            parts = v["parts"]
            cells.append(cell_row((
                doc, number, r, c, names[c] or None, headers[c], line, rowspan, colspan,
                v["raw"], v["text"], v["kind"], v["number"], v["total"], v["unit"],
                v["date"], v["date_precision"], ";".join(v["flags"]) or None,
                dumps(_parts(parts), ensure_ascii=False) if parts else None)))


def _election_rows(doc_id: str, e: Election, rows: Rows) -> None:
    rows["elections"].append({
        "doc_id": doc_id, "infobox": e.infobox, "name": name_text(e.name),
        "country": _text(e.country), "type": _text(e.type), "date": _date(e.date),
        "date_precision": e.date.date_precision if e.date is not None and e.date.date else None,
        "seats_for_election": _int(e.seats_for_election),
        "chamber_size": chamber_size(e.seats_for_election), "majority": _int(e.majority),
        "turnout": turnout_percent(e.turnout), "previous_election": _text(e.previous_election),
        "previous_year": _year(e.previous_year), "next_election": _text(e.next_election),
        "next_year": _year(e.next_year), "n_results": len(e.results)})
    for r in e.results:
        flags = _row_flags(r)
        seats = _int(r.seats)
        rows["election_results"].append({
            "doc_id": doc_id, "infobox": e.infobox, "index": r.index, "party": _text(r.party),
            "candidate": _text(r.candidate), "leader": _text(r.leader),
            "leader_since": _date(r.leader_since),
            "seats_raw": r.seats.raw if r.seats is not None else None, "seats": seats,
            "seats_reconciled": seats, "seat_change": _int(r.seat_change),
            "last_election": _last_election(r.last_election), "votes": _int(r.votes),
            "percentage": _number(r.percentage), "swing": _number(r.swing),
            "colour": colour_hex(r.colour), "flags": ";".join(flags) or None})


_RESULT_VALUES = ("party", "candidate", "leader", "leader_since", "seats", "seat_change",
                  "last_election", "votes", "percentage", "swing", "colour")
_NAMES = frozenset({"party", "candidate", "leader"})  # text by nature: `untyped` says nothing


def _row_flags(row) -> list[str]:
    flags: dict[str, None] = {}
    for name in _RESULT_VALUES:
        value = getattr(row, name)
        if value is None:
            continue
        for flag in value.flags:
            if not (flag == "untyped" and name in _NAMES):
                flags[flag] = None
    return list(flags)


def _legislature_rows(doc_id: str, body: Legislature, rows: Rows) -> None:
    walk = flatten_groups(body.groups)
    rows["legislatures"].append({
        "doc_id": doc_id, "infobox": body.infobox, "name": name_text(body.name),
        "members": member_count(body.members), "house_type": _text(body.house_type),
        "foundation": _date(body.foundation), "preceded_by": _text(body.preceded_by),
        "last_election": _date(body.last_election), "next_election": _date(body.next_election),
        "n_groups": len(walk)})
    for group, parent, depth in walk:
        rows["legislature_groups"].append({
            "doc_id": doc_id, "infobox": body.infobox, "group": group.position,
            "name": group.name, "seats": group.seats, "parent": parent, "depth": depth,
            "inferred": group.inferred})
    for leader in body.leaders:
        rows["legislature_leaders"].append({
            "doc_id": doc_id, "infobox": body.infobox, "index": leader.index,
            "type": _text(leader.type), "name": _text(leader.name),
            "party": _bare(_text(leader.party)), "election": _date(leader.election)})


# --- value accessors ----------------------------------------------------------------------

_TEMPLATE_LEFT = re.compile(r"\{\{[^{}]*\}\}")


def name_text(value: TypedValue | None) -> str | None:
    """A name as one line: its first line, with templates that did not render removed
    (`Senate of Pakistan` over `{{Nastaliq|...}}`)."""
    text = _text(value)
    if text is None:
        return None
    for line in text.splitlines():
        line = " ".join(_TEMPLATE_LEFT.sub(" ", line).split())
        if line:
            return line
    return None


def _text(value: TypedValue | None) -> str | None:
    if value is None or value.kind == "empty":
        return None
    return (value.text or value.raw).strip() or None


def _bare(text: str | None) -> str | None:
    """`(PPP)` -> `PPP`: a leader's party is often written in parentheses."""
    if text and text.startswith("(") and text.endswith(")"):
        return text[1:-1].strip() or None
    return text


_LEADING_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%")


def turnout_percent(value: TypedValue | None) -> float | None:
    """Turnout in percent; a turnout followed by its change (`41.7% ▼3.2 pp`) keeps the first."""
    if value is None:
        return None
    if value.number is not None and value.kind in ("percent", "decimal", "integer"):
        return value.number
    for part in value.parts:
        if part.kind == "percent":
            return part.number
    m = _LEADING_PERCENT.match(value.text or "")
    return float(m.group(1)) if m else None


def _number(value: TypedValue | None) -> float | None:
    return None if value is None else value.number


def _int(value: TypedValue | None) -> int | None:
    """A whole number; for a compound (`61,204 (45.3%)`, `29 (+5)`) its leading count."""
    if value is None:
        return None
    if value.number is None:
        if value.kind == "compound" and value.parts and value.parts[0].kind == "integer":
            return _int(value.parts[0])
        return None
    return int(round(value.number))


def _date(value: TypedValue | None) -> str | None:
    return None if value is None else value.date


def _year(value: TypedValue | None) -> int | None:
    if value is None:
        return None
    if value.date and value.date[:4].isdigit():
        return int(value.date[:4])
    return _int(value)


def chamber_size(seats: TypedValue | None) -> int | None:
    """Seats in the chamber: the `total` of `98 of the 107 seats`; for `All 39 seats` the whole
    chamber is contested, so the count itself."""
    if seats is None:
        return None
    if seats.total is not None:
        return int(round(seats.total))
    if seats.number is not None and (seats.text or "").strip().casefold().startswith("all"):
        return int(round(seats.number))
    return None


def _last_election(value: TypedValue | None) -> str | None:
    if value is None or value.kind == "empty":
        return None
    if value.kind == "new":
        return "new"
    if value.number is not None:
        return str(int(round(value.number)))
    return _text(value)


_HEX = re.compile(r"^#?([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")


def colour_hex(value: TypedValue | None) -> str | None:
    """`#RRGGBB` for a hex colour however written; a named colour stays as written."""
    text = _text(value)
    if text is None:
        return None
    m = _HEX.match(text)
    if not m:
        return text
    digits = m.group(1).upper()
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return "#" + digits
