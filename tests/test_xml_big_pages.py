"""A dump page whose XML passes the page cap (`Limits.page_xml_bytes`: lxml would hold it whole)
is one failed LIMIT_ARTICLE_SIZE row, named from its title and id, and reading goes on at the
next page; memory stays bounded by the cap."""

from __future__ import annotations

import bz2
from xml.sax.saxutils import escape

import pandas as pd
import pytest

from extractor.limits import Limits
from extractor.run import extract
from extractor.sources import SourceStats, iter_units

from .test_fault_sources import FOOTER, HEADER, page

CAP = 1 << 20


def big_page(n: int, size: int, ns: int = 0, redirect: bool = False) -> str:
    text = "{{Infobox settlement\n| name = Big\n}}\n" + "Prose & more prose.\n" * (size // 20)
    return (f"<page><title>Big {n}</title><ns>{ns}</ns><id>{n}</id>"
            + ('<redirect title="Town 1" />' if redirect else "")
            + f"<revision><id>{n}</id><text xml:space=\"preserve\">{escape(text)}</text>"
            "</revision></page>\n")


def read(path, cap: int = CAP, stats: SourceStats | None = None):
    return list(iter_units([str(path)], stats=stats or SourceStats(), max_page_bytes=cap))


def test_a_page_past_the_cap_is_one_failed_row_and_the_pages_after_it_are_read(tmp_path):
    path = tmp_path / "big.xml"
    path.write_text(HEADER + page(1) + big_page(2, 3 * CAP) + page(3) + big_page(4, CAP // 2)
                    + FOOTER, encoding="utf-8")
    units = read(path)
    assert [u.page_id for u in units] == [1, 2, 3, 4]
    big = units[1]
    assert big.title == "Big 2" and big.doc_id == "big.xml#2" and big.text == ""
    assert [(p.code, p.severity) for p in big.problems] == [("LIMIT_ARTICLE_SIZE", "fatal")]
    assert "not read: the pages after it are" in big.problems[0].message
    assert units[2].text.startswith("{{Infobox settlement") and not units[2].problems
    assert units[3].title == "Big 4" and not units[3].problems  # under the cap: read whole


@pytest.mark.parametrize("last", [True, False])
def test_a_skipped_page_past_the_cap_is_counted_not_a_row(tmp_path, last):
    path = tmp_path / "skipped.xml"
    tail = "" if last else page(5)
    path.write_text(HEADER + page(1) + big_page(2, 3 * CAP, ns=1)
                    + big_page(3, 3 * CAP, redirect=True) + tail + FOOTER, encoding="utf-8")
    stats = SourceStats()
    units = read(path, stats=stats)
    assert [u.page_id for u in units] == ([1] if last else [1, 5])
    assert not any(u.problems for u in units)
    assert (stats.namespace_skipped, stats.redirects_skipped) == (1, 1)


def test_the_cap_in_a_partitioned_multistream_run(tmp_path, monkeypatch):
    monkeypatch.setattr(Limits, "page_xml_bytes", property(lambda self: CAP))
    streams = [HEADER, page(1) + page(2), big_page(3, 3 * CAP) + page(4), page(5), FOOTER]
    dump = tmp_path / "big-multistream.xml.bz2"
    dump.write_bytes(b"".join(bz2.compress(s.encode()) for s in streams))
    out = tmp_path / "out"
    extract([str(dump)], out_dir=out, report=False, fmt="parquet", jobs=1,
            partition_mb=0.000001)
    frame = pd.read_parquet(out / "articles").set_index("title")
    assert sorted(frame.index) == ["Big 3", "Town 1", "Town 2", "Town 4", "Town 5"]
    assert frame.loc["Big 3", "status"] == "failed"
    assert frame.loc["Big 3", "error"].startswith("LIMIT_ARTICLE_SIZE")
    assert set(frame.drop(index="Big 3")["status"]) == {"ok"}


def test_the_cap_follows_the_size_limit():
    assert Limits().page_xml_bytes == 64 << 20  # 8 M characters: the 64 MB floor
    assert Limits(article_mb=20).page_xml_bytes == 160_000_000
