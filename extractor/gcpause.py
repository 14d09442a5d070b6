"""Pausing the cyclic garbage collector around bulk work that builds only acyclic objects.

Reading or typing one huge table (a 100,000-row wikitable: 200,000 cells, each a few objects)
allocates millions of objects that live until the page is written. Each allocation burst
triggers collections that scan everything alive, so without a pause a third of the time of such
a page is spent proving that cells hold no cycles. The objects built here cannot form cycles,
and the collector runs again as soon as the block ends.
"""

from __future__ import annotations

import gc

BULK_OBJECTS = 20_000  # below this, a block's collections cost nothing worth pausing for


class GcPause:
    """The context of `gc_paused` (a class, not a generator: compiled with the hot modules, it
    costs a few calls; a generator's context manager runs as interpreted Python)."""

    def __init__(self, objects: int) -> None:
        self.pausing = objects >= BULK_OBJECTS and gc.isenabled()

    def __enter__(self) -> None:
        if self.pausing:
            gc.disable()

    def __exit__(self, *exc_info: object) -> None:
        if self.pausing:
            gc.enable()


def gc_paused(objects: int) -> GcPause:
    """Pause the collector for the block when it will build at least BULK_OBJECTS objects (and
    the collector is on); restore it after, whatever happens."""
    return GcPause(objects)


# Collections of the youngest generation every 20,000 net new container objects instead of 700,
# and of the older ones every 20 of the younger: a run builds many short-lived, acyclic objects
# (tokens, nodes, rows), and with the default thresholds the collector ran ~800 times over a
# 20 MB dump, 5 of them full, for ~6% of a worker's CPU time; with these, a handful. What is
# garbage and cyclic waits at most 20,000 allocations longer to be freed.
RUN_THRESHOLDS = (20_000, 20, 20)


def relax_collector() -> None:
    """Set the collector's thresholds for a run (this process, and workers forked from it)."""
    gc.set_threshold(*RUN_THRESHOLDS)
