"""Smoke tests of the benchmark and differential-check helpers (no node, no network)."""

from __future__ import annotations

import bz2
import io
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

BENCH = Path(__file__).resolve().parent.parent / "bench"
if str(BENCH) not in sys.path:
    sys.path.append(str(BENCH))

import baselines  # noqa: E402
import build_dumps  # noqa: E402
import diff_classes  # noqa: E402
import diff_peers  # noqa: E402
import measure  # noqa: E402
import report_md  # noqa: E402

ARTICLES = [
    ("Alpha", "{{Infobox country\n| name = Alpha\n| capital = [[Beta City]]\n| motto =\n}}\n"
              "Alpha is a country & more.\n"),
    ("Gamma <x>", "Text.\n{| class=\"wikitable\"\n! A !! B\n|-\n| 1 || 2\n|-\n| 3 || 4\n|}\n"),
    ("Delta", "Plain page with a {{Infobox person|name=D|born={{birth date|1950|1|2}}}}.\n"),
]


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    info = build_dumps.write_dump(ARTICLES, 0.004, tmp_path, pages_per_stream=2, workers=1)
    assert info["pages"] >= 6
    return Path(info["dump"])


def test_title_from_name():
    assert build_dumps.title_from_name("wtf__United_Kingdom.wiki") == "United Kingdom"
    assert build_dumps.title_from_name("plain.wiki") == "plain"


def test_dump_is_valid_multistream_xml_with_index(dump: Path):
    data = dump.read_bytes()
    xml = bz2.decompress(data)  # every stream, concatenated
    pages = list(etree.iterparse(io.BytesIO(xml), tag=baselines.PAGE_TAG))
    titles = [page.findtext("{*}title") for _, page in pages]
    assert titles[:4] == ["Alpha", "Gamma <x>", "Delta", "Alpha (1)"]
    assert len(set(titles)) == len(titles)
    index = dump.with_name(dump.name.replace(".xml.bz2", "-index.txt.bz2"))
    lines = bz2.decompress(index.read_bytes()).decode().splitlines()
    assert len(lines) == len(titles)
    offset, page_id, title = lines[2].split(":", 2)
    stream = bz2.BZ2Decompressor().decompress(data[int(offset):]).decode()
    assert stream.startswith("  <page>") and f"<id>{page_id}</id>" in stream


def test_dump_is_deterministic(tmp_path: Path, dump: Path):
    other = tmp_path / "again"
    other.mkdir()
    again = build_dumps.write_dump(ARTICLES, 0.004, other, pages_per_stream=2, workers=1)
    assert Path(again["dump"]).read_bytes() == dump.read_bytes()


def test_floors_read_every_page(dump: Path):
    result = baselines.floor_python_bz2(dump)
    assert result["pages"] >= 6 and result["bytes"] > 0
    if baselines.shutil.which("lbzip2"):
        assert baselines.floor_lbzip2_lxml(dump)["pages"] == result["pages"]


def test_span_finders_and_parser_baselines():
    texts = [text for _, text in ARTICLES]
    assert len(baselines.infobox_spans(texts[0])) == 1
    assert baselines.table_spans(texts[1])[0].startswith("{|")
    assert baselines.mwph_infobox_spans(texts)["infoboxes"] == 2
    assert baselines.mwph_table_spans(texts)["rows"] == 2  # the implicit first row has no <tr>


def test_classify_value():
    c = diff_classes.classify_value
    assert c("{{lbs|1}}", "1", "{{lbs|1}}") == "ours_template_source_left"
    assert c("", "Logo.png", "[[File:Logo.png|90px]]") == "ours_drops_file_link"
    assert c("British Briton", "British · Briton", "{{hlist|British|Briton}}") == \
        "punctuation_or_separators"
    assert c("1 April 1947", "April 1, 1947", "{{birth date|1947|4|1|df=y}}") == \
        "date_template_format"
    assert diff_classes.norm_key(" Pop_Est ") == "pop est"


