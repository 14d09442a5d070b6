"""Fuzzing: arbitrary text and mutated real articles through the flat grammar, the wikitext path,
the value parsers and whole source files, checking the guarantees on every case:

- nothing raises, and no article carries an INTERNAL_ERROR (a bug caught by the safety net is
  still a bug) nor a value an `internal_error` flag;
- every article parsed has exactly one `articles` row, with a status and, unless ok, a reason;
- every output row fits its table's fixed Arrow schema.

Each property runs twice: a quick pass in the default suite and a long one (`pytest -m fuzz`,
`EXTRACTOR_FUZZ_EXAMPLES` examples per property, 20,000 by default: about ten minutes on two
cores; it also mutates the small articles of `../shared/corpus`). The counts of cases, articles
and rows are printed in the suite's summary.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.parse.flat import parse_flat
from extractor.pipeline import process_units
from extractor.sinks import to_arrow
from extractor.sources import SourceStats, Unit, iter_units
from extractor.values import parse_value

from .conftest import FIXTURES, SHARED, fuzz_tally

QUICK = settings(max_examples=25, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LONG = settings(max_examples=int(os.environ.get("EXTRACTOR_FUZZ_EXAMPLES", "20000")),
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _texts(pattern: str) -> list[str]:
    return [p.read_bytes().decode("utf-8", "replace") for p in sorted(FIXTURES.glob(pattern))
            if p.stat().st_size < 20_000]


FLAT_ARTICLES = _texts("flat/*.txt") + _texts("seeds/*.txt") + _texts("twin/*.txt")
WIKI_ARTICLES = _texts("wikitext/*.wiki") + _texts("twin/*.wiki")
# the long run mutates the real articles of the shared corpus too, where it is beside the repo
CORPUS_ARTICLES = [p.read_text(encoding="utf-8") for p in sorted(
    (SHARED / "corpus" / "wikitext").glob("*.wiki")) if p.stat().st_size < 20_000]
MARKUP = ["{{", "}}", "[[", "]]", "{|", "|}", "|-", "||", "!!", "|", "!", "=", "==", "- ",
          ": ", "<ref>", "</ref>", "<!--", "-->", "'''", "&", "&#123;", "\x00", "\r", "\t",
          "\ufeff", "\u200b", "\u202e", "%", "pp", "−", "\n"]


@st.composite
def mutated(draw, articles: list[str]) -> str:
    """A real article with a few edits: lines deleted or duplicated, a pipe cut, markup and
    random characters inserted, a tail cut off."""
    lines = draw(st.sampled_from(articles)).split("\n")
    rng = random.Random(draw(st.integers(0, 2**32)))
    for _ in range(draw(st.integers(1, 8))):
        at = rng.randrange(len(lines) + 1)
        choice = rng.randrange(6)
        if choice == 0 and lines:
            del lines[min(at, len(lines) - 1)]
        elif choice == 1 and lines:
            lines.insert(at, lines[min(at, len(lines) - 1)])
        elif choice == 2:
            line = lines[min(at, len(lines) - 1)] if lines else ""
            if "|" in line:
                cut = line.index("|")
                lines[min(at, len(lines) - 1)] = line[:cut] + line[cut + 1:]
        elif choice == 3:
            lines.insert(at, rng.choice(MARKUP) * rng.randrange(1, 40))
        elif choice == 4 and lines:
            row = min(at, len(lines) - 1)
            pos = rng.randrange(len(lines[row]) + 1)
            noise = "".join(chr(rng.randrange(1, 0x2FFFF)) for _ in range(rng.randrange(1, 12)))
            lines[row] = lines[row][:pos] + noise + lines[row][pos:]
        else:
            lines = lines[: max(1, at)]
    return _no_surrogates("\n".join(lines))


def _no_surrogates(text: str) -> str:
    # decoded input never holds lone surrogates (sources decode strictly or with replacement)
    return text.encode("utf-8", "replace").decode("utf-8")


def check_rows(units: list[Unit]) -> None:
    rows, _ = process_units(units)
    articles = rows.get("articles", [])
    ids = [r["doc_id"] for r in articles]
    assert len(ids) == len(set(ids)), "two rows for one article"
    for row in articles:
        assert row["status"] in ("ok", "partial", "failed")
        assert row["status"] == "ok" or row["error"], row
        assert "INTERNAL_ERROR" not in (row["error"] or ""), row["error"]
    for table, table_rows in rows.items():
        to_arrow(table, table_rows)  # raises when a row does not fit the fixed schema
        flags = (r.get("flags") or "" for r in table_rows)
        assert not any("internal_error" in f or "typing_failed" in f for f in flags), table
    fuzz_tally["cases"] += 1
    fuzz_tally["articles in"] += len(articles)
    fuzz_tally["rows out"] += sum(len(v) for v in rows.values())


def check_flat(text: str) -> None:
    articles = parse_flat(text, "fuzz.txt")
    assert articles, "every text gives at least one article"
    check_rows([Unit(source="fuzz.txt", format="flat", text=text)])


def check_wikitext(text: str) -> None:
    check_rows([Unit(source="fuzz.wiki", format="wikitext", text=text, title="Fuzz",
                     doc_id="fuzz.wiki#1")])


def check_value(raw: str, key: str | None) -> None:
    value = parse_value(raw, key)
    assert "internal_error" not in value.flags, (raw, key)
    fuzz_tally["cases"] += 1
    fuzz_tally["values typed"] += 1


def check_file(tmp_dir: Path, data: bytes, suffix: str) -> None:
    """Bytes as a file on disk, through the source layer and the pipeline."""
    path = tmp_dir / f"fuzz{suffix}"
    path.write_bytes(data)
    units = list(iter_units([str(path)], stats=SourceStats()))
    assert units, "every file read gives at least one unit (an error row at worst)"
    check_rows(units)


KEYS = st.sampled_from([None, "seats", "votes", "percentage", "swing", "date", "population",
                        "colour", "area", "leader_since", "turnout", "majority"])
VALUE_TEXT = st.one_of(
    st.text(max_size=80),
    st.text(alphabet="0123456789.,%−-+ ()ppkmbillonseatsof~≈<>", max_size=40),
)
SUFFIXES = st.sampled_from([".txt", ".wiki", ".xml", ".jsonl", ".bin"])


def _both(check, *strategies, long_strategies=None):
    """The quick test (default suite) and the long one (`-m fuzz`) of one property."""
    quick = QUICK(given(*strategies)(check))
    long = pytest.mark.fuzz(LONG(given(*(long_strategies or strategies))(check)))
    return quick, long


test_flat_arbitrary_text, test_flat_arbitrary_text_long = _both(check_flat, st.text())
test_flat_mutated, test_flat_mutated_long = _both(check_flat, mutated(FLAT_ARTICLES))
test_wikitext_arbitrary_text, test_wikitext_arbitrary_text_long = _both(
    check_wikitext, st.text())
test_wikitext_mutated, test_wikitext_mutated_long = _both(
    check_wikitext, mutated(WIKI_ARTICLES),
    long_strategies=[mutated(WIKI_ARTICLES + CORPUS_ARTICLES)])
test_values, test_values_long = _both(check_value, VALUE_TEXT, KEYS)


def _check_file_in_tmp(data: bytes, suffix: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        check_file(Path(folder), data, suffix)


FILE_BYTES = st.one_of(
    st.binary(max_size=2_000),
    mutated(FLAT_ARTICLES + WIKI_ARTICLES).map(lambda t: t.encode("utf-8")),
    st.tuples(mutated(WIKI_ARTICLES), st.integers(0, 2_000)).map(
        lambda pair: _page_xml(pair[0])[: pair[1] or None]),
)


def _page_xml(text: str) -> bytes:
    body = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/"><page><title>Fuzz</title>'
        f"<ns>0</ns><id>1</id><revision><id>1</id><text>{body}</text></revision></page>"
        "</mediawiki>"
    ).encode("utf-8", "replace")


test_files, test_files_long = _both(_check_file_in_tmp, FILE_BYTES, SUFFIXES)
