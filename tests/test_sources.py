"""Sources: every input format, sniffing, skips and their counts, and broken files."""

import bz2
import gzip
import lzma
import random
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.errors import UsageError
from extractor.parse.wikitext import parse_wikitext
from extractor.sources import SourceStats, expand_paths, iter_units

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DUMPS = FIXTURES / "dumps"
PAIR = (DUMPS / "pair-0.10.xml").read_bytes()


def units(*paths, namespaces=None, stats=None):
    return list(iter_units([str(p) for p in paths], namespaces=namespaces or {0},
                           stats=stats if stats is not None else SourceStats()))


def only(result):
    assert len(result) == 1, result
    return result[0]


@pytest.mark.parametrize("name", ["pair-0.10.xml", "pair-0.11.xml"])
def test_xml_dump_schema_versions(name):
    stats = SourceStats()
    unit = only(units(DUMPS / name, stats=stats))
    assert (unit.format, unit.title, unit.page_id) == ("wikitext", "Çullu, Agdam", 19252820)
    assert unit.doc_id == f"{name}#19252820" and unit.line == 70
    assert unit.text.startswith("'''Çullu, Agdam''' may refer to:")  # the last revision
    assert stats.pages == 2 and stats.namespace_skipped == 1 and stats.files == 1
    assert stats.uncompressed_bytes == len(PAIR)


def test_namespace_option_keeps_talk_pages():
    result = units(DUMPS / "pair-0.10.xml", namespaces={0, 1})
    assert [u.title for u in result] == ["Çullu, Agdam", "Talk:Çullu, Agdam"]


def test_old_schema_without_ns_uses_siteinfo_prefixes():
    stats = SourceStats()
    unit = only(units(DUMPS / "mwxml-0.8.xml", stats=stats))
    assert unit.title == "Foo" and stats.pages == 2 and stats.namespace_skipped == 1


def compressed_variants(tmp_path: Path) -> dict[str, Path]:
    variants = {
        "pair.xml.bz2": bz2.compress(PAIR),
        "pair.xml.gz": gzip.compress(PAIR),
        "pair.xml.xz": lzma.compress(PAIR),
        "pair.xml.lzma": lzma.compress(PAIR, format=lzma.FORMAT_ALONE),
        "pair-utf16.xml": PAIR.decode("utf-8").encode("utf-16"),
        "pair-noext": gzip.compress(PAIR),  # sniffed from content, not the name
    }
    for name, data in variants.items():
        (tmp_path / name).write_bytes(data)
    return {name: tmp_path / name for name in variants}


def test_compressed_and_utf16_dumps(tmp_path):
    for name, path in compressed_variants(tmp_path).items():
        stats = SourceStats()
        unit = only(units(path, stats=stats))
        assert unit.title == "Çullu, Agdam" and not unit.problems, name
        assert stats.uncompressed_bytes in (len(PAIR), len(PAIR.decode().encode("utf-16")))
        assert stats.compressed_bytes == path.stat().st_size


def test_utf16_bz2_redirect_is_skipped_and_counted():
    stats = SourceStats()
    assert units(DUMPS / "pyrus-utf16.xml.bz2", stats=stats) == []
    assert stats.pages == 1 and stats.redirects_skipped == 1


def test_minidump_infobox_end_to_end():
    unit = only(units(DUMPS / "mgwiki.xml.bz2"))
    article = parse_wikitext(unit.text, title=unit.title, doc_id=unit.doc_id,
                             source=unit.source, page_id=unit.page_id)
    assert article.infoboxes[0].template == "infobox tanàna"
    assert article.page_id == unit.page_id


def make_dump(pages: int) -> tuple[bytes, list[bytes]]:
    """A dump header and `pages` page elements (copies of the fixture's article page)."""
    text = PAIR.decode("utf-8")
    header = text[:text.index("  <page>")]
    page = text[text.index("  <page>"):text.index("  </page>") + len("  </page>\n")]
    body = [page.replace("<id>19252820</id>", f"<id>{n}</id>").encode()
            for n in range(1, pages + 1)]
    return header.encode(), body


