"""Broken and hostile source files: the run finishes, every article read has exactly one row in
`articles` (ok, partial or failed, with a code and a position), and what is readable is kept."""

from __future__ import annotations

import bz2
import gzip
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import source_text
from extractor.partitions import plan, stream_offsets
from extractor.pipeline import articles_from_unit
from extractor.run import extract
from extractor.sources import PROLOG_PEEK, SourceStats, iter_units

from .conftest import FIXTURES
from .test_flat_chunks import BlockStream

HEADER = (
    '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">\n'
    "<siteinfo><sitename>Test</sitename><namespaces>"
    '<namespace key="0" case="first-letter" /></namespaces></siteinfo>\n'
)
FOOTER = "</mediawiki>\n"
FLAT = "= {t} =\n\n{t}\n- Name: {t}\n- Population: {n}\n\n{t} is a place.\n"


def page(n: int, title: str | None = None) -> str:
    text = f"{{{{Infobox settlement\n| name = Town {n}\n| population = {n * 100}\n}}}}\n" \
           f"'''Town {n}''' is a town. " + "Filler words for size. " * 40
    return (f"<page><title>{escape(title or f'Town {n}')}</title><ns>0</ns><id>{n}</id>"
            f"<revision><id>{n}</id><text xml:space=\"preserve\">{escape(text)}</text>"
            "</revision></page>\n")


def multistream(path: Path, pages: int = 12, per_stream: int = 3) -> list[int]:
    """A Wikipedia-like multistream dump; returns the offsets of its streams."""
    streams = [bz2.compress(HEADER.encode())]
    for first in range(1, pages + 1, per_stream):
        group = "".join(page(n) for n in range(first, min(first + per_stream, pages + 1)))
        streams.append(bz2.compress(group.encode()))
    streams.append(bz2.compress(FOOTER.encode()))
    path.write_bytes(b"".join(streams))
    offsets, at = [], 0
    for stream in streams:
        offsets.append(at)
        at += len(stream)
    return offsets


def write_index(dump: Path, offsets: list[int]) -> Path:
    index = dump.with_name(dump.name.replace("multistream.xml.bz2", "multistream-index.txt.bz2"))
    lines = [f"{offset}:{n}:Town {n}" for n, offset in enumerate(offsets[1:-1], 1)]
    index.write_bytes(bz2.compress("\n".join(lines).encode()))
    return index


def corrupt(path: Path, at: int, size: int = 64) -> None:
    data = bytearray(path.read_bytes())
    data[at:at + size] = bytes(b ^ 0x5A for b in data[at:at + size])
    path.write_bytes(bytes(data))


def articles(tmp_path: Path, *paths: Path, name: str = "out", **options) -> pd.DataFrame:
    out = tmp_path / name
    extract([str(p) for p in paths], out_dir=out, report=False, fmt="parquet", **options)
    return pd.read_parquet(out / "articles")


def failed(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["status"] == "failed"]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extractor", *args], capture_output=True,
                          text=True, timeout=300)


def units(path: Path, stats: SourceStats | None = None):
    return list(iter_units([str(path)], stats=stats or SourceStats()))


# --- text files: empty, binary, bad bytes, encodings, NUL, line ends -------------------------

def test_empty_file_is_one_failed_row(tmp_path):
    (tmp_path / "empty.wiki").write_bytes(b"")
    frame = articles(tmp_path, tmp_path / "empty.wiki")
    assert list(frame["status"]) == ["failed"] and frame["error"][0].startswith("SOURCE_EMPTY")


@pytest.mark.parametrize("name", ["noise.bin", "noise.wiki", "noise.txt", "noise.xml",
                                  "noise.gz"])
def test_binary_file_is_failed_not_an_article(tmp_path, name):
    data = random.Random(name).randbytes(5000)
    if name.endswith(".gz"):
        data = gzip.compress(data)
    (tmp_path / name).write_bytes(data)
    frame = articles(tmp_path, tmp_path / name)
    assert list(frame["status"]) == ["failed"]
    assert frame["error"][0].split(":")[0] in ("SOURCE_BINARY", "XML_BROKEN")
    if name != "noise.xml":  # random bytes may start with "<": then they are broken XML
        assert frame["error"][0].startswith("SOURCE_BINARY")


def test_ascii_control_noise_is_binary(tmp_path):
    """Random bytes below 128 are valid UTF-8: the control bytes give them away."""
    path = tmp_path / "noise.wiki"
    rng = random.Random(1)
    path.write_bytes(bytes(rng.randrange(128) for _ in range(5000)))
    assert units(path)[0].problems[0].code == "SOURCE_BINARY"