def test_compare_article_counts_and_classes():
    pytest.importorskip("extractor.parse.wikitext")
    name, text = "x.wiki", ARTICLES[0][1] + ARTICLES[1][1]
    ours = diff_peers.our_view(diff_peers.our_parser()(text, name))
    theirs = diff_peers.peer_view({
        "file": name,
        "infoboxes": [{"template": "country", "fields": {"name": "Alpha", "capital": "Beta City"}}],
        "tables": [[{"A": "1", "B": "2"}, {"A": "3", "B": "4"}]],
    })
    report = diff_classes.Report()
    diff_peers.compare_article(name, ours, theirs, report)
    assert report.counts["values_equal"] == 2
    assert "peer_drops_empty_values" in report.classes
    assert report.totals["ours_table_rows"] == report.totals["peer_table_rows"] == 2
    assert "| infoboxes | 1 | 1 |" in report.to_markdown()


def test_targets_pass_fail_and_missing():
    results = {
        "one_process": {"wtf_infobox": {"MB_per_s": 1.0}, "ours_lib_infoboxes": {"MB_per_s": 6.0},
                        "wtf_both": {"MB_per_s": 1.0}, "ours_cli_all_j1": {"error": "boom"}},
        "dumps": {"100": {"floor_lbzip2_n2_lxml": {"MB_per_s": 50.0},
                          "ours_cli_all_j2": {"MB_per_s": 10.0, "peak_rss_MB": 500.0}}},
    }
    verdicts = [t["result"] for t in report_md.targets(results)]
    assert verdicts[:3] == ["pass", "n/a", "FAIL"]
    assert "| target |" in report_md.markdown({**results, "targets": report_md.targets(results)})


def test_tree_monitor_sees_children():
    code = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'import time; " \
           "x = bytearray(30_000_000); time.sleep(0.6)'])"
    result = measure.run_monitored([sys.executable, "-c", code])
    assert result["returncode"] == 0
    assert result["peak_processes"] >= 2 and result["peak_rss_MB"] > 25


def test_run_quick_help():
    done = subprocess.run([sys.executable, str(BENCH / "run.py"), "--help"],
                          capture_output=True, text=True)
    assert done.returncode == 0 and "--quick" in done.stdout


def test_targets_prefer_per_round_ratios():
    import run  # bench/run.py

    rounds = {"ours_lib_all": {"runs": [{"seconds": 1.0}, {"seconds": 4.0}, {"seconds": 1.0}]},
              "wtf_both": {"runs": [{"seconds": 3.0}, {"seconds": 8.0}, {"seconds": 2.0}]}}
    out = {"ours_lib_all": {"MB_per_s": 1.0}, "wtf_both": {"MB_per_s": 1.0}}
    run.add_round_ratios(out, rounds, [("ours_lib_all", "wtf_both")])
    assert out["ours_lib_all"]["vs"]["wtf_both"]["median"] == 2.0
    target = report_md.targets({"one_process": out})[1]
    assert target["ratio"] == 2.0 and target["result"] == "pass"


def test_a_child_before_its_exec_is_not_counted_again(monkeypatch):
    """A worker's vfork child, caught before its exec, shows the worker's RSS under the worker's
    program: summed, it added a worker's whole memory to one sample. A child with its own
    program, or with a size of its own, is counted."""
    import measure

    class Proc:
        def __init__(self, pid: int, ppid: int, exe: str) -> None:
            self.pid, self._ppid, self._exe = pid, ppid, exe

        def ppid(self) -> int:
            return self._ppid

        def exe(self) -> str:
            return self._exe

    procs = {10: Proc(10, 1, "/venv/python"), 11: Proc(11, 10, "/venv/python"),
             12: Proc(12, 10, "/usr/bin/lbzip2")}
    monkeypatch.setattr(measure.psutil, "Process", lambda pid: procs[pid])
    seen = {10: 130_000_000}
    assert measure.shares_parent_memory(procs[11], 130_000_000, seen)
    assert not measure.shares_parent_memory(procs[11], 129_000_000, seen)  # a size of its own
    assert not measure.shares_parent_memory(procs[12], 130_000_000, seen)  # it has exec'd
    assert not measure.shares_parent_memory(procs[10], 130_000_000, {})  # the parent not summed