def test_multistream_bz2_and_truncation_keeps_earlier_pages(tmp_path):
    header, pages = make_dump(3)
    streams = [bz2.compress(header + pages[0]), bz2.compress(pages[1]),
               bz2.compress(pages[2] + b"</mediawiki>\n")]
    whole = tmp_path / "multi.xml.bz2"
    whole.write_bytes(b"".join(streams))
    assert [u.page_id for u in units(whole)] == [1, 2, 3]
    cut = tmp_path / "cut.xml.bz2"
    cut.write_bytes(b"".join(streams)[: len(streams[0]) + len(streams[1]) + 40])
    result = units(cut)
    assert [u.page_id for u in result[:-1]] == [1, 2]
    broken = result[-1]
    assert broken.problems[0].code == "DUMP_TRUNCATED" and broken.problems[0].severity == "fatal"
    assert re.search(r"uncompressed byte \d+, compressed byte \d+", broken.problems[0].message)
    assert broken.doc_id.startswith("cut.xml.bz2#@")


def test_corrupt_bz2_stream_is_reported_as_corrupt(tmp_path):
    header, pages = make_dump(3)
    streams = [bz2.compress(header + pages[0]), bz2.compress(pages[1]),
               bz2.compress(pages[2] + b"</mediawiki>\n")]
    data = bytearray(b"".join(streams))
    middle = len(streams[0]) + len(streams[1]) + 60
    data[middle:middle + 40] = b"\x00" * 40
    path = tmp_path / "bad.xml.bz2"
    path.write_bytes(bytes(data))
    result = units(path)
    assert [u.page_id for u in result[:-1]] == [1, 2]
    assert result[-1].problems[0].code in ("DUMP_CORRUPT", "DUMP_TRUNCATED")


