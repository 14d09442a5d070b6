"""The quick paths of text decoding give what the careful ones give, byte for byte."""

from __future__ import annotations

import codecs

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import source_text
from extractor.sources import SourceStats
from extractor.textdecode import _CONTROL, _ESCAPE, _ESCAPED, TextDecoder, text_encoding, verdict

from .test_flat_chunks import BlockStream

PIECES = [b"a", b" ", "é".encode(), "東".encode(), "😀".encode(), b"\n", b"\r", b"\r\n",
          b"\x00", b"\x01", b"\x1b", b"\x7f", b"\t", b"\xff", b"\xe2\x82", b"\xed\xa0\x80",
          b"\xef\xbb\xbf", b"\xff\xfe", b"a\x00", b"\x00a"]


def reference_verdict(head: bytes) -> tuple[int, int, int]:
    """What `verdict` counts, the slow way: every character decoded, then searched."""
    encoding, bom = text_encoding(head)
    text = codecs.getincrementaldecoder(encoding)(errors=_ESCAPE).decode(head[bom:])
    return len(text), len(_CONTROL.findall(text)), len(_ESCAPED.findall(text))


def careful_text(data: bytes, block: int) -> tuple[str, dict[int, int]]:
    """The text block by block, as `read_text_file` decoded it before it had a quick path
    (the first block is the head the file was sniffed from, BOM included)."""
    decoder = TextDecoder(data[:3])
    text = decoder.decode(data[:3])
    text += "".join(decoder.decode(data[i:i + block]) for i in range(3, len(data), block))
    text += decoder.decode(b"", final=True)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text, decoder.bad_lines


@settings(max_examples=150, deadline=None)
@given(pieces=st.lists(st.sampled_from(PIECES), max_size=60))
def test_verdict_counts_as_the_regex_reference(pieces):
    head = b"".join(pieces)
    size, controls, undecodable = reference_verdict(head)
    found = verdict(head)
    if not size:
        assert found is None
    elif controls > 0.05 * size:
        assert found is not None and found[0] == "SOURCE_BINARY"
        assert f" {controls} control bytes" in found[1]
    elif undecodable > 0.2 * size:
        assert found is not None and found[0] == "SOURCE_NOT_UTF8"
        assert f" {undecodable} undecodable bytes" in found[1]
    else:
        assert found is None


@settings(max_examples=150, deadline=None)
@given(pieces=st.lists(st.sampled_from(PIECES), max_size=60), block=st.integers(1, 9))
def test_wiki_file_text_is_that_of_the_careful_decoder(tmp_path_factory, pieces, block):
    data = b"".join(pieces)
    if not data:
        return
    path = tmp_path_factory.mktemp("wiki") / "x.wiki"
    path.write_bytes(data)
    unit = source_text.read_text_file(str(path), data[:3], BlockStream(data[3:], 3), "wiki",
                                      SourceStats())
    text, bad_lines = careful_text(data, block)
    assert unit.text == text
    if bad_lines:
        assert unit.problems[0].code == "SOURCE_BAD_BYTES"
        assert unit.problems[0].line == min(bad_lines)
    else:
        assert not unit.problems
