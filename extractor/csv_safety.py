"""CSV cells a spreadsheet would run as formulas, neutralised.

Text taken from wiki pages can start with `=`, `+`, `-` or `@` (or a tab or carriage return),
and a spreadsheet that opens the CSV runs such a cell as a formula ("CSV injection"). By default
such a text cell is written with a leading apostrophe, which spreadsheets show as text and do
not evaluate. Plain numbers (`-12`, `+3.5`, `-1,234.5`, `-4%`) and a lone sign are left alone:
they are not formulas. Parquet keeps every value exactly; `--csv-raw` writes the CSV exactly.
"""

from __future__ import annotations

import pyarrow as pa

FORMULA_START = r"^[=+\-@\t\r]"
PLAIN_NUMBER = r"^[+-]?[0-9.,]*%?$"
NEUTRAL_PREFIX = "'"


def neutralise(table: pa.Table) -> pa.Table:
    """`table` with every risky text cell prefixed by an apostrophe."""
    import pyarrow.compute as pc  # (~0.1 s to import: only a run that writes CSV pays it)

    for index, field in enumerate(table.schema):
        if not pa.types.is_string(field.type):
            continue
        column = table.column(index)
        risky = pc.and_kleene(
            pc.match_substring_regex(column, FORMULA_START),
            pc.invert(pc.match_substring_regex(column, PLAIN_NUMBER)),
        )
        if not pc.any(risky).as_py():
            continue
        prefixed = pc.binary_join_element_wise(NEUTRAL_PREFIX, column, "")
        table = table.set_column(index, field, pc.if_else(risky, prefixed, column))
    return table