def test_legitimate_text_is_never_binary(tmp_path):
    texts = {
        "cyrillic.wiki": "Москва — столица России.\n" * 50,
        "cjk.wiki": "東京都は日本の首都である。\n" * 50,
        "tabs.txt": "= T =\n\nT\n\n{| \n|\tcell\t|| x\n|}\n\f\n",
        "utf16-nobom.wiki": None,
    }
    for name, text in texts.items():
        path = tmp_path / name
        if text is None:
            path.write_bytes("{{Infobox x\n| a = Çullu\n}}\nText.\n".encode("utf-16-le"))
        else:
            path.write_text(text, encoding="utf-8")
        [unit] = units(path)
        assert not unit.problems and "\ufffd" not in unit.text, name
    fixtures = [*(FIXTURES / "wikitext").glob("*.wiki"), *(FIXTURES / "flat").glob("*.txt")]
    for path in [p for p in fixtures if p.name != "latin1.wiki"]:  # that one is bad on purpose
        for unit in units(path):
            assert not [p for p in unit.problems if p.code.startswith("SOURCE_")], path


def test_bad_utf8_byte_makes_only_its_article_partial(tmp_path):
    text = "".join(FLAT.format(t=f"Town {n}", n=n) + "\n" for n in range(1, 6))
    data = text.encode()
    at = data.index(b"Town 3 is")  # a byte in the third article's first paragraph
    path = tmp_path / "towns.txt"
    path.write_bytes(data[:at] + b"\xff" + data[at + 1:])
    frame = articles(tmp_path, path).sort_values("line")
    assert list(frame["status"]) == ["ok", "ok", "partial", "ok", "ok"]
    bad = frame.iloc[2]
    line = data[:at].count(b"\n") + 1
    assert bad["error"] == (f"SOURCE_BAD_BYTES: bytes that are not utf-8 text (undecodable, "
                            f"or NUL) replaced by U+FFFD; the first at byte {at} (line {line})")
    assert bad["title"] == "Town 3"


def test_bad_byte_in_a_wiki_page_is_partial_and_legacy_text_is_refused(tmp_path):
    page_ = tmp_path / "page.wiki"
    page_.write_bytes(b"{{Infobox x\n| name = caf\xe9\n}}\nText.\n")
    [unit] = units(page_)
    assert unit.problems[0].code == "SOURCE_BAD_BYTES" and unit.problems[0].line == 2
    assert "byte 24" in unit.problems[0].message and "caf\ufffd" in unit.text
    legacy = tmp_path / "legacy.wiki"
    legacy.write_bytes(("Москва — столица России.\n" * 20).encode("cp1251"))
    [unit] = units(legacy)
    assert unit.problems[0].code == "SOURCE_NOT_UTF8" and unit.problems[0].severity == "fatal"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_boms_and_utf16_text_files_read_like_utf8(tmp_path, encoding):
    flat = "".join(FLAT.format(t=f"Town {n}", n=n) + "\n" for n in range(1, 4))
    wiki = "{{Infobox settlement\n| name = Çullu\n}}\n'''Çullu''' is a village.\n"
    bom = b"\xff\xfe" if encoding == "utf-16-le" else b"\xfe\xff" if encoding == "utf-16-be" \
        else b""
    for name, text in (("towns.txt", flat), ("village.wiki", wiki)):
        (tmp_path / f"plain-{name}").write_text(text, encoding="utf-8")
        (tmp_path / name).write_bytes(bom + text.encode(encoding))
        got = [(u.format, u.title, u.text, u.problems) for u in units(tmp_path / name)]
        want = [(u.format, u.title, u.text, u.problems)
                for u in units(tmp_path / f"plain-{name}")]
        if name.endswith(".wiki"):
            want = [(f, "village", t, p) for f, _, t, p in want]
        assert got == want, (encoding, name)


