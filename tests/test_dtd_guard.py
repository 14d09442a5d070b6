"""The declaration guard finds a DOCTYPE or ENTITY wherever the chunks happen to cut it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.source_xml import _DECLARATIONS, DtdGuard

WORDS = ["<page>", "text", "&lt;!DOCTYPE", "<!-- c -->", "<!DOCTYPE x>", "<!ENTITY e 'v'>",
         "!", "<", "\n", "<!doctype x>"]


def first_declaration(data: bytes) -> int | None:
    found = [at for word in _DECLARATIONS if (at := data.find(word)) >= 0]
    return min(found) if found else None


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), max_size=30), cuts=st.lists(st.integers(1, 40)),
       codec=st.sampled_from(["utf-8", "utf-16-le", "utf-16-be"]))
def test_guard_finds_the_first_declaration_across_chunks(words, cuts, codec):
    data = "".join(words).encode(codec)
    guard, position, expected = DtdGuard(), 0, first_declaration(data)
    for size in [*cuts, len(data)]:
        chunk = data[position:position + size]
        if not chunk:
            break
        found = guard.find(chunk)
        if found is not None:  # where it starts, or 0 when it began in an earlier chunk
            assert expected is not None and position + found == max(expected, position)
            return
        position += len(chunk)
    assert expected is None
