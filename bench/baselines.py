"""Reference figures, measured in the same run as the tool: parsers and dump-reading floors.

Each function takes the inputs and returns a dict of what it did (`seconds`, `bytes`, counts);
`bench/run.py` repeats them and takes medians. Nothing here imports the `extractor` package, so
the baselines stay what they are while the tool changes.

- `mwph_full`: mwparserfromhell, a full parse of every page.
- `mwph_infobox_spans`: locate `{{Infobox ...}}` spans with a brace scan, parse only those.
- `mwph_table_spans`: locate `{| ... |}` spans line by line, parse only those with
  mwparserfromhell (which builds table/tr/td tag nodes), and count the rows.
- `floor_lbzip2_lxml`: `lbzip2 -dc -n2 DUMP | lxml iterparse` (clearing elements): the floor of
  a dump run on 2 cores; `floor_python_bz2`: Python's own `bz2` feeding iterparse in one process.
"""

from __future__ import annotations

import bz2
import re
import shutil
import subprocess
import time
from pathlib import Path

import mwparserfromhell
from lxml import etree

PAGE_TAG = "{http://www.mediawiki.org/xml/export-0.11/}page"
TEXT_PATH = "{http://www.mediawiki.org/xml/export-0.11/}revision/{http://www.mediawiki.org/xml/export-0.11/}text"

_BRACE = re.compile(r"\{\{|\}\}")
_INFOBOX_OPEN = re.compile(r"\{\{\s*infobox", re.IGNORECASE)


def load_texts(folder: Path) -> list[str]:
    """The text of every `.wiki` file in `folder`, sorted by name, line ends kept as they are
    (the peer reads the same bytes)."""
    return [p.read_bytes().decode("utf-8") for p in sorted(Path(folder).glob("*.wiki"))]


def text_bytes(texts: list[str]) -> int:
    return sum(len(t.encode("utf-8")) for t in texts)


def template_end(text: str, start: int) -> int | None:
    """End offset of the `{{ ... }}` opened at `start`, by counting braces; None when unclosed."""
    depth = 0
    for match in _BRACE.finditer(text, start):
        depth += 1 if match.group() == "{{" else -1
        if depth == 0:
            return match.end()
    return None


def infobox_spans(text: str) -> list[str]:
    """The source of every outermost `{{Infobox ...}}` in `text`."""
    spans, pos = [], 0
    while (match := _INFOBOX_OPEN.search(text, pos)) is not None:
        end = template_end(text, match.start())
        if end is None:
            break
        spans.append(text[match.start():end])
        pos = end
    return spans


def table_spans(text: str) -> list[str]:
    """The source of every outermost wikitable: from a line opening `{|` to its closing `|}`."""
    spans, depth, start = [], 0, 0
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip()
        if stripped.startswith("{|"):
            if depth == 0:
                start = offset
            depth += 1
        elif stripped.startswith("|}") and depth:
            depth -= 1
            if depth == 0:
                spans.append(text[start:offset + len(line)])
        offset += len(line)
    return spans


def _timed(fn, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def mwph_full(texts: list[str]) -> dict:
    def run() -> int:
        return sum(len(mwparserfromhell.parse(t).nodes) for t in texts)

    seconds, nodes = _timed(run)
    return {"seconds": seconds, "bytes": text_bytes(texts), "nodes": nodes}


def mwph_infobox_spans(texts: list[str]) -> dict:
    def run() -> tuple[int, int]:
        boxes = pairs = 0
        for text in texts:
            for span in infobox_spans(text):
                for template in mwparserfromhell.parse(span).filter_templates(recursive=False):
                    boxes += 1
                    pairs += sum(1 for p in template.params if p.value.strip())
        return boxes, pairs

    seconds, (boxes, pairs) = _timed(run)
    return {"seconds": seconds, "bytes": text_bytes(texts), "infoboxes": boxes, "pairs": pairs}


def mwph_table_spans(texts: list[str]) -> dict:
    def run() -> tuple[int, int]:
        tables = rows = 0
        for text in texts:
            for span in table_spans(text):
                code = mwparserfromhell.parse(span)
                tables += 1
                rows += len(code.filter_tags(matches=lambda node: node.tag == "tr"))
        return tables, rows

    seconds, (tables, rows) = _timed(run)
    return {"seconds": seconds, "bytes": text_bytes(texts), "tables": tables, "rows": rows}


class CountingReader:
    """A binary stream that counts the bytes read through it (the XML size of a dump)."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.count += len(data)
        return data


def iterparse_pages(stream) -> dict:
    """Read a MediaWiki export with lxml iterparse, keeping nothing: each page is cleared and
    dropped from the tree once read. Counts pages and wikitext bytes."""
    counting = CountingReader(stream)
    pages = wikitext = 0
    for _event, page in etree.iterparse(counting, events=("end",), tag=PAGE_TAG, huge_tree=True):
        text = page.findtext(TEXT_PATH) or ""
        wikitext += len(text.encode("utf-8"))
        pages += 1
        page.clear()
        while page.getprevious() is not None:
            del page.getparent()[0]
    return {"pages": pages, "bytes": wikitext, "xml_bytes": counting.count}


def floor_lbzip2_lxml(dump: Path, threads: int = 2) -> dict:
    """`lbzip2 -dc -nN DUMP | iterparse`: decompression in a process of its own."""
    lbzip2 = shutil.which("lbzip2")
    if lbzip2 is None:
        raise RuntimeError("lbzip2 is not installed (apt-get install -y lbzip2)")
    start = time.perf_counter()
    with subprocess.Popen([lbzip2, "-dc", f"-n{threads}", str(dump)],
                          stdout=subprocess.PIPE, bufsize=1 << 20) as proc:
        result = iterparse_pages(proc.stdout)
    if proc.returncode:
        raise RuntimeError(f"lbzip2 exited with {proc.returncode} on {dump}")
    return {"seconds": time.perf_counter() - start, **result}


def floor_python_bz2(dump: Path) -> dict:
    """Python's `bz2` (multistream aware) feeding iterparse, all in this process."""
    start = time.perf_counter()
    with bz2.open(dump, "rb") as stream:
        result = iterparse_pages(stream)
    return {"seconds": time.perf_counter() - start, **result}


PARSER_BASELINES = {
    "mwparserfromhell_full": mwph_full,
    "mwparserfromhell_infobox_spans": mwph_infobox_spans,
    "mwparserfromhell_table_spans": mwph_table_spans,
}
DUMP_FLOORS = {
    "floor_lbzip2_n2_lxml": floor_lbzip2_lxml,
    "floor_python_bz2_lxml": floor_python_bz2,
}
