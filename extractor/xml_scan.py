"""One pass over each chunk of dump XML before the parser sees it: how many lines it ends,
whether it may hold a declaration (`<!`), and where its first `&` is that starts no XML
reference (see `source_xml` for why each matters).

This module is the reference and what runs from the sources; `xml_scan.c` is its compiled
twin, built with the hot modules by `python -m extractor.native_build` and loaded in its place
while the build matches the sources. The tests hold the two to the same results.
"""

from __future__ import annotations

import re

# The patterns of `source_xml` (which the compiled twin cannot give it; the tests keep the two
# equal). `<!` in UTF-8, `<`, a zero byte, `!` in UTF-16: what every declaration starts with.
MAYBE_DECLARATION = re.compile(b"<\x00?!")
# An `&` that starts none of XML's five entities and no character reference.
BAD_REFERENCE = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)")


def scan_chunk(chunk: bytes) -> tuple[int, bool, int]:
    """(newlines, whether `<!` or `<\\0!` occurs, the offset of the first bad `&` or -1)."""
    bad = BAD_REFERENCE.search(chunk)
    return (chunk.count(b"\n"), MAYBE_DECLARATION.search(chunk) is not None,
            bad.start() if bad else -1)
