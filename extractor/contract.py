"""The output contract: one fixed Arrow schema per output table.

Every writer and every README table is generated from these definitions, so the columns a
downstream job reads never depend on what happened to be in a batch. Each column carries its
description as Arrow field metadata (`doc`).
"""

from __future__ import annotations

import pyarrow as pa


def _col(name: str, type_: pa.DataType, doc: str) -> pa.Field:
    return pa.field(name, type_, nullable=True, metadata={"doc": doc})


S, INT, F, B = pa.string(), pa.int64(), pa.float64(), pa.bool_()

# Columns shared by every typed value (infobox fields and table cells).
_TYPED = [
    _col("raw", S, "the value exactly as in the source"),
    _col("text", S, "the value as plain text: markup, references and rendering residue removed"),
    _col("kind", S, "what the value is: integer, decimal, percent, pp, date, year, colour, file, "
         "image_size, seats_of, count_list, compound, new, empty, text, ..."),
    _col("number", F, "the numeric value (percent and pp as written: 68.11 for 68.11%)"),
    _col("total", F, "the whole a count is part of: 107 for '98 of the 107 seats'"),
    _col("unit", S, "unit of `number`: %, pp, seats, px, ..."),
    _col("date", S, "ISO date (YYYY, YYYY-MM or YYYY-MM-DD, by precision)"),
    _col("date_precision", S, "day, month or year"),
    _col("flags", S, "';'-separated flags: residue, lost_value, ambiguous_number, untyped, ..."),
    _col("parts", S, "JSON list of the typed parts of a compound or list value, else empty"),
]

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema([
        _col("doc_id", S, "stable article id: '<file name>#<n>' (n-th article of a flat file, "
             "line of a JSONL file; '<file name>@<offset>#<n>' counted from the bz2 stream at "
             "that offset when an earlier stream broke; 1 for a .wiki file), "
             "'<dump file name>#<page id>'; a file "
             "that could not be read is '<file name>#0', a dump's break '<file name>#@<offset>'"),
        _col("title", S, "article title"),
        _col("source", S, "path of the file the article was read from"),
        _col("format", S, "flat or wikitext"),
        _col("page_id", INT, "MediaWiki page id (dumps only)"),
        _col("line", INT, "line of the article's first line in its source"),
        _col("status", S, "ok, partial (part of it could not be read) or failed (nothing usable)"),
        _col("error", S, "the first error, with its code and line, when status is not ok"),
        _col("problems", S, "every problem met reading the article, warnings included: the "
             "codes in order of first meeting, ';'-separated, each with its count when over one "
             "(XML_BAD_REFERENCE*3;INFOBOX_TANGLED); empty when none. The codes are listed in "
             "the README (Inputs)"),
        _col("n_infoboxes", INT, "infoboxes found"),
        _col("n_fields", INT, "infobox fields found"),
        _col("n_tables", INT, "tables found"),
        _col("n_findings", INT, "reconciliation findings of severity error or warning"),
        _col("bytes", INT, "size of the article's source text in bytes (UTF-8)"),
    ]),
    "infobox_fields": pa.schema([
        _col("doc_id", S, "article id"),
        _col("infobox", INT, "0-based index of the infobox in the article"),
        _col("template", S, "template name (wikitext), else the flat header line"),
        _col("position", INT, "0-based position of the field in its infobox (source order)"),
        _col("line", INT, "source line of the field"),
        _col("key_raw", S, "the key as written"),
        _col("key", S, "canonical key: lower snake case without the series number"),
        _col("index", INT, "series number (party1 -> 1), empty when the key has none"),
        *_TYPED,
    ]),
    "tables": pa.schema([
        _col("doc_id", S, "article id"),
        _col("table", INT, "0-based index of the table in the article"),
        _col("section", S, "title of the section holding the table"),
        _col("caption", S, "table caption"),
        _col("kind", S, "table (flat pipe table), wikitable, or the results template name"),
        _col("line", INT, "source line of the table's first row"),
        _col("n_rows", INT, "data rows (header rows excluded)"),
        _col("n_cols", INT, "aligned columns"),
        _col("header_rows", INT, "number of header rows detected"),
        _col("columns", S, "JSON list of the aligned column names"),
        _col("column_kinds", S, "JSON list of each column's dominant value kind"),
        _col("flags", S, "';'-separated alignment flags: ragged, realigned, no_header, ..."),
    ]),
    "table_cells": pa.schema([
        _col("doc_id", S, "article id"),
        _col("table", INT, "0-based index of the table in the article"),
        _col("row", INT, "0-based source row (header rows included)"),
        _col("col", INT, "0-based source column, after span expansion"),
        _col("column", S, "aligned column name (empty for header cells)"),
        _col("header", B, "the cell is a header cell"),
        _col("line", INT, "source line of the row"),
        _col("rowspan", INT, "rowspan of the source cell"),
        _col("colspan", INT, "colspan of the source cell"),
        *_TYPED,
    ]),
    "elections": pa.schema([
        _col("doc_id", S, "article id"),
        _col("infobox", INT, "index of the infobox the record comes from"),
        _col("name", S, "election name"),
        _col("country", S, "country or place"),
        _col("type", S, "election type (parliamentary, presidential, ...)"),
        _col("date", S, "election date, ISO"),
        _col("date_precision", S, "day, month or year"),
        _col("seats_for_election", INT, "seats contested ('All 39 seats' -> 39)"),
        _col("chamber_size", INT, "seats in the chamber ('98 of the 107 seats' -> 107)"),
        _col("majority", INT, "seats needed for a majority, as stated"),
        _col("turnout", F, "turnout in percent"),
        _col("previous_election", S, "previous election"),
        _col("previous_year", INT, "previous election year"),
        _col("next_election", S, "next election"),
        _col("next_year", INT, "next election year"),
        _col("n_results", INT, "result rows"),
    ]),
    "election_results": pa.schema([
        _col("doc_id", S, "article id"),
        _col("infobox", INT, "index of the infobox"),
        _col("index", INT, "series number of the row (party1 -> 1); gaps are kept"),
        _col("party", S, "party or alliance"),
        _col("candidate", S, "candidate, where the infobox names one"),
        _col("leader", S, "party leader"),
        _col("leader_since", S, "ISO date the leader took office"),
        _col("seats_raw", S, "seats as written"),
        _col("seats", INT, "seats as typed from the source"),
        _col("seats_reconciled", INT,
             "seats after reconciliation (equal to `seats` unless repaired)"),
        _col("seat_change", INT, "signed seat change"),
        _col("last_election", S, "seats at the last election, or 'new'"),
        _col("votes", INT, "votes"),
        _col("percentage", F, "share of the vote, percent"),
        _col("swing", F, "swing in percentage points, signed"),
        _col("colour", S, "party colour, #RRGGBB"),
        _col("flags", S, "';'-separated flags of the row's values"),
    ]),
    "legislatures": pa.schema([
        _col("doc_id", S, "article id"),
        _col("infobox", INT, "index of the infobox"),
        _col("name", S, "name of the body"),
        _col("members", INT, "number of members"),
        _col("house_type", S, "unicameral, bicameral, ..."),
        _col("foundation", S, "foundation date, ISO"),
        _col("preceded_by", S, "predecessor body"),
        _col("last_election", S, "last election date, ISO"),
        _col("next_election", S, "next election date, ISO (year precision allowed)"),
        _col("n_groups", INT, "political groups in the tree"),
    ]),
    "legislature_groups": pa.schema([
        _col("doc_id", S, "article id"),
        _col("infobox", INT, "index of the infobox"),
        _col("group", INT, "0-based position of the group as listed"),
        _col("name", S, "group name"),
        _col("seats", INT, "seats of the group"),
        _col("parent", INT, "`group` of the parent, empty for a top-level group"),
        _col("depth", INT, "0 for top level"),
        _col("inferred", B, "the parent was inferred from the seat sums (flat format)"),
    ]),
    "legislature_leaders": pa.schema([
        _col("doc_id", S, "article id"),
        _col("infobox", INT, "index of the infobox"),
        _col("index", INT, "series number"),
        _col("type", S, "office (Secretary, Speaker, ...)"),
        _col("name", S, "office holder"),
        _col("party", S, "party of the office holder"),
        _col("election", S, "date elected, ISO"),
    ]),
    "findings": pa.schema([
        _col("doc_id", S, "article id"),
        _col("rule", S, "stable rule code, e.g. ELECTION_SEAT_SUM"),
        _col("severity", S, "error, warning or info"),
        _col("subject", S, "the record the finding is about, e.g. election[0]"),
        _col("fields", S, "';'-separated fields the rule read"),
        _col("observed", S, "what the article says"),
        _col("expected", S, "what the constraint requires"),
        _col("message", S, "one sentence for a person"),
        _col("evidence", S, "JSON: witnesses and candidates behind the finding"),
        _col("status", S, "open, repaired or ambiguous"),
    ]),
    "repairs": pa.schema([
        _col("doc_id", S, "article id"),
        _col("record", S, "record repaired, e.g. election[0].result[2]"),
        _col("field", S, "field repaired, e.g. seats"),
        _col("raw", S, "the value as written"),
        _col("repaired", S, "the value after repair"),
        _col("method", S, "how the new value was found, e.g. unique_minimal_repair"),
        _col("confidence", F, "0..1"),
        _col("rule", S, "rule code of the finding repaired"),
        _col("evidence", S, "JSON: the witnesses that support the repair"),
    ]),
}

TABLE_NAMES = tuple(SCHEMAS)


def empty_row(table: str) -> dict[str, object]:
    return {name: None for name in SCHEMAS[table].names}
