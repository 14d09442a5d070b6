"""Partitioned runs: a kill -9 and --resume give exactly the rows of an uninterrupted run; the
Dask engine writes what the local engine writes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from extractor.contract import SCHEMAS

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    for path in sorted((FIXTURES / "flat").glob("*.txt")) + sorted(
        (FIXTURES / "seeds").glob("*.txt")
    ):
        shutil.copy(path, folder / path.name)
    return folder


def extract(inputs, out, *extra, env=None):
    return subprocess.run(
        [sys.executable, "-m", "extractor", "extract", str(inputs), "-o", str(out),
         "--partition-mb", "0.000001", "--no-report", "--quiet", *extra],
        capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})},
    )


def tables(out) -> dict[str, pd.DataFrame]:
    """Every table, rows sorted, for comparing runs row for row."""
    frames = {}
    for name in SCHEMAS:
        frame = pd.read_parquet(out / name).astype(str)
        frames[name] = frame.sort_values(list(frame.columns)).reset_index(drop=True)
    return frames


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for name in SCHEMAS:
        pd.testing.assert_frame_equal(a[name], b[name], check_dtype=False, obj=name)


@pytest.fixture(scope="module")
def reference(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("reference")
    result = extract(inputs, out, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return tables(out)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_kill_then_resume_gives_the_same_rows(inputs, reference, tmp_path, jobs):
    out = tmp_path / "out"
    killed = extract(inputs, out, "--jobs", jobs, env={"EXTRACTOR_CRASH_AFTER_PARTITIONS": "3"})
    assert killed.returncode == -9
    assert not (out / "articles.csv").exists()  # the run did not finish
    resumed = extract(inputs, out, "--jobs", jobs, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert_same(tables(out), reference)
    merged = pd.read_csv(out / "articles.csv")
    assert len(merged) == len(reference["articles"])
    assert not merged.duplicated().any()


def test_resume_refuses_other_inputs(inputs, tmp_path):
    out = tmp_path / "out"
    assert extract(inputs, out, "--jobs", "1").returncode == 0
    other = extract(FIXTURES / "seeds", out, "--jobs", "1", "--resume")
    assert other.returncode == 2 and "--resume" in other.stderr


def test_dask_engine_matches_local(inputs, reference, tmp_path):
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    from extractor.run import extract as run_extract

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        run_extract([str(inputs)], out_dir=tmp_path / "dask", engine="dask",
                    scheduler=cluster.scheduler_address, report=False, partition_mb=0.000001)
    assert_same(tables(tmp_path / "dask"), reference)


def test_a_bug_while_reading_a_partition_is_a_failed_row(tmp_path, monkeypatch):
    """Rows read before the failure stay; the failure is a row, not a crash of the run."""
    from extractor import engine
    from extractor.run import extract as run_extract

    real = engine.partition_units

    def breaking(partition, namespaces, stats, limits):
        yield from list(real(partition, namespaces, stats, limits))[:1]
        raise RuntimeError("simulated bug in a reader")

    monkeypatch.setattr(engine, "partition_units", breaking)
    result = run_extract([str(FIXTURES / "seeds")], out_dir=tmp_path, report=False, jobs=1)
    articles = pd.read_parquet(tmp_path / "articles")
    assert len(articles) == 2 and result.tally.status["failed"] == 1
    failed = articles[articles["status"] == "failed"].iloc[0]
    assert failed["error"].startswith("PARTITION_INTERNAL: reading stopped: RuntimeError")


def test_resume_of_a_finished_run_changes_nothing(inputs, reference, tmp_path):
    out = tmp_path / "out"
    assert extract(inputs, out, "--jobs", "1").returncode == 0
    before = (out / "articles.csv").read_bytes()
    again = extract(inputs, out, "--jobs", "1", "--resume")
    assert again.returncode == 0, again.stderr
    assert (out / "articles.csv").read_bytes() == before
    assert_same(tables(out), reference)


def _die(partition, options):
    os._exit(1)  # a worker killed mid-partition (as the OOM killer would)


def test_a_dead_worker_is_a_clear_error_that_points_to_resume(tmp_path, monkeypatch):
    from extractor import engine
    from extractor.errors import ExtractorError
    from extractor.run import extract as run_extract

    monkeypatch.setattr(engine, "run_partition", _die)
    with pytest.raises(ExtractorError, match="--resume"):
        run_extract([str(FIXTURES / "flat")], out_dir=tmp_path, report=False, jobs=2,
                    partition_mb=0.000001)
