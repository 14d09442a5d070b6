"""An `&` in a dump that starts no XML reference (`&nbsp;` written raw, a bare `&`) is kept as
text with an XML_BAD_REFERENCE warning on its page, and the pages after it are read: libxml2
alone would stop at an undefined entity and lose the rest of the file."""

from __future__ import annotations

import bz2

import pandas as pd
import pytest

from extractor import source_xml
from extractor.run import extract

from .test_fault_sources import FOOTER, HEADER, page, units

FILLER = "".join(page(n) for n in range(1, 12))  # past the 16 KB the source sniffs first


def raw_page(n: int, title: str, text: str) -> str:
    """A page whose title and text are written as given (no escaping)."""
    return (f"<page><title>{title}</title><ns>0</ns><id>{n}</id><revision><id>{n}</id>"
            f"<text xml:space=\"preserve\">{text}</text></revision></page>\n")


def warnings(unit) -> list[str]:
    return [p.message.split(" on line")[0] for p in unit.problems
            if p.code == "XML_BAD_REFERENCE"]


def test_bad_references_are_text_and_the_pages_after_them_are_read(tmp_path):
    bad = raw_page(12, "A &amp; B &x;", "a &xxe; b &amp; c &nbsp;\nd & e &#160; &#xA0; &lt;f&gt;")
    path = tmp_path / "refs.xml"
    path.write_text(HEADER + FILLER + bad + page(13) + page(14) + FOOTER, encoding="utf-8")
    read = units(path)
    assert [u.page_id for u in read] == list(range(1, 15))
    unit = read[11]
    assert unit.title == "A & B &x;"
    assert unit.text == "a &xxe; b & c &nbsp;\nd & e \xa0 \xa0 <f>"
    assert warnings(unit) == ["'&x;'", "'&xxe;'", "'&nbsp;'", "'&'"]
    assert all(not u.problems for n, u in enumerate(read) if n != 11)


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 64])
def test_references_split_over_chunks_are_seen_whole(tmp_path, monkeypatch, chunk):
    # tiny reads: every reference falls across chunk edges at every offset
    monkeypatch.setattr(source_xml, "CHUNK", chunk)
    text = "x &amp; y &nbsp; z &#x2014; &lt; &bogus; &#160;&amp;&"
    path = tmp_path / "split.xml"
    path.write_text(HEADER + FILLER + raw_page(12, "Split", text) + page(13) + FOOTER,
                    encoding="utf-8")
    read = units(path)
    assert [u.page_id for u in read] == list(range(1, 14))
    assert read[11].text == "x & y &nbsp; z \u2014 < &bogus; \xa0&&"
    assert warnings(read[11]) == ["'&nbsp;'", "'&bogus;'", "'&'"]


def test_a_bad_reference_in_a_multistream_dump_run_on_two_workers(tmp_path):
    streams = [HEADER, "".join(page(n) for n in range(1, 4)),
               page(4) + raw_page(5, "Five", "{{Infobox settlement\n| name = Five &nbsp;"
                                             "Town\n| population = 500\n}}\nFive &undefined; "
                                             "is a town.") + page(6),
               "".join(page(n) for n in range(7, 10)), FOOTER]
    dump = tmp_path / "refs-multistream.xml.bz2"
    dump.write_bytes(b"".join(bz2.compress(s.encode()) for s in streams))
    out = tmp_path / "out"
    result = extract([str(dump)], out_dir=out, report=False, fmt="parquet", jobs=2,
                     partition_mb=0.000001)
    assert result.summary()["xml_bad_references"] == 2
    assert "2   `&`s that start no XML reference" in result.render()
    frame = pd.read_parquet(out / "articles")
    assert sorted(frame["title"]) == sorted([f"Town {n}" for n in range(1, 10) if n != 5]
                                            + ["Five"])
    assert set(frame["status"]) == {"ok"}
    five = frame.loc[frame["title"] == "Five", "doc_id"].item()
    # warnings leave the article ok; its `problems` names them, with their count
    problems = frame.set_index("title")["problems"].fillna("").to_dict()
    assert problems == {**{f"Town {n}": "" for n in range(1, 10) if n != 5},
                        "Five": "XML_BAD_REFERENCE*2"}
    fields = pd.read_parquet(out / "infobox_fields")
    name = fields[(fields["key"] == "name") & (fields["doc_id"] == five)]
    # the entity read as the wikitext renderer reads it: a space
    assert list(name["raw"]) == ["Five &nbsp;Town"] and list(name["text"]) == ["Five Town"]


def test_cdata_and_comments_keep_their_ampersands(tmp_path):
    text = '<![CDATA[a & b &nbsp; <c>]]>'
    path = tmp_path / "cdata.xml"
    path.write_text(HEADER + FILLER + "<!-- a & b -->\n" + raw_page(12, "C", text) + page(13)
                    + FOOTER, encoding="utf-8")
    read = units(path)
    assert [u.page_id for u in read] == list(range(1, 14))
    assert read[11].text == "a & b &nbsp; <c>" and not read[11].problems
    assert not any(u.problems for u in read)


def test_a_bad_reference_in_a_skipped_page_is_dropped_with_it(tmp_path):
    redirect = raw_page(12, "R &x;", "#REDIRECT [[Town 1]] &y;")
    path = tmp_path / "redirect.xml"
    path.write_text(HEADER + FILLER + redirect + page(13) + FOOTER, encoding="utf-8")
    read = units(path)
    assert [u.page_id for u in read] == [*range(1, 12), 13]
    assert not any(u.problems for u in read)


def test_utf16_is_not_escaped_and_still_breaks_cleanly(tmp_path):
    path = tmp_path / "utf16.xml"
    path.write_text(HEADER + page(1) + raw_page(2, "T", "a &x; b") + page(3) + FOOTER,
                    encoding="utf-16")
    read = units(path)
    assert read[0].page_id == 1
    assert read[-1].problems and read[-1].problems[0].code == "XML_BROKEN"


def test_a_run_of_ampersands_is_read_in_bounded_chunks(tmp_path, monkeypatch):
    waits = []
    real = source_xml.whole_references

    def counted(chunk, stream):
        grown = real(chunk, stream)
        waits.append(len(grown) - len(chunk))
        return grown

    monkeypatch.setattr(source_xml, "whole_references", counted)
    path = tmp_path / "amps.xml"
    path.write_text(HEADER + FILLER + raw_page(12, "Amps", "&" * 400_000) + page(13) + FOOTER,
                    encoding="utf-8")
    read = units(path)
    assert [u.page_id for u in read] == list(range(1, 14))
    assert read[11].text == "&" * 400_000 and len(read[11].problems) == 11
    assert read[11].problems[-1].message.startswith("399,990 more such")
    assert max(waits) <= source_xml.MAX_WAITS * source_xml.CHUNK
