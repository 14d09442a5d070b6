"""A big flat file is read in chunks cut before title lines: the articles, their ids and their
line numbers are those of one parse of the whole file."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import source_text, sources
from extractor.parse.flat import parse_flat
from extractor.pipeline import articles_from_unit

from .conftest import FIXTURES


def whole_and_chunked(path, monkeypatch, chunk_chars):
    monkeypatch.setattr(source_text, "FLAT_CHUNK", chunk_chars)
    units = list(sources.iter_units([str(path)]))
    chunked = [a for unit in units for a in articles_from_unit(unit)]
    text = path.read_bytes().decode("utf-8")
    return parse_flat(text, str(path)), chunked, units


def shape(article):
    return (article.doc_id, article.title, article.line, article.end_line, article.status,
            [(f.key, f.value, f.line) for b in article.infoboxes for f in b.fields],
            [(s.title, s.line) for s in article.sections],
            [(r.line, [c.text for c in r.cells]) for t in article.tables for r in t.rows],
            [(p.code, p.line) for p in article.problems])


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_chunks_give_the_articles_of_one_parse(tmp_path, monkeypatch, newline):
    pieces = [p.read_text(encoding="utf-8").replace("\r\n", "\n")
              for p in sorted((FIXTURES / "flat").glob("*.txt"))]
    text = "Text before any title.\n\n" + "\n".join(pieces * 3)
    path = tmp_path / "dump.txt"
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    whole, chunked, units = whole_and_chunked(path, monkeypatch, 2000)
    assert len(units) > 5
    assert [shape(a) for a in chunked] == [shape(a) for a in whole]
    assert chunked[0].status == "failed"  # the text before the first title


def test_a_small_file_is_one_unit(tmp_path, monkeypatch):
    path = FIXTURES / "flat" / "multi_three.txt"
    whole, chunked, units = whole_and_chunked(path, monkeypatch, 8 << 20)
    assert len(units) == 1
    assert [shape(a) for a in chunked] == [shape(a) for a in whole]


def test_bad_utf8_after_good_chunks_keeps_them(tmp_path, monkeypatch):
    good = (FIXTURES / "flat" / "multi_three.txt").read_bytes() * 20
    path = tmp_path / "dump.txt"
    path.write_bytes(good + b"\n= Bad =\n\ncaf\xe9\n")
    monkeypatch.setattr(source_text, "FLAT_CHUNK", 1000)
    units = list(sources.iter_units([str(path)]))
    bad = units[-1]  # the article with the bad byte is a unit of its own, marked partial
    assert bad.text == "= Bad =\n\ncaf\ufffd\n" and bad.problems[0].code == "SOURCE_BAD_BYTES"
    assert bad.problems[0].line == good.count(b"\n") + 4
    assert f"byte {len(good) + 13}" in bad.problems[0].message
    assert len(units) > 2 and not any(u.problems for u in units[:-1])


class BlockStream:
    """A decompressed stream that hands out blocks of a given size (where CR LF may split)."""

    def __init__(self, data: bytes, size: int) -> None:
        self.data, self.size, self.error = data, size, None

    def read(self, _size: int = 0) -> bytes:
        out, self.data = self.data[:self.size], self.data[self.size:]
        return out


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["= T =", "== S ==", "- K: v", "text", "é", "", "| a |"]),
             max_size=30),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.integers(1, 9),
    st.integers(1, 40),
)
def test_any_block_split_gives_the_lines_of_one_read(lines, newline, block, chunk_chars):
    from extractor.parse.flat import normalize_newlines

    data = newline.join(lines).encode("utf-8")
    units = list(source_text.read_flat_file("x.txt", data[:block], BlockStream(data[block:], block),
                                        sources.SourceStats(), chunk_chars))
    expected = normalize_newlines(data.decode("utf-8"))
    if expected.strip():
        assert "".join(u.text for u in units) == expected
        assert [u.line for u in units] == sorted({u.line for u in units})
        for unit in units[1:]:  # every later unit starts with a title line
            assert unit.text.startswith("= T =")
