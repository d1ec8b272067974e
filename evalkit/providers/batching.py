"""Gather concurrent async calls into batches for a blocking batch function.

The runner drives every sample as its own coroutine, one turn after the
other. A local model is fastest when it sees many prompts at once, so each
call is parked here and the whole group runs as one batch in a worker thread
(keeping the event loop free for progress and result writing). Multi-turn
samples simply come back with their next turn while other batches run.

Batches run on the executor the caller hands in. A local model gives both of
its batchers one single-thread executor: torch is then only ever entered from
one thread, its intra-op thread pool is created once and stays warm, and a
generation batch and a scoring batch never fight over the same cores.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
from concurrent.futures import Executor
from typing import Generic, TypeVar

Request = TypeVar("Request")
Result = TypeVar("Result")

#: Event-loop turns to wait for more callers before starting a partial batch.
_GATHER_TURNS = 8


class MicroBatcher(Generic[Request, Result]):
    """Run ``batch_fn`` over up to ``max_batch`` queued requests sharing a key."""

    def __init__(
        self,
        batch_fn: Callable[[list[Request]], list[Result]],
        max_batch: int,
        key: Callable[[Request], Hashable] = lambda _: None,
        size: Callable[[Request], int] = lambda _: 0,
        executor: Executor | None = None,
    ) -> None:
        self._batch_fn = batch_fn
        self._executor = executor  # None: the event loop's default thread pool
        self._max_batch = max_batch
        self._key = key
        self._size = size
        self._pending: list[tuple[Request, asyncio.Future[Result]]] = []
        self._worker: asyncio.Task[None] | None = None

    async def submit(self, request: Request) -> Result:
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._pending.append((request, future))
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._pending:
            await self._gather()
            batch = self._take_batch()
            requests = [request for request, _ in batch]
            try:
                loop = asyncio.get_running_loop()
                results = await loop.run_in_executor(self._executor, self._batch_fn, requests)
            except Exception as exc:  # delivered to every caller of this batch
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)

    async def _gather(self) -> None:
        """Give callers that are about to submit a few loop turns, up to a full batch."""
        for _ in range(_GATHER_TURNS):
            if len(self._pending) >= self._max_batch:
                return
            await asyncio.sleep(0)

    def _take_batch(self) -> list[tuple[Request, asyncio.Future[Result]]]:
        """The oldest request plus the compatible ones closest to it in size.

        Padding every prompt to the longest one in a batch is what a local model
        pays for, so short first turns are not batched with long later turns when
        there is a choice. The oldest request always goes, so nothing starves.
        """
        oldest = self._pending[0][0]
        first_key, first_size = self._key(oldest), self._size(oldest)
        compatible = [i for i, (r, _) in enumerate(self._pending) if self._key(r) == first_key]
        compatible.sort(key=lambda i: (i != 0, abs(self._size(self._pending[i][0]) - first_size)))
        chosen = set(compatible[: self._max_batch])
        batch = [entry for i, entry in enumerate(self._pending) if i in chosen]
        self._pending = [entry for i, entry in enumerate(self._pending) if i not in chosen]
        return batch
