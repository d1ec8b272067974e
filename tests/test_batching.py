"""MicroBatcher: concurrent calls become batches, grouped by key and by similar size."""

from __future__ import annotations

import asyncio

import pytest

from evalkit.providers.batching import MicroBatcher


def run_batched(requests, *, max_batch, key=None, size=None, fail_on=None):
    """Submit every request at once; return the results and the batches the function saw."""
    batches: list[list] = []

    def batch_fn(batch: list) -> list:
        batches.append(list(batch))
        if fail_on is not None and fail_on in batch:
            raise RuntimeError(f"bad request {fail_on}")
        return [f"result of {r}" for r in batch]

    kwargs = {}
    if key is not None:
        kwargs["key"] = key
    if size is not None:
        kwargs["size"] = size

    async def main():
        batcher = MicroBatcher(batch_fn, max_batch, **kwargs)
        return await asyncio.gather(*(batcher.submit(r) for r in requests), return_exceptions=True)

    return asyncio.run(main()), batches


def test_each_caller_gets_its_own_result():
    requests = list(range(7))
    results, batches = run_batched(requests, max_batch=3)
    assert results == [f"result of {r}" for r in requests]
    # 7 requests, at most 3 a batch -> 3 + 3 + 1
    assert sorted(len(b) for b in batches) == [1, 3, 3]
    assert sorted(r for b in batches for r in b) == requests


def test_requests_with_different_keys_never_share_a_batch():
    requests = [("a", 1), ("b", 2), ("a", 3), ("b", 4), ("a", 5)]
    results, batches = run_batched(requests, max_batch=8, key=lambda r: r[0])
    assert results == [f"result of {r}" for r in requests]
    assert all(len({r[0] for r in batch}) == 1 for batch in batches)
    assert sorted(len(b) for b in batches) == [2, 3]


def test_similar_sizes_are_batched_together():
    # sizes 10, 100, 12, 98 with two a batch: the oldest (10) goes with the closest (12),
    # then 100 with 98
    requests = [10, 100, 12, 98]
    results, batches = run_batched(requests, max_batch=2, size=lambda r: r)
    assert results == [f"result of {r}" for r in requests]
    assert [sorted(b) for b in batches] == [[10, 12], [98, 100]]


def test_a_failing_batch_fails_only_its_callers():
    requests = [("a", 1), ("b", 2), ("a", 3)]
    results, _ = run_batched(requests, max_batch=4, key=lambda r: r[0], fail_on=("b", 2))
    assert results[0] == "result of ('a', 1)" and results[2] == "result of ('a', 3)"
    assert isinstance(results[1], RuntimeError)
    with pytest.raises(RuntimeError, match="bad request"):
        raise results[1]


def test_batchers_sharing_a_single_thread_executor_never_overlap():
    # a local model's generation and scoring batchers share one inference thread: their
    # batches run one after the other, always on that thread
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    threads: set[int] = set()
    running, overlapped = [0], [False]

    def batch_fn(batch: list) -> list:
        threads.add(threading.get_ident())
        running[0] += 1
        overlapped[0] |= running[0] > 1
        time.sleep(0.02)
        running[0] -= 1
        return [f"result of {r}" for r in batch]

    async def main():
        executor = ThreadPoolExecutor(max_workers=1)
        try:
            first = MicroBatcher(batch_fn, 2, executor=executor)
            second = MicroBatcher(batch_fn, 2, executor=executor)
            calls = [b.submit(r) for r in range(6) for b in (first, second)]
            return await asyncio.gather(*calls), executor.submit(threading.get_ident).result()
        finally:
            executor.shutdown()

    results, executor_thread = asyncio.run(main())
    assert results == [f"result of {r}" for r in range(6) for _ in range(2)]
    assert threads == {executor_thread} and not overlapped[0]
