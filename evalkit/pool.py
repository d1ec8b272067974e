"""A fixed number of workers draining one queue, for samples and for judge questions alike."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


async def run_pool(
    items: Iterable[T], handle: Callable[[T], Awaitable[None]], concurrency: int
) -> None:
    """Run ``handle`` on every item with at most ``concurrency`` in flight.

    ``handle`` records its own per-item failures; anything it lets escape (an
    endpoint that refuses every request) stops the other workers before the
    caller closes its stores, then propagates.
    """
    queue = iter(items)

    async def worker() -> None:
        for item in queue:
            await handle(item)

    workers = [asyncio.create_task(worker()) for _ in range(max(1, concurrency))]
    try:
        await asyncio.gather(*workers)
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
