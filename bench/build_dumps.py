"""Build benchmark dumps from the shared corpus: MediaWiki export XML, multistream bz2 + index.

    python bench/build_dumps.py [--sizes 100,1000] [--corpus DIR] [--out bench/data] [--wiki-dir]

For each size S (MB of uncompressed XML) writes, into `--out`:

- `bench-S.xml.bz2`: a MediaWiki export (schema 0.11) whose pages repeat the corpus articles
  (`corpus/wikitext/*.wiki`, sorted by name) with unique titles and page ids until the XML reaches
  S MB. Compressed like Wikipedia's `pages-articles-multistream.xml.bz2`: the `<mediawiki>` +
  `<siteinfo>` head in a stream of its own, then independent bz2 streams of `--pages` pages each,
  then the closing tag in a last stream, all concatenated.
- `bench-S-index.txt.bz2`: `offset:page_id:title` per page, offset being the byte position of the
  page's stream in the `.bz2` file (bz2-compressed, as Wikipedia ships it).
- with `--wiki-dir`, `wiki-S/`: the same pages as flat `.wiki` files, for the peer.

Why not lbzip2/pbzip2: their streams are cut at block sizes, not at page boundaries, so the index
could not point at a stream that starts with a page. The page-aligned streams are compressed with
Python's `bz2` in a process pool (one worker per core) instead, which is as fast per core.
Deterministic: the same corpus and sizes give byte-identical files.
"""

from __future__ import annotations

import argparse
import bz2
import os
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "wikitext"
DEFAULT_OUT = ROOT / "bench" / "data"
EXPORT_NS = "http://www.mediawiki.org/xml/export-0.11/"

SITEINFO = """  <siteinfo>
    <sitename>Benchmark</sitename>
    <dbname>benchwiki</dbname>
    <base>https://bench.invalid/wiki/Main_Page</base>
    <generator>extractor bench/build_dumps.py</generator>
    <case>first-letter</case>
    <namespaces>
      <namespace key="0" case="first-letter" />
      <namespace key="10" case="first-letter">Template</namespace>
    </namespaces>
  </siteinfo>
"""


@dataclass(frozen=True)
class Page:
    page_id: int
    title: str
    text: str


def title_from_name(name: str) -> str:
    """`wtf__United-Kingdom.wiki` -> `United-Kingdom`; underscores become spaces."""
    stem = name[: -len(".wiki")] if name.endswith(".wiki") else name
    stem = stem.split("__", 1)[1] if "__" in stem else stem
    return stem.replace("_", " ").strip() or "Untitled"


def load_corpus(corpus: Path) -> list[tuple[str, str]]:
    """(title, text) of every `.wiki` file in `corpus`, sorted by file name."""
    files = sorted(corpus.glob("*.wiki"))
    if not files:
        sys.exit(f"build_dumps: no .wiki files in {corpus}")
    return [(title_from_name(p.name), p.read_text(encoding="utf-8")) for p in files]


def iter_pages(corpus: list[tuple[str, str]], target_bytes: int) -> Iterator[Page]:
    """Pages cycling through the corpus until their XML adds up to about `target_bytes`.
    Copy n > 0 of an article gets the title `Title (n)`; page ids count from 1."""
    size = len(head_xml()) + len(tail_xml())
    page_id, copy = 0, 0
    while True:
        for title, text in corpus:
            page_id += 1
            page = Page(page_id, title if copy == 0 else f"{title} ({copy})", text)
            size += len(page_xml(page).encode("utf-8"))
            yield page
            if size >= target_bytes:
                return
        copy += 1


def head_xml() -> str:
    return (
        f'<mediawiki xmlns="{EXPORT_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{EXPORT_NS} http://www.mediawiki.org/xml/export-0.11.xsd" '
        'version="0.11" xml:lang="en">\n' + SITEINFO
    )


def tail_xml() -> str:
    return "</mediawiki>\n"


def page_xml(page: Page) -> str:
    body = escape(page.text)
    return (
        "  <page>\n"
        f"    <title>{escape(page.title)}</title>\n"
        "    <ns>0</ns>\n"
        f"    <id>{page.page_id}</id>\n"
        "    <revision>\n"
        f"      <id>{page.page_id + 1_000_000}</id>\n"
        "      <timestamp>2024-01-01T00:00:00Z</timestamp>\n"
        "      <model>wikitext</model>\n"
        "      <format>text/x-wiki</format>\n"
        f'      <text bytes="{len(page.text.encode("utf-8"))}" xml:space="preserve">{body}</text>\n'
        "    </revision>\n"
        "  </page>\n"
    )