def test_nul_bytes_never_reach_a_title_or_a_value_unflagged(tmp_path):
    flat = tmp_path / "nul.txt"
    flat.write_bytes(b"= Good =\n\nGood\n- Name: ok\n\n= Na\x00me =\n\nBad\n- Name: a\x00b\n")
    wiki = tmp_path / "nul.wiki"
    wiki.write_bytes(b"{{Infobox x\n| name = a\x00b\n}}\n")
    jsonl = tmp_path / "nul.jsonl"
    jsonl.write_text('{"title": "T\\u0000x", "text": "{{Infobox x\\n| name = a\\u0000b\\n}}"}\n',
                     encoding="utf-8")
    out = tmp_path / "out"
    extract([str(flat), str(wiki), str(jsonl)], out_dir=out, report=False, fmt="both")
    frame = pd.read_parquet(out / "articles").set_index("title")
    assert frame.loc["Good", "status"] == "ok"
    flagged = frame[frame["status"] == "partial"]
    assert len(flagged) == 3 and all(flagged["error"].str.startswith("SOURCE_BAD_BYTES"))
    for table in ("articles", "infobox_fields"):
        for kind in ("parquet", "csv"):
            data = (pd.read_parquet(out / table) if kind == "parquet"
                    else pd.read_csv(out / f"{table}.csv", dtype=str))
            for column in data.columns:
                assert not data[column].astype(str).str.contains("\x00").any(), (table, column)
    fields = pd.read_parquet(out / "infobox_fields")
    assert {"a\ufffdb", "ok"} <= set(fields["raw"])


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_lone_cr_read_like_lf(tmp_path, newline):
    text = "".join(FLAT.format(t=f"Town {n}", n=n) + "\n" for n in range(1, 4))
    (tmp_path / "lf.txt").write_text(text, encoding="utf-8", newline="\n")
    (tmp_path / "other.txt").write_bytes(text.replace("\n", newline).encode())
    lf = articles(tmp_path, tmp_path / "lf.txt", name="lf")
    other = articles(tmp_path, tmp_path / "other.txt", name="other")
    columns = ["title", "line", "status", "n_fields"]
    assert lf[columns].to_dict("records") == other[columns].to_dict("records")
    assert set(lf["status"]) == {"ok"}


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_lone_cr_in_a_wiki_page(tmp_path, newline):
    text = "{{Infobox settlement\n| name = Town\n| population = 5\n}}\n'''Town''' is a town.\n"
    (tmp_path / "lf.wiki").write_text(text, encoding="utf-8", newline="\n")
    (tmp_path / "other.wiki").write_bytes(text.replace("\n", newline).encode())
    [lf], [other] = units(tmp_path / "lf.wiki"), units(tmp_path / "other.wiki")
    assert other.text == lf.text and not other.problems


def test_nul_in_xml_breaks_only_its_page(tmp_path):
    xml = HEADER + page(1) + page(2, "Na\x00me") + page(3) + FOOTER
    path = tmp_path / "nul.xml"
    path.write_bytes(xml.encode())
    result = units(path)
    assert [u.page_id for u in result if not u.problems] == [1, 3]
    assert [u.problems[0].code for u in result if u.problems] == ["XML_BROKEN"]
    assert not any("\x00" in (u.title or "") + u.text for u in result)


# --- truncated and corrupt compressed files, XML cut mid-page --------------------------------

def one_failed_with_offset(frame: pd.DataFrame, codes: tuple[str, ...]) -> pd.Series:
    bad = failed(frame)
    assert len(bad) == 1, bad
    row = bad.iloc[0]
    assert row["error"].split(":")[0] in codes and "byte" in row["error"]
    return row


@pytest.mark.parametrize("fraction", [0.15, 0.5, 0.93])
def test_truncated_single_stream_bz2_keeps_pages_before_the_cut(tmp_path, fraction):
    noise = random.Random(5)  # text that compresses badly: the stream has several blocks
    pages = [page(n).replace("Filler words for size. ", f"{noise.getrandbits(1600):x} ")
             for n in range(1, 201)]
    blob = bz2.compress((HEADER + "".join(pages) + FOOTER).encode(), 1)
    path = tmp_path / "cut.xml.bz2"
    path.write_bytes(blob[:int(len(blob) * fraction)])
    frame = articles(tmp_path, path)
    row = one_failed_with_offset(frame, ("DUMP_TRUNCATED", "DUMP_CORRUPT"))
    assert row["doc_id"] == "cut.xml.bz2#@0"  # the broken stream starts the file
    kept = sorted(frame[frame["status"] == "ok"]["page_id"])
    assert kept == list(range(1, len(kept) + 1))
    if fraction > 0.9:
        assert len(kept) > 100