def test_corrupt_gzip_keeps_earlier_pages(tmp_path):
    header, pages = make_dump(40)
    noise = random.Random(7)
    pages = [p.replace(b"may refer to:", f"{noise.getrandbits(4000):x}".encode()) for p in pages]
    data = gzip.compress(header + b"".join(pages) + b"</mediawiki>\n")
    path = tmp_path / "cut.xml.gz"
    path.write_bytes(data[: len(data) // 2])
    result = units(path)
    assert len(result) > 2 and result[0].page_id == 1
    assert result[-1].problems[0].code == "DUMP_TRUNCATED"


def test_xml_breaking_mid_page(tmp_path):
    header, pages = make_dump(2)
    path = tmp_path / "broken.xml"
    path.write_bytes(header + b"".join(pages) + b"  <page><title>X</title><revision><text>a</b>")
    result = units(path)
    assert [u.page_id for u in result[:-1]] == [1, 2]
    assert result[-1].problems[0].code in ("XML_BROKEN", "DUMP_TRUNCATED")
    assert "byte" in result[-1].problems[0].message
    ended = tmp_path / "ended.xml"
    ended.write_bytes(header + pages[0] + b"  <page><title>X</title><revision><text>abc")
    result = units(ended)
    assert result[0].page_id == 1 and result[-1].problems[0].code == "DUMP_TRUNCATED"


def test_dtd_is_refused_not_expanded():
    unit = only(units(DUMPS / "dtd_entities.xml"))
    assert unit.problems[0].code == "XML_DTD_REFUSED" and unit.text == ""


def test_jsonl_pages_skips_and_bad_lines():
    stats = SourceStats()
    result = units(DUMPS / "pages.jsonl", stats=stats)
    assert [(u.doc_id, u.title) for u in result] == [
        ("pages.jsonl#1", "First page"), ("pages.jsonl#3", "pages.jsonl line 3"),
        ("pages.jsonl#5", "Third")]
    assert result[0].page_id == 11 and result[0].line == 1
    assert result[1].problems[0].code == "JSONL_BAD_LINE"
    assert stats.redirects_skipped == 1 and stats.namespace_skipped == 1


def test_wiki_file_and_flat_sniffing(tmp_path):
    unit = only(units(FIXTURES / "wikitext" / "election_infobox.wiki"))
    assert (unit.format, unit.title, unit.doc_id) == ("wikitext", "election infobox",
                                                      "election_infobox.wiki#1")
    flat = only(units(FIXTURES / "wikitext" / "flat_sniffed.wiki"))
    assert flat.format == "flat" and flat.doc_id is None and flat.title is None
    txt = tmp_path / "a.txt"
    txt.write_text("= A =\n\nA\n- Key: v\n", encoding="utf-8")
    assert only(units(txt)).format == "flat"


@pytest.mark.parametrize(("name", "data", "code"), [
    ("cp1251.wiki", "Москва — столица России {{x}}\n".encode("cp1251"), "SOURCE_NOT_UTF8"),
    ("random.wiki", random.Random(3).randbytes(5000), "SOURCE_BINARY"),
    ("empty.xml", b"", "SOURCE_EMPTY"),
    ("blank.wiki", b"  \n\n", "SOURCE_EMPTY"),
    ("a.xml.7z", b"7z\xbc\xaf\x27\x1c\x00\x04rest", "UNSUPPORTED_COMPRESSION"),
    ("bad.xml.bz2", b"BZh91AY&SYgarbage", "DUMP_CORRUPT"),
    ("other.xml", b"<?xml version='1.0'?><root><a/></root>", "XML_NO_PAGES"),
])
def test_bad_files_become_failed_units(tmp_path, name, data, code):
    path = tmp_path / name
    path.write_bytes(data)
    unit = only(units(path))
    assert unit.problems[0].code == code and unit.problems[0].severity == "fatal"
    assert unit.doc_id == f"{name}#0" and unit.text == ""


def test_paths_folders_and_globs(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.wiki").write_text("B", encoding="utf-8")
    (tmp_path / "a.wiki").write_text("A", encoding="utf-8")
    (tmp_path / "README.md").write_text("not a page", encoding="utf-8")
    assert [Path(p).name for p in expand_paths([str(tmp_path)])] == ["a.wiki", "b.wiki"]
    assert [Path(p).name for p in expand_paths([str(tmp_path / "README.md")])] == ["README.md"]
    assert [Path(p).name for p in expand_paths([str(tmp_path / "**" / "*.wiki")])] == [
        "a.wiki", "b.wiki"]
    with pytest.raises(UsageError):
        expand_paths([str(tmp_path / "missing*.xml")])


def test_wiki_page_starting_with_a_comment_is_not_xml(tmp_path):
    path = tmp_path / "page.wiki"
    path.write_text("<!-- copy of a page -->\n{{Infobox venue\n| name = X\n}}\n", encoding="utf-8")
    unit = only(units(path))
    assert unit.format == "wikitext" and not unit.problems and unit.text.startswith("<!--")


@pytest.mark.slow
def test_whole_corpus_reads_and_parses_without_exception():
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("the shared corpus is not beside the repository")
    stats = SourceStats()
    pages = failed = 0
    for unit in iter_units([str(corpus)], stats=stats):
        if unit.problems:
            failed += 1
            continue
        if unit.format == "wikitext":
            article = parse_wikitext(unit.text, title=unit.title, doc_id=unit.doc_id,
                                     source=unit.source, page_id=unit.page_id)
            assert not [p for p in article.problems if p.code == "PARSE_INTERNAL"]
            pages += 1
    assert stats.files == 386 and pages > 500
    assert failed == 1  # the .7z dump: a clear failed row
    assert stats.redirects_skipped > 0 and stats.namespace_skipped > 0


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400), prefix=st.sampled_from(
    [b"", b"BZh9", b"\x1f\x8b", b"<mediawiki>", b"<?xml version='1.0'?>", b'{"title": ',
     b"\xff\xfe", PAIR[:900]]))
def test_arbitrary_bytes_never_raise(data, prefix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.xml"
        path.write_bytes(prefix + data)
        for unit in units(path):
            assert unit.text is not None
            if unit.problems:  # a failed unit, or one marked partial for its bad bytes
                assert unit.problems[0].severity == "fatal" or (
                    unit.problems[0].code == "SOURCE_BAD_BYTES" and unit.text)
