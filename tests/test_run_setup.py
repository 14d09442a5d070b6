"""What a run sets up before its work: the collector's thresholds, here and in pool workers."""

from __future__ import annotations

import gc
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pytest

from extractor.engine import start_worker
from extractor.gcpause import RUN_THRESHOLDS, relax_collector


def test_relax_collector_sets_the_run_thresholds():
    before = gc.get_threshold()
    try:
        relax_collector()
        assert gc.get_threshold() == RUN_THRESHOLDS
    finally:
        gc.set_threshold(*before)


@pytest.mark.slow  # a spawned interpreter imports the whole package again: seconds
def test_spawned_pool_workers_get_the_run_thresholds():
    """A worker that was not forked from the run's process sets them itself."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn"),
                             initializer=start_worker) as pool:
        assert tuple(pool.submit(gc.get_threshold).result()) == RUN_THRESHOLDS
