"""Identical deterministic requests share one computation.

Several conditions open with the same turn: the neutral question, the first turn of
"are you sure?" and of its double-check control are the same prompt. Under greedy
decoding a local model answers an identical prompt identically, so computing it once
and handing every caller the same answer changes no figure and removes a third of a
typical run's first turns. It also keeps such turns equal, where recomputing them in
different batches could differ in a last float bit.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

Result = TypeVar("Result")

#: Finished answers remembered for callers that come later. Samples start item by item, so
#: the conditions sharing a turn mostly ask while it is in flight; an answer may carry
#: readout states (~40 KB), so few are kept.
DEFAULT_REMEMBERED = 512


class SharedRequests(Generic[Result]):
    """Run ``compute`` once per key: callers of a key in flight wait for the same task,
    later callers get the remembered result. Failures are never remembered."""

    def __init__(self, remembered: int = DEFAULT_REMEMBERED) -> None:
        self._remembered = remembered
        self._done: OrderedDict[Hashable, Result] = OrderedDict()
        self._running: dict[Hashable, asyncio.Future[Result]] = {}

    async def run(
        self, key: Hashable, compute: Callable[[], Awaitable[Result]]
    ) -> tuple[Result, bool]:
        """The result, and whether it was another caller's (computed once for both)."""
        if key in self._done:
            self._done.move_to_end(key)
            return self._done[key], True
        task = self._running.get(key)
        shared = task is not None
        if task is None:
            task = asyncio.ensure_future(compute())
            self._running[key] = task
            task.add_done_callback(lambda done: self._finished(key, done))
        # one caller cancelled (its sample stopped) must not cancel the others' answer
        return await asyncio.shield(task), shared

    def _finished(self, key: Hashable, task: asyncio.Future[Result]) -> None:
        self._running.pop(key, None)
        if task.cancelled() or task.exception() is not None:
            return
        self._done[key] = task.result()
        if len(self._done) > self._remembered:
            self._done.popitem(last=False)
