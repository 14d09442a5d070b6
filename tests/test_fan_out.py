"""One input that cannot be cut (a .gz dump) spread over the workers: the same rows as a
one-process run, pieces that a resume never doubles, a break mid-stream kept as a row."""

from __future__ import annotations

import gzip
import json
import shutil

import pandas as pd
import pytest

from extractor import fan_out
from extractor.contract import SCHEMAS
from extractor.run import extract

from .conftest import FIXTURES
from .test_engine import tables

PAGES = 150


def dump_xml(pages: int = PAGES) -> bytes:
    texts = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "twin").glob("*.wiki"))]
    body = []
    for n in range(1, pages + 1):
        text = texts[n % len(texts)].replace("&", "&amp;").replace("<", "&lt;")
        body.append(f"<page><title>Page {n}</title><ns>0</ns><id>{n}</id><revision><id>{n}"
                    f"</id><text>{text}</text></revision></page>")
    return ('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/">'
            + "\n".join(body) + "</mediawiki>\n").encode("utf-8")


@pytest.fixture
def spread_everything(monkeypatch):
    monkeypatch.setattr(fan_out, "SPREAD_MIN_BYTES", 0)
    monkeypatch.setattr(fan_out, "PIECE_PAGES", 50)


@pytest.fixture(scope="module")
def gz_dump(tmp_path_factory):
    path = tmp_path_factory.mktemp("dump") / "dump.xml.gz"
    path.write_bytes(gzip.compress(dump_xml()))
    return path


def run(path, out, jobs):
    return extract([str(path)], out_dir=out, jobs=jobs, report=False, partition_mb=0.001)


@pytest.fixture(scope="module")
def reference(gz_dump, tmp_path_factory):
    out = tmp_path_factory.mktemp("reference")
    run(gz_dump, out, 1)
    return tables(out)


def test_a_gz_dump_spread_over_two_workers_gives_the_same_rows(
        gz_dump, reference, tmp_path, spread_everything):
    result = run(gz_dump, tmp_path, 2)
    pieces = sorted(p.name for p in (tmp_path / "articles").glob("part-00000-*.parquet"))
    assert len(pieces) >= 3  # batches of 64 pages went to the workers
    assert result.tally.articles == PAGES
    for name, frame in tables(tmp_path).items():
        pd.testing.assert_frame_equal(frame, reference[name], obj=name)
    merged = pd.read_csv(tmp_path / "articles.csv")
    assert list(merged["page_id"]) == list(range(1, PAGES + 1))  # pieces merged in order


def test_resume_redoes_a_spread_partition_without_doubling(
        gz_dump, reference, tmp_path, spread_everything):
    run(gz_dump, tmp_path, 2)
    # as if killed before the partition was finished: not in the manifest, a stale piece left
    manifest_path = tmp_path / "_manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["done"], manifest["complete"] = {}, False
    manifest_path.write_text(json.dumps(manifest))
    for name in SCHEMAS:
        shutil.copy(tmp_path / name / "part-00000-00000.parquet",
                    tmp_path / name / "part-00000-00099.parquet")
    extract([str(gz_dump)], out_dir=tmp_path, jobs=2, report=False, partition_mb=0.001,
            resume=True)
    for name, frame in tables(tmp_path).items():
        pd.testing.assert_frame_equal(frame, reference[name], obj=name)


def test_a_dump_that_breaks_mid_stream_keeps_the_pages_before(tmp_path, spread_everything):
    whole = gzip.compress(dump_xml())
    broken = tmp_path / "broken.xml.gz"
    broken.write_bytes(whole[: len(whole) * 2 // 3])
    run(broken, tmp_path / "out", 2)
    articles = pd.read_parquet(tmp_path / "out" / "articles")
    failed = articles[articles["status"] == "failed"]
    assert len(failed) == 1 and "DUMP_TRUNCATED" in failed.iloc[0]["error"]
    assert len(articles) > PAGES // 3