def chunked(pages: Iterator[Page], size: int) -> Iterator[list[Page]]:
    chunk: list[Page] = []
    for page in pages:
        chunk.append(page)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def compress_chunk(chunk: list[Page]) -> tuple[bytes, list[tuple[int, str]], int]:
    """One independent bz2 stream of these pages, their (id, title), and the XML byte count."""
    xml = "".join(page_xml(p) for p in chunk).encode("utf-8")
    return bz2.compress(xml, 9), [(p.page_id, p.title) for p in chunk], len(xml)


def write_dump(corpus: list[tuple[str, str]], megabytes: float, out: Path,
               pages_per_stream: int = 100, workers: int | None = None) -> dict:
    """Write `bench-S.xml.bz2` and its index; returns what was written (sizes, pages)."""
    name = f"bench-{megabytes:g}"
    dump_path = out / f"{name}.xml.bz2"
    index_path = out / f"{name}-index.txt.bz2"
    tmp = dump_path.with_suffix(".tmp")
    index_lines: list[str] = []
    xml_bytes, pages = 0, 0
    chunks = chunked(iter_pages(corpus, int(megabytes * 1e6)), pages_per_stream)
    with open(tmp, "wb") as dump, Pool(workers or os.cpu_count() or 1) as pool:
        head = head_xml().encode("utf-8")
        dump.write(bz2.compress(head, 9))
        xml_bytes += len(head)
        for data, ids, raw in pool.imap(compress_chunk, chunks, chunksize=1):
            offset = dump.tell()
            index_lines.extend(f"{offset}:{pid}:{title}\n" for pid, title in ids)
            dump.write(data)
            xml_bytes += raw
            pages += len(ids)
        tail = tail_xml().encode("utf-8")
        dump.write(bz2.compress(tail, 9))
        xml_bytes += len(tail)
    os.replace(tmp, dump_path)
    index_path.write_bytes(bz2.compress("".join(index_lines).encode("utf-8"), 9))
    return {
        "dump": str(dump_path), "index": str(index_path), "pages": pages,
        "xml_MB": xml_bytes / 1e6, "bz2_MB": dump_path.stat().st_size / 1e6,
        "streams": 2 + -(-pages // pages_per_stream),
    }


_UNSAFE = re.compile(r"[^\w.()-]+")


def write_wiki_dir(corpus: list[tuple[str, str]], megabytes: float, out: Path) -> Path:
    """The same pages as `bench-S.xml.bz2`, one `.wiki` file each (`<page id>__<title>.wiki`)."""
    folder = out / f"wiki-{megabytes:g}"
    folder.mkdir(parents=True, exist_ok=True)
    for page in iter_pages(corpus, int(megabytes * 1e6)):
        name = f"{page.page_id:07d}__{_UNSAFE.sub('_', page.title)[:80]}.wiki"
        path = folder / name
        if not path.exists():
            path.write_text(page.text, encoding="utf-8")
    return folder


def dump_paths(megabytes: float, out: Path = DEFAULT_OUT) -> tuple[Path, Path]:
    name = f"bench-{megabytes:g}"
    return out / f"{name}.xml.bz2", out / f"{name}-index.txt.bz2"


def ensure_dump(megabytes: float, out: Path = DEFAULT_OUT, corpus: Path = DEFAULT_CORPUS,
                **kwargs) -> Path:
    """The dump of this size, built first when it is not there yet."""
    dump, index = dump_paths(megabytes, out)
    if not (dump.exists() and index.exists()):
        out.mkdir(parents=True, exist_ok=True)
        write_dump(load_corpus(corpus), megabytes, out, **kwargs)
    return dump


def parse_sizes(text: str) -> list[float]:
    return [float(s) for s in text.split(",") if s.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="MB of XML per dump (default 100,1000)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--pages", type=int, default=100, help="pages per bz2 stream")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--wiki-dir", action="store_true", help="also write wiki-S/ folders")
    parser.add_argument("--force", action="store_true", help="rebuild dumps that exist")
    args = parser.parse_args(argv)
    corpus = load_corpus(args.corpus)
    args.out.mkdir(parents=True, exist_ok=True)
    for size in parse_sizes(args.sizes):
        dump, index = dump_paths(size, args.out)
        if dump.exists() and index.exists() and not args.force:
            print(f"{dump} exists (use --force to rebuild)")
        else:
            start = time.perf_counter()
            info = write_dump(corpus, size, args.out, args.pages, args.workers)
            took = time.perf_counter() - start
            print(f"{info['dump']}: {info['pages']:,} pages, {info['xml_MB']:.1f} MB XML, "
                  f"{info['bz2_MB']:.1f} MB bz2, {info['streams']} streams, {took:.1f} s")
        if args.wiki_dir:
            print(f"{write_wiki_dir(corpus, size, args.out)}/")


if __name__ == "__main__":
    main()