def test_truncated_gzip_and_xml_keep_pages_before_the_cut(tmp_path):
    noise = random.Random(9)
    pages = [page(n).replace("Filler words for size. ", f"{noise.getrandbits(800):x} ")
             for n in range(1, 41)]
    xml = (HEADER + "".join(pages) + FOOTER).encode()
    blob = gzip.compress(xml)
    (tmp_path / "cut.xml.gz").write_bytes(blob[:len(blob) // 2])
    frame = articles(tmp_path, tmp_path / "cut.xml.gz", name="gz")
    one_failed_with_offset(frame, ("DUMP_TRUNCATED",))
    assert 5 < len(frame[frame["status"] == "ok"]) < 40
    middle = xml.index(b"<page>", len(xml) // 2) + 200  # inside a page
    (tmp_path / "cut.xml").write_bytes(xml[:middle])
    for name, options in (("xml", {}), ("xml-split", {"partition_mb": 0.01, "jobs": 2})):
        if options:  # the uncompressed dump cut into byte ranges at <page> tags
            assert len(plan([str(tmp_path / "cut.xml")], 10485).partitions) > 2
        frame = articles(tmp_path, tmp_path / "cut.xml", name=name, **options)
        row = one_failed_with_offset(frame, ("DUMP_TRUNCATED",))
        assert row["doc_id"] == f"cut.xml#@{middle}", name
        assert len(frame[frame["status"] == "ok"]) == xml[:middle].count(b"</page>")


def test_truncated_compressed_flat_file_keeps_whole_articles(tmp_path, monkeypatch):
    from extractor import source_text

    monkeypatch.setattr(source_text, "FLAT_CHUNK", 1 << 30)  # one chunk: nothing handed out early
    noise = random.Random(4)
    text = "".join(FLAT.format(t=f"Town {n}", n=n) + f"{noise.getrandbits(2000):x}\n\n"
                   for n in range(1, 101))
    blob = gzip.compress(text.encode())
    path = tmp_path / "towns.txt.gz"
    path.write_bytes(blob[:len(blob) // 2])
    result = units(path)
    kept = [a for u in result[:-1] for a in articles_from_unit(u)]
    assert 20 < len(kept) < 100 and all(a.status == "ok" for a in kept)
    assert [a.title for a in kept] == [f"Town {n}" for n in range(1, len(kept) + 1)]
    broken = result[-1].problems[0]
    assert broken.code == "DUMP_TRUNCATED" and broken.line == result[-1].line
    assert f"line {result[-1].line} on is lost" in broken.message
    assert text.splitlines()[result[-1].line - 1] == f"= Town {len(kept) + 1} ="


@pytest.mark.parametrize("cut", [0.3, 0.55, 0.8, 0.999])
def test_truncated_multistream_whole_and_partitioned(tmp_path, cut):
    dump = tmp_path / "wiki-multistream.xml.bz2"
    offsets = multistream(dump)
    data = dump.read_bytes()
    end = int(len(data) * cut)
    dump.write_bytes(data[:end])
    broken = max(o for o in offsets if o < end)  # the stream the cut falls in
    whole_pages = 3 * max(0, offsets.index(broken) - 1)
    for name, options in (("whole", {"partition_mb": 1000}),
                          ("split", {"partition_mb": 1e-9, "jobs": 2})):
        frame = articles(tmp_path, dump, name=name, **options)
        ok = frame[frame["status"] == "ok"]
        if broken == offsets[-1]:  # only the footer lost: every page is there
            assert len(ok) == 12
        else:
            assert sorted(ok["page_id"]) == list(range(1, whole_pages + 1)), name
        row = one_failed_with_offset(frame, ("DUMP_TRUNCATED", "DUMP_CORRUPT", "XML_BROKEN",
                                             "XML_NO_PAGES"))
        if row["error"].startswith("DUMP_"):
            assert row["doc_id"] == f"{dump.name}#@{broken}", name


@pytest.fixture(params=["python", "lbzip2"])
def bz2_tool(request, monkeypatch):
    if request.param != "python" and shutil.which(request.param) is None:
        pytest.skip(f"{request.param} is not installed")
    monkeypatch.setenv("EXTRACTOR_BZ2_TOOL", request.param)
    return request.param


@pytest.mark.parametrize("indexed", [False, True])
def test_corrupt_stream_in_the_middle_loses_only_its_pages(tmp_path, bz2_tool, indexed):
    dump = tmp_path / "wiki-multistream.xml.bz2"
    offsets = multistream(dump, pages=15, per_stream=3)  # streams: header, 5 of pages, footer
    corrupt(dump, offsets[3] + 100)  # inside the third stream of pages (pages 7-9)
    if indexed:
        write_index(dump, offsets)
        assert stream_offsets(str(dump)) == offsets[1:-1]
    expected = [1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14, 15]
    runs = {
        "whole": {"partition_mb": 1000},  # the whole file, one reader
        "one-per-stream": {"partition_mb": 1e-9, "jobs": 2},
        # the corrupt stream inside one partition, with other streams after it
        "inside": {"partition_mb": inside_target(dump, offsets[3], offsets[4]) / (1 << 20)},
    }
    for name, options in runs.items():
        frame = articles(tmp_path, dump, name=name, **options)
        assert sorted(frame[frame["status"] == "ok"]["page_id"]) == expected, name
        row = one_failed_with_offset(frame, ("DUMP_CORRUPT", "DUMP_TRUNCATED", "XML_BROKEN"))
        assert row["doc_id"] == f"{dump.name}#@{offsets[3]}", name
        assert f"compressed byte {offsets[3]}" in row["error"]


def test_an_index_that_does_not_match_its_dump_cuts_nothing_wrong(tmp_path):
    dump = tmp_path / "wiki-multistream.xml.bz2"
    offsets = multistream(dump)
    size = dump.stat().st_size
    index = dump.with_name("wiki-multistream-index.txt.bz2")
    lines = [f"{o}:{n}:Town {n}" for n, o in enumerate(offsets[1:-1], 1)]
    lines += [f"{offsets[2] + 7}:90:Mid stream", f"{size + 500}:91:Past the end"]
    index.write_bytes(bz2.compress("\n".join(lines).encode()))
    assert stream_offsets(str(dump)) == offsets[1:-1]
    index.write_bytes(bz2.compress(b"5:1:A\n9:2:B\n13:3:C\n"))  # nothing matches: scanned
    assert stream_offsets(str(dump)) == offsets
    frame = articles(tmp_path, dump, partition_mb=1e-9)
    assert sorted(frame["page_id"]) == list(range(1, 13)) and set(frame["status"]) == {"ok"}


def inside_target(dump: Path, first: int, after: int) -> int:
    """A partition size that puts the stream at `first` inside a range that goes on past
    `after` (and is not the whole file)."""
    for target in range(1, dump.stat().st_size):
        ranges = plan([str(dump)], target).partitions
        if len(ranges) > 1 and any(r.start < first and r.end > after for r in ranges):
            return target
    raise AssertionError("no such partition size")


def test_corrupt_header_stream_keeps_the_pages(tmp_path):
    dump = tmp_path / "wiki-multistream.xml.bz2"
    offsets = multistream(dump)
    corrupt(dump, 20, 16)  # the first stream: <mediawiki> and <siteinfo>
    for name, options in (("whole", {"partition_mb": 1000}), ("split", {"partition_mb": 1e-9})):
        frame = articles(tmp_path, dump, name=name, **options)
        assert sorted(frame[frame["status"] == "ok"]["page_id"]) == list(range(1, 13)), name
        assert len(failed(frame)) == 1 and offsets[0] == 0


def test_corrupt_multistream_through_the_cli(tmp_path):
    dump = tmp_path / "wiki-multistream.xml.bz2"
    offsets = multistream(dump)
    corrupt(dump, offsets[2] + 80)
    result = cli("extract", str(dump), "-o", str(tmp_path / "out"), "--jobs", "2",
                 "--partition-mb", "0.000001", "--format", "csv")
    assert result.returncode == 1, result.stderr  # the run finished; an article failed
    frame = pd.read_csv(tmp_path / "out" / "articles.csv")
    assert (frame["status"] == "ok").sum() == 9 and (frame["status"] == "failed").sum() == 1


# --- hostile XML: entities, DTDs -------------------------------------------------------------

LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
          + "".join(f' <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">\n'
                    .replace("&lol0;", "&lol;") for i in range(1, 10))
          + "]>\n" + HEADER + "<page><title>&lol9;</title><ns>0</ns><id>1</id><revision>"
          "<text>&lol9;</text></revision></page>\n" + FOOTER)


def external(target: str) -> str:
    return (f'<?xml version="1.0"?>\n<!DOCTYPE m [ <!ENTITY x SYSTEM "{target}"> ]>\n' + HEADER
            + "<page><title>X</title><ns>0</ns><id>1</id><revision><text>&x;</text>"
            "</revision></page>\n" + FOOTER)


@pytest.mark.parametrize("name,text", [
    ("laughs.xml", LAUGHS),
    ("file.xml", external("file:///etc/passwd")),
    ("http.xml", external("http://127.0.0.1:9/x.dtd")),
    ("late.xml", "<!-- " + "x" * PROLOG_PEEK + " -->\n" + external("file:///etc/passwd")),
])
def test_entities_and_dtds_are_refused_not_expanded(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    [unit] = units(path)
    assert unit.problems[0].code == "XML_DTD_REFUSED" and unit.text == ""
    assert "root:" not in unit.problems[0].message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_dtd_after_pages_is_refused_and_pages_before_kept(tmp_path, encoding):
    inside = (HEADER + page(1) + page(2) + "<page><title>X</title><ns>0</ns><id>3</id>"
              '<revision><text><!DOCTYPE x [<!ENTITY a "b">]>&a;</text></revision></page>'
              + page(4) + FOOTER)
    path = tmp_path / "inside.xml"
    path.write_text(inside, encoding=encoding)
    result = units(path)
    assert [u.page_id for u in result[:-1]] == [1, 2]
    assert result[-1].problems[0].code == "XML_DTD_REFUSED"
    assert "uncompressed byte" in result[-1].problems[0].message


def test_undeclared_entity_is_kept_as_text_not_expanded(tmp_path):
    path = tmp_path / "ref.xml"
    path.write_text(HEADER + page(1) + "<page><title>&xxe;</title><ns>0</ns><id>2</id>"
                    "<revision><text>a</text></revision></page>" + page(3) + FOOTER,
                    encoding="utf-8")
    result = units(path)
    assert [u.page_id for u in result] == [1, 2, 3]
    assert result[1].title == "&xxe;" and result[1].problems[0].code == "XML_BAD_REFERENCE"


def test_billion_laughs_and_a_binary_file_through_the_cli(tmp_path):
    path = tmp_path / "laughs.xml"
    path.write_text(LAUGHS, encoding="utf-8")
    noise = tmp_path / "noise.wiki"
    noise.write_bytes(random.Random(2).randbytes(5000))
    result = cli("extract", str(path), str(noise), "-o", str(tmp_path / "out"), "--jobs", "1",
                 "--format", "csv")
    assert result.returncode == 1, result.stderr  # the run finished; articles failed
    assert "Traceback" not in result.stderr
    frame = pd.read_csv(tmp_path / "out" / "articles.csv").set_index("title")
    assert list(frame["status"]) == ["failed", "failed"]
    assert frame.loc["laughs.xml", "error"].startswith("XML_DTD_REFUSED")
    assert frame.loc["noise.wiki", "error"].startswith("SOURCE_BINARY")


# --- titles are data, never paths ------------------------------------------------------------

def test_titles_with_path_separators_are_data(tmp_path):
    titles = ["../../x", "a/b", "..\\..\\y", "/etc/passwd", "CON"]
    xml = HEADER + "".join(page(n, t) for n, t in enumerate(titles, 1)) + FOOTER
    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / "titles.xml"
    path.write_text(xml, encoding="utf-8")
    jsonl = tmp_path / "in" / "nul.jsonl"
    jsonl.write_text('{"title": "../\\u0000z", "text": "x"}\n', encoding="utf-8")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    out = tmp_path / "in" / "out"
    result = cli("extract", str(path), str(jsonl), "-o", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    frame = pd.read_parquet(out / "articles")
    assert set(titles) <= set(frame["title"]) and "../\ufffdz" in set(frame["title"])
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")
                   if out not in p.parents and p != out)
    assert after == before  # nothing written outside the output folder
    assert not (tmp_path / "x").exists() and not (tmp_path / "in" / "a").exists()


# --- fuzz: random bytes, truncations and bit flips of the fixture dumps ----------------------

def generated_dumps() -> dict[str, bytes]:
    """A 30-page dump, plain and compressed (one stream, or a stream per 3 pages)."""
    xml = (HEADER + "".join(page(n) for n in range(1, 31)) + FOOTER).encode()
    streams = [bz2.compress(HEADER.encode())]
    streams += [bz2.compress("".join(page(n) for n in range(i, i + 3)).encode())
                for i in range(1, 31, 3)]
    streams.append(bz2.compress(FOOTER.encode()))
    return {"gen.xml": xml, "gen.xml.gz": gzip.compress(xml), "gen.xml.bz2": bz2.compress(xml),
            "gen-multistream.xml.bz2": b"".join(streams)}


SOURCES = {p.name: p.read_bytes() for p in sorted((FIXTURES / "dumps").iterdir())
           if p.is_file()} | generated_dumps()


def baseline(name: str, data: bytes) -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        stats = SourceStats()
        units(path, stats)
        return stats.pages


BASELINE = {name: baseline(name, data) for name, data in SOURCES.items()}


def check_accounted(path: Path, original_pages: int | None) -> None:
    stats = SourceStats()
    result = units(path, stats)  # never raises
    broken = [u.doc_id for u in result if any(p.severity == "fatal" for p in u.problems)]
    assert len(set(broken)) == len(broken)  # one row each, told apart
    for unit in result:
        assert "\x00" not in unit.text and "\x00" not in (unit.title or "")
        for p in unit.problems:
            assert p.code and p.severity in ("fatal", "error", "warning", "info")
    if original_pages is not None and stats.pages < original_pages:
        # pages went missing: a failed row says where, or the file (no longer sniffed as a
        # dump) is kept whole as one page of text
        whole = any(len(u.text) > path.stat().st_size // 2 for u in result)
        assert stats.failed_units > 0 or whole


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(SOURCES)), data=st.data())
def test_fuzz_mutated_fixture_dumps(name, data):
    raw = bytearray(SOURCES[name])
    how = data.draw(st.sampled_from(["truncate", "flip", "both"]))
    if how in ("truncate", "both") and raw:
        raw = raw[:data.draw(st.integers(0, len(raw)))]
    if how in ("flip", "both") and raw:
        for _ in range(data.draw(st.integers(1, 4))):
            at = data.draw(st.integers(0, len(raw) - 1))
            raw[at] ^= 1 << data.draw(st.integers(0, 7))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(bytes(raw))
        # a JSONL file cut at a line end is a shorter file: nothing tells it was cut
        cut_jsonl = name.endswith(".jsonl") and how != "flip"
        check_accounted(path, None if cut_jsonl else BASELINE[name])


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=3000), name=st.sampled_from(
    ["x.wiki", "x.txt", "x.xml", "x.jsonl", "x.bz2", "x"]))
def test_fuzz_random_bytes(data, name):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        check_accounted(path, None)


# --- XML that breaks in the middle: the pages after the broken one are read on ---------------

@pytest.mark.parametrize("compress", [None, "gz", "bz2"])
def test_a_broken_page_in_the_middle_costs_only_itself(tmp_path, compress):
    broken = page(50).replace("</title>", "</titel>")  # mismatched tags
    xml = (HEADER + "".join(page(n) for n in range(1, 50)) + broken
           + "".join(page(n) for n in range(51, 101)) + FOOTER).encode()
    path = tmp_path / "dump.xml"
    data = {None: xml, "gz": gzip.compress(xml) if compress == "gz" else b"",
            "bz2": bz2.compress(xml) if compress == "bz2" else b""}[compress]
    if compress:
        path = tmp_path / f"dump.xml.{compress}"
    path.write_bytes(data)
    frame = articles(tmp_path, path)
    assert sorted(frame[frame["status"] == "ok"]["page_id"]) == [*range(1, 50), *range(51, 101)]
    row = one_failed_with_offset(frame, ("XML_BROKEN",))
    assert "line" in row["error"] or "byte" in row["error"]


def test_every_page_broken_still_ends(tmp_path):
    xml = HEADER + "".join(page(n).replace("</title>", "</titel>") for n in range(1, 30))
    xml += page(30) + FOOTER
    path = tmp_path / "bad.xml"
    path.write_text(xml, encoding="utf-8")
    result = units(path)
    assert result[-1].page_id == 30
    assert all(u.problems[0].code == "XML_BROKEN" for u in result[:-1])
    assert len({u.doc_id for u in result}) == len(result) == 30


def test_broken_header_ends_and_reads_the_pages_after_it(tmp_path):
    xml = HEADER.replace("</siteinfo>", "</siteinfp>") + "".join(page(n) for n in range(1, 21))
    path = tmp_path / "bad-header.xml"
    path.write_text(xml + FOOTER, encoding="utf-8")
    result = units(path)
    kept = [u.page_id for u in result if not u.problems]
    assert kept == list(range(1, 21))
    assert 1 <= sum(1 for u in result if u.problems) <= 3


@settings(max_examples=200, deadline=None)
@given(pieces=st.lists(st.sampled_from([b"a", "é".encode(), b"\n", b"\r", b"\r\n", b"\x00",
                                        b"\xff", "東".encode()]), max_size=40),
       block=st.integers(1, 7))
def test_bad_bytes_are_placed_at_their_byte_and_line(pieces, block):
    from extractor.textdecode import TextDecoder

    data = b"".join(pieces)
    expected: dict[int, int] = {}
    offset, line, after_cr = 0, 1, False
    for piece in pieces:
        if piece in (b"\x00", b"\xff"):
            expected.setdefault(line, offset)
        if piece == b"\n" and after_cr:
            pass  # the LF of a CR LF split in two pieces: one line end
        elif piece in (b"\n", b"\r", b"\r\n"):
            line += 1
        after_cr = piece == b"\r"
        offset += len(piece)
    decoder = TextDecoder(b"utf-8 text, no BOM")  # NULs in a short head could pass for UTF-16
    text = "".join(decoder.decode(data[i:i + block]) for i in range(0, len(data), block))
    text += decoder.decode(b"", final=True)
    assert decoder.bad_lines == expected
    assert "\x00" not in text and text.count("\ufffd") == data.count(b"\x00") + data.count(b"\xff")


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(st.sampled_from(["= T =", "== S ==", "- K: v", "text", "", "b\xffd",
                                       "= B\xff =", "\x00"]), max_size=25),
       chunk_chars=st.integers(1, 60))
def test_bad_bytes_mark_exactly_the_articles_holding_them(lines, chunk_chars):
    """Whatever the chunk size, the articles are those of one parse of the text with U+FFFD
    for each bad byte, and just the ones holding a bad byte are partial."""
    from extractor.parse.flat import parse_flat

    data = "\n".join(lines).encode("utf-8", "surrogateescape").replace(b"\xc3\xbf", b"\xff")
    if not data.strip():
        return
    readable = data.decode("utf-8", "replace").replace("\x00", "\ufffd")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.txt"
        path.write_bytes(data)
        found = list(source_text.read_flat_file(str(path), data[:5], BlockStream(data[5:], 5),
                                            SourceStats(), chunk_chars))
    got = [a for unit in found for a in articles_from_unit(unit)]
    whole = parse_flat(readable, str(path))
    assert [(a.doc_id, a.title, a.line) for a in got] == [(a.doc_id, a.title, a.line)
                                                         for a in whole]
    text_lines = readable.split("\n")
    for article in got:
        span = text_lines[article.line - 1:article.end_line]
        holds_bad = any("\ufffd" in line for line in span)
        flagged = any(p.code == "SOURCE_BAD_BYTES" for p in article.problems)
        assert flagged == holds_bad, (article.title, article.line, article.end_line, span)


@pytest.mark.parametrize("cut_inside_a_line", [False, True])
def test_jsonl_in_multistream_bz2_reads_on_after_a_broken_stream(tmp_path, cut_inside_a_line):
    text = "{{{{Infobox settlement\n| name = Town {n}\n}}}}\n'''Town {n}''' is a town."
    records = [json.dumps({"title": f"Town {n}", "text": text.format(n=n)}) for n in range(1, 13)]
    chunks = ["\n".join(records[i:i + 3]) + "\n" for i in range(0, 12, 3)]
    if cut_inside_a_line:  # streams that do not begin at a line start, as `split -b` makes
        joined = "".join(chunks)
        chunks = [joined[i:i + len(joined) // 4] for i in range(0, len(joined), len(joined) // 4)]
    streams = [bz2.compress(chunk.encode()) for chunk in chunks]
    path = tmp_path / "towns.jsonl.bz2"
    path.write_bytes(b"".join(streams))
    corrupt(path, len(streams[0]) + len(streams[1]) // 2)  # inside the second stream
    out = tmp_path / "out"
    extract([str(path)], out_dir=out, report=False, fmt="parquet")
    rows = pd.read_parquet(out / "articles")
    assert rows["doc_id"].is_unique
    failed = rows[rows["status"] == "failed"]
    assert (failed["error"].str.startswith("DUMP_CORRUPT")).sum() == 1
    kept = set(rows.loc[rows["status"] == "ok", "title"])
    assert {"Town 1", "Town 2"} <= kept and {"Town 11", "Town 12"} <= kept  # both sides kept
    assert not {"Town 5"} & kept  # the broken stream's own records are lost, and said so
    if cut_inside_a_line:  # the records cut at either edge of the lost stream are failed rows
        assert set(failed["error"].str.split(":").str[0]) == {"DUMP_CORRUPT", "JSONL_BAD_LINE"}
    else:
        assert len(failed) == 1 and kept == {f"Town {n}" for n in (1, 2, 3, *range(7, 13))}


def test_flat_file_in_multistream_bz2_reads_on_after_a_broken_stream(tmp_path):
    text = "".join(FLAT.format(t=f"Town {n}", n=n) + "\n" for n in range(1, 13))
    quarter = len(text) // 4 + 1  # streams that begin and end inside articles
    streams = [bz2.compress(text[i:i + quarter].encode()) for i in range(0, len(text), quarter)]
    assert len(streams) == 4
    path = tmp_path / "towns.txt.bz2"
    path.write_bytes(b"".join(streams))
    corrupt(path, len(streams[0]) + 40, size=16)  # inside the second stream only
    rows = articles(tmp_path, path)
    assert rows["doc_id"].is_unique
    (failed,) = rows.loc[rows["status"] == "failed", "error"]
    assert failed.startswith("DUMP_CORRUPT") and "reading goes on" in failed
    kept = rows[rows["status"] == "ok"].set_index("title")
    # before the break: the articles whole before the stream that broke; after it: from the
    # first title of the next stream on, named after that stream, lines counted from it
    assert {"Town 1", "Town 2"} <= set(kept.index) and {"Town 11", "Town 12"} <= set(kept.index)
    assert not {"Town 5", "Town 6"} & set(kept.index)
    resumed = kept[kept["doc_id"].str.contains("@")]
    next_stream = len(streams[0]) + len(streams[1])
    assert all(resumed["doc_id"].str.startswith(f"towns.txt.bz2@{next_stream}#"))
    third = text[2 * quarter:3 * quarter]
    first_title = third[third.index("\n= ") + 1:].split(" =", 1)[0].removeprefix("= ")
    assert resumed["line"].min() == third[:third.index("\n= ") + 1].count("\n") + 1
    assert first_title in resumed.index
