"""Safe outputs: formula-like CSV cells neutralised, input text never choosing a path, and an
output folder that refuses writes (read-only, full) giving one clear error, exit status 2 and no
file under a final name that is not whole."""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from .conftest import FIXTURES

FORMULAS = {
    "Hyperlink": '=HYPERLINK("http://example.invalid","click")',
    "Phone": "+1 555 0100",
    "Mention": "@SUM(A1:A9)",
    "Sum": "-2+3",
    "Negative": "-12",
    "Share": "-4.5%",
    "Plain": "a value",
}


def run_cli(*args: str, preexec=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "extractor", *args], capture_output=True, text=True,
        timeout=300, preexec_fn=preexec,
    )


def formula_article(folder: Path) -> Path:
    lines = ["= Formulas =", ""] + [f"- {key}: {value}" for key, value in FORMULAS.items()]
    path = folder / "formulas.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def raw_by_key(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame["key_raw"], frame["raw"], strict=True))


def test_formula_like_cells_are_neutralised_in_csv_only(tmp_path):
    source = formula_article(tmp_path)
    assert run_cli("extract", str(source), "-o", str(tmp_path / "out"), "-j", "1",
                   "--no-report", "--quiet").returncode == 0
    csv = raw_by_key(pd.read_csv(tmp_path / "out" / "infobox_fields.csv", dtype=str))
    assert csv["Hyperlink"] == "'" + FORMULAS["Hyperlink"]
    assert csv["Phone"] == "'+1 555 0100"
    assert csv["Mention"] == "'@SUM(A1:A9)"
    assert csv["Sum"] == "'-2+3"
    assert csv["Negative"] == "-12" and csv["Share"] == "-4.5%"  # numbers are not formulas
    assert csv["Plain"] == "a value"
    parquet = raw_by_key(pq.read_table(tmp_path / "out" / "infobox_fields").to_pandas())
    assert parquet == FORMULAS  # Parquet keeps every value exactly


def test_csv_raw_writes_cells_exactly(tmp_path):
    source = formula_article(tmp_path)
    assert run_cli("extract", str(source), "-o", str(tmp_path / "out"), "-j", "1",
                   "--no-report", "--quiet", "--csv-raw", "--format", "csv").returncode == 0
    csv = raw_by_key(pd.read_csv(tmp_path / "out" / "infobox_fields.csv", dtype=str))
    assert csv == FORMULAS


def test_titles_never_choose_an_output_path(tmp_path):
    pages = tmp_path / "in"
    pages.mkdir()
    for n, title in enumerate(["../../escaped", "/etc/passwd", "a/b\\c", "nul\x00byte"]):
        body = title.replace("\x00", " ")
        (pages / f"{n}.txt").write_text(f"= {body} =\n- Key: {n}\n", encoding="utf-8")
    out = tmp_path / "deep" / "out"
    assert run_cli("extract", str(pages), "-o", str(out), "-j", "2", "--quiet").returncode == 0
    written = {p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()}
    assert all(p.parts[0] in ("in", "deep") for p in written)
    assert not (tmp_path / "escaped").exists()
    titles = set(pd.read_parquet(out / "articles")["title"])
    assert "../../escaped" in titles and "a/b\\c" in titles


def assert_nothing_presented_as_complete(out: Path) -> None:
    """After a failed write: no temp file left, no merged CSV or report, every Parquet part
    under its final name readable whole, and the manifest not marked complete."""
    assert not list(out.rglob("*.tmp"))
    assert not list(out.glob("*.csv")) and not (out / "report.html").exists()
    for part in out.rglob("part-*.parquet"):
        pq.read_table(part)
    manifest = out / "_manifest.json"
    if manifest.exists():
        assert '"complete": false' in manifest.read_text()


def limit_file_size(max_bytes: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return apply


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_disk_is_a_clear_error_and_no_partial_file(tmp_path, jobs):
    out = tmp_path / "out"
    result = run_cli("extract", str(FIXTURES / "wikitext"), str(FIXTURES / "seeds"),
                     "-o", str(out), "-j", jobs, "--partition-mb", "0.01",
                     preexec=limit_file_size(6_000))
    assert result.returncode == 2, result.stderr
    assert "extractor: error: cannot write the output in" in result.stderr
    assert "Traceback" not in result.stderr
    assert_nothing_presented_as_complete(out)


def without_root_override() -> None:
    """Root writes anywhere; this drops the capabilities that let it ignore a folder's mode
    (from the bounding set, so the Python started next cannot have them either)."""
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop = 24
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_a_read_only_output_folder_is_a_clear_error(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    preexec = without_root_override if os.geteuid() == 0 else None
    try:
        _skip_unless_enforced(locked, preexec)
        for out in (locked, locked / "new"):
            result = run_cli("extract", str(FIXTURES / "seeds"), "-o", str(out), "-j", "1",
                             preexec=preexec)
            assert result.returncode == 2, result.stderr
            assert "cannot write the output in" in result.stderr
            assert "Traceback" not in result.stderr
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


def _skip_unless_enforced(locked, preexec) -> None:
    """Where the folder's mode cannot be made to hold (no capability to drop), say so."""
    probe = [sys.executable, "-c", f"open({str(locked / 'probe')!r}, 'w')"]
    try:
        wrote = subprocess.run(probe, preexec_fn=preexec, capture_output=True).returncode == 0
    except (OSError, subprocess.SubprocessError) as error:
        pytest.skip(f"cannot drop root's override of folder modes here: {error}")
    if wrote:
        (locked / "probe").unlink()
        pytest.skip("a read-only folder is writable for this user here")


def test_an_output_path_that_is_a_file_is_a_clear_error(tmp_path):
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder")
    result = run_cli("extract", str(FIXTURES / "seeds"), "-o", str(blocker), "-j", "1")
    assert result.returncode == 2 and "cannot write the output" in result.stderr
    assert blocker.read_text() == "not a folder"
