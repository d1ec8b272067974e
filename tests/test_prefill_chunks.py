"""Which rows are prefilled together: the cheapest cut, by the module's own cost model."""

from __future__ import annotations

import itertools
import random

import pytest

from evalkit.providers.prefill_chunks import chunks_by_length


def cost(lengths: list[int], chunks: list[list[int]], forward: int) -> int:
    return sum(forward + len(chunk) * max(lengths[i] for i in chunk) for chunk in chunks)


def every_cut(rows: list[int]):
    """Every partition of ``rows`` into non-empty chunks."""
    if not rows:
        yield []
        return
    first, rest = rows[0], rows[1:]
    for partition in every_cut(rest):
        yield [[first], *partition]
        for k in range(len(partition)):
            yield [*partition[:k], [first, *partition[k]], *partition[k + 1 :]]


def test_rows_of_one_length_or_close_lengths_are_one_chunk():
    assert chunks_by_length([30] * 64) == [list(range(64))]
    assert chunks_by_length([30, 31, 29, 30], forward_cost=80) == [[0, 1, 2, 3]]
    assert chunks_by_length([]) == []


def test_a_few_long_rows_among_short_ones_get_their_own_chunk():
    lengths = [20] * 30 + [200, 210]
    chunks = chunks_by_length(lengths, forward_cost=80)
    assert chunks == [list(range(30)), [30, 31]]
    # one forward would pad the 30 short rows to 210: 6,720 tokens against 1,100
    assert cost(lengths, chunks, 80) == 80 + 30 * 20 + 80 + 2 * 210


@pytest.mark.parametrize("seed", range(12))
def test_the_cut_is_the_cheapest_of_all_partitions(seed):
    rng = random.Random(seed)
    lengths = [rng.choice([1, 3, 8, 9, 20, 40, 41, 90]) for _ in range(rng.randint(1, 7))]
    forward = rng.choice([0, 5, 30, 200])
    chunks = chunks_by_length(lengths, forward_cost=forward)
    assert sorted(itertools.chain(*chunks)) == list(range(len(lengths)))
    best = min(cost(lengths, p, forward) for p in every_cut(list(range(len(lengths)))))
    assert cost(lengths, chunks, forward) == best
