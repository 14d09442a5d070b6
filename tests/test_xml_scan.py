"""`xml_scan`: the Python reference and its compiled C twin read every chunk alike."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import extractor.xml_scan as loaded

from .conftest import load_reference

reference = load_reference("extractor.xml_scan")
needs_twin = pytest.mark.skipif(str(getattr(loaded, "__file__", "")).endswith(".py"),
                                reason="the compiled build is not in use")

PIECES = [b"&", b"amp;", b"amp", b"lt;", b"gt;", b"quot;", b"apos;", b"nbsp;", b"#", b"#x",
          b"#12;", b"#x1F;", b"#xZ;", b"12", b"aF", b";", b"x", b"<", b"!", b"<!", b"\x00",
          b"<\x00!", b"\n", b"\r\n", b"a", b" ", "é".encode(), b"<![CDATA[", b"&&"]


@needs_twin
@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map(b"".join))
def test_the_twin_agrees_on_reference_soup(chunk):
    assert loaded.scan_chunk(chunk) == reference.scan_chunk(chunk)


@needs_twin
@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_the_twin_agrees_on_any_bytes(chunk):
    assert loaded.scan_chunk(chunk) == reference.scan_chunk(chunk)


def test_what_a_chunk_scan_says():
    assert loaded.scan_chunk(b"") == (0, False, -1)
    assert loaded.scan_chunk(b"a &amp; b &lt;&#12;&#x1f;\n\n") == (2, False, -1)
    assert loaded.scan_chunk(b"x &nbsp; &amp;") == (0, False, 2)
    assert loaded.scan_chunk(b"&#x;") == (0, False, 0)
    assert loaded.scan_chunk(b"<!DOCTYPE") == (0, True, -1)
    assert loaded.scan_chunk(b"<\x00!\x00") == (0, True, -1)
    assert loaded.scan_chunk(b"a\nb&") == (1, False, 3)


def test_the_patterns_are_the_reader_s():
    from extractor import source_xml

    assert reference.MAYBE_DECLARATION.pattern == source_xml._MAYBE_DECLARATION.pattern
    assert reference.BAD_REFERENCE.pattern == source_xml._BAD_REFERENCE.pattern
