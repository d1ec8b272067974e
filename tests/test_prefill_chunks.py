"""Which rows are prefilled together: the cheapest cut, by the module's own cost model."""

from __future__ import annotations

import itertools
import random

import pytest

from evalkit.providers.prefill_chunks import chunks_by_length, shared_openings


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


SYSTEM = list(range(24))  # what every prompt of a batch starts with


def asked(question: int, tail: list[int]) -> list[int]:
    return [*SYSTEM, *range(1000 * question, 1000 * question + 14), *tail]


def test_the_conditions_of_one_item_share_their_question():
    prompts = [asked(q, tail) for q in range(4) for tail in ([1, 2], [3, 4, 5], [6], [7, 8])]
    groups = shared_openings(prompts, range(len(prompts)), len(SYSTEM))
    assert groups == [(len(SYSTEM) + 14, [4 * q + k for k in range(4)]) for q in range(4)]


def test_an_opening_leaves_every_row_a_token_and_only_listed_rows_join():
    prompts = [asked(0, [])] * 4 + [asked(0, [9])] * 4 + [asked(1, [5])] * 4
    groups = shared_openings(prompts, range(10), len(SYSTEM))
    # the question alone leaves its rows their last token; rows 10 and 11 were not offered
    assert groups == [(len(SYSTEM) + 13, list(range(8))), (len(SYSTEM) + 14, [8, 9])]
    for n, members in groups:
        opening = prompts[members[0]][:n]
        assert all(n < len(prompts[i]) and prompts[i][:n] == opening for i in members)


def test_short_or_unprofitable_openings_are_not_used():
    # sharing fewer than MIN_OPENING_TOKENS beyond the batch's prefix: nothing to gain
    near = [[*SYSTEM, 1, 2, 3, x, 0] for x in range(10)]
    assert shared_openings(near, range(10), len(SYSTEM)) == []
    # two rows sharing 14 tokens save 14, less than the extra forward costs
    assert shared_openings([asked(0, [1]), asked(0, [2])], [0, 1], len(SYSTEM)) == []
    assert shared_openings([asked(q, [1]) for q in range(5)], range(5), len(SYSTEM)) == []
