"""The garbage collector tuned for the two heavy phases of ``evalkit run``.

CPython's collector scans young objects every 700 net new ones and the whole heap
every so often. With 128 requests in flight, each holding dozens of SDK and asyncio
objects, and a plan's items and the imported modules (~400,000 objects) in the heap,
that scanning took 5.5 s of the 37 s of CPU of a 16,000-sample run against an API, and
1 s more while scoring the records it read back, which hold no reference cycles:

* while samples run (:func:`run_heap`), what exists already (modules, plan, items) is
  frozen out of collections and the young generation is collected every 7,000 net new
  objects: the collector's time falls from ~5.5 s to ~0.3 s; cycles are still
  collected, later;
* while records are read and scored (:func:`paused`), the collector is off.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: gc thresholds while samples run (CPython's default: 700, 10, 10)
RUN_THRESHOLDS = (7_000, 20, 10)


@contextmanager
def run_heap() -> Iterator[None]:
    """Freeze the heap as it is (after a collection) and collect young objects less often;
    as it was again afterwards."""
    gc.collect()
    gc.freeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(*RUN_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


@contextmanager
def paused() -> Iterator[None]:
    """No collections inside: for phases that allocate much and make no reference cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
