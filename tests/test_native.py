"""The compiled build of the hot modules: used only when it matches their sources, and said so."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extractor import native
from extractor.native_build import missing_requirement

from .conftest import FIXTURES


def _copy_hot_sources(package: Path) -> None:
    sources = [(m, ".py") for m in native.HOT_MODULES] + [(m, ".c") for m in native.C_MODULES]
    for module, suffix in sources:
        target = native.module_source(module, package, suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(native.module_source(module, suffix=suffix), target)


def test_a_build_counts_only_while_its_sources_are_unchanged(tmp_path, monkeypatch):
    monkeypatch.delenv(native.PURE_ENV, raising=False)
    package = tmp_path / "extractor"
    _copy_hot_sources(package)
    assert native.build_state(package) == "not built"
    (package / "_native").mkdir()
    (package / "_native" / native.STAMP_NAME).write_text(native.source_stamp(package) + "\n")
    assert native.build_state(package) == "incomplete"  # a stamp, and no modules
    for module in native.compiled_locations(package / "_native").values():
        module.parent.mkdir(parents=True, exist_ok=True)
        module.touch()
    assert native.build_state(package) == "compiled"
    monkeypatch.setenv(native.PURE_ENV, "1")
    assert native.build_state(package) == "off"
    monkeypatch.delenv(native.PURE_ENV)
    edited = native.module_source("extractor.templates", package)
    original = edited.read_text(encoding="utf-8")
    edited.write_text(original + "\n# edited\n", encoding="utf-8")
    assert native.build_state(package) == "stale"
    edited.write_text(original, encoding="utf-8")
    assert native.build_state(package) == "compiled"
    twin = native.module_source(native.C_MODULES[0], package, ".c")
    twin.write_text(twin.read_text(encoding="utf-8") + "\n/* edited */\n", encoding="utf-8")
    assert native.build_state(package) == "stale"  # an edited C twin counts as much


def test_hot_modules_exist_and_define_no_pydantic_model():
    for module in native.HOT_MODULES:
        source = native.module_source(module).read_text(encoding="utf-8")
        assert not re.search(r"^class \w+\(.*BaseModel", source, re.MULTILINE), module


def test_the_modules_loaded_are_the_ones_the_state_names():
    import extractor.parse.wikitext  # noqa: F401 - loaded for the check
    import extractor.templates  # noqa: F401

    assert "extractor.parse.page_scan" in sys.modules  # a C twin, loaded by wikitext
    for module in (*native.HOT_MODULES, *native.C_MODULES):
        if module not in sys.modules:
            continue
        origin = Path(sys.modules[module].__file__ or "")
        if native.build_state() == "compiled":
            assert native.NATIVE_DIR in origin.parents, module
        else:
            assert origin.suffix == ".py", module


@pytest.mark.skipif(os.environ.get(native.PURE_ENV, "") not in ("", "0"),
                    reason="the sources are asked for (EXTRACTOR_PURE_PYTHON)")
def test_where_a_build_can_be_made_the_tests_run_it():
    """The test command builds before it runs the suite: a machine that can compile must test
    the compiled modules (a stale build means a hot source changed since)."""
    reason = missing_requirement()
    if reason is not None:
        pytest.skip(f"no build can be made here: {reason}")
    assert native.build_state() == "compiled", (
        f"the compiled build is {native.build_state()}: run `python -m extractor.native_build`"
    )


def _summary_code(tmp_path: Path, env: dict[str, str]) -> str:
    summary = tmp_path / "summary.json"
    subprocess.run(
        [sys.executable, "-m", "extractor", "extract", str(FIXTURES / "seeds"), "-o",
         str(tmp_path / "out"), "--jobs", "1", "--no-report", "--quiet", "--summary-json",
         str(summary)],
        check=True, capture_output=True, text=True, timeout=300, env={**os.environ, **env},
    )
    return json.loads(summary.read_text())["code"]


def test_the_summary_says_which_code_ran(tmp_path, monkeypatch):
    assert _summary_code(tmp_path / "pure", {native.PURE_ENV: "1"}) == "sources (off)"
    monkeypatch.delenv(native.PURE_ENV, raising=False)
    state = native.build_state()
    expected = "compiled" if state == "compiled" else f"sources ({state})"
    assert _summary_code(tmp_path / "default", {native.PURE_ENV: ""}) == expected


def test_an_edited_source_runs_instead_of_its_stale_build(tmp_path):
    if native.build_state() != "compiled":
        pytest.skip("no compiled build in use")
    copy = tmp_path / "extractor"
    shutil.copytree(native.PACKAGE_DIR, copy,
                    ignore=shutil.ignore_patterns("__pycache__", "_native.*"))
    probe = ("import extractor.templates as t, extractor.native as n; "
             "print(t.__file__, n.running())")
    env = {**os.environ, "PYTHONPATH": str(tmp_path), native.PURE_ENV: ""}
    fresh = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env,
                           capture_output=True, text=True, check=True).stdout
    assert "_native" in fresh and fresh.split()[-1] == "compiled"
    edited = copy / "templates.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    stale = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env,
                           capture_output=True, text=True, check=True).stdout
    assert stale.split()[0].endswith("templates.py") and stale.split()[-1] == "(stale)"


def test_the_version_says_which_code_runs():
    shown = subprocess.run([sys.executable, "-m", "extractor", "--version"], check=True,
                           capture_output=True, text=True, timeout=60,
                           env={**os.environ, native.PURE_ENV: "1"}).stdout
    assert shown.strip().endswith("code: sources (off)")


def _tables(out: Path) -> dict[str, list[tuple]]:
    import pyarrow.parquet as pq

    tables = {}
    for folder in sorted(p for p in out.iterdir() if p.is_dir()):
        frame = pq.read_table(folder).to_pandas().astype(str)
        tables[folder.name] = sorted(frame.itertuples(index=False, name=None))
    return tables


def test_compiled_and_source_modules_write_the_same_rows(tmp_path):
    """Every fixture (flat, wikitext, dumps, broken files) through both: row for row equal."""
    if native.build_state() != "compiled":
        pytest.skip("no compiled build in use")
    outs = {}
    for mode, pure in (("compiled", ""), ("sources", "1")):
        outs[mode] = tmp_path / mode
        subprocess.run(
            [sys.executable, "-m", "extractor", "extract", str(FIXTURES), "-o", str(outs[mode]),
             "--jobs", "1", "--no-report", "--quiet", "--format", "parquet",
             "--fail-on", "never"],
            check=True, capture_output=True, text=True, timeout=600,
            env={**os.environ, native.PURE_ENV: pure},
        )
    compiled, sources = _tables(outs["compiled"]), _tables(outs["sources"])
    assert compiled.keys() == sources.keys() and len(compiled["articles"]) > 30
    for table, rows in compiled.items():
        assert rows == sources[table], table
