"""Which rows of a batch to prefill together, so padding is not computed like real tokens.

A batch's prompts (what is left of them behind their cached prefixes) differ in length. One
forward over all of them pads every row to the longest, and on a CPU a padded position costs
what a real one costs: on a 48-item quickstart subset a quarter of the prefilled positions
were padding.
Rows sorted by length and cut into a few chunks of similar length compute little padding;
each extra chunk costs one more pass over the weights, which is priced here in tokens.
"""

from __future__ import annotations

from collections.abc import Sequence

#: What one extra forward costs, in prefilled tokens. Reading the weights once more costs about
#: what 40 prefilled tokens do on a small model on CPU (a decode step of a few rows, ~70 ms,
#: against ~1.8 ms a prefilled token); the price is twice that, so a batch is cut only where
#: the cut clearly saves.
FORWARD_COST_TOKENS = 80


def chunks_by_length(lengths: Sequence[int], forward_cost: int | None = None) -> list[list[int]]:
    """Row indices in chunks that minimise the tokens computed: each chunk pays
    ``forward_cost`` (default :data:`FORWARD_COST_TOKENS`) plus its rows times its longest
    row; exact, by dynamic programming over the rows sorted by length (some cheapest cut
    always takes sorted runs)."""
    if forward_cost is None:
        forward_cost = FORWARD_COST_TOKENS
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    best = [0] * (len(order) + 1)  # best[j]: the cheapest cut of the j shortest rows
    cut = [0] * (len(order) + 1)  # where the last chunk of that cut starts
    for end in range(1, len(order) + 1):
        longest = lengths[order[end - 1]]
        best[end], cut[end] = min(
            (best[start] + forward_cost + (end - start) * longest, start) for start in range(end)
        )
    chunks: list[list[int]] = []
    end = len(order)
    while end:
        chunks.append(sorted(order[cut[end] : end]))
        end = cut[end]
    return chunks[::-1]


#: Tokens rows must share beyond the batch's common prefix to be worth a shared opening.
MIN_OPENING_TOKENS = 8


def shared_openings(
    prompts: Sequence[Sequence[int]], rows: Sequence[int], common: int
) -> list[tuple[int, list[int]]]:
    """Groups of ``rows`` whose prompts open alike beyond the ``common`` prefix of the whole
    batch, as (opening length, rows): the conditions of one item ask the same question and
    differ after it ("… Answer in one short sentence." / "… I think the answer is X …").

    Each opening is encoded once and its rows encode only what follows. Only openings at
    least :data:`MIN_OPENING_TOKENS` longer than ``common`` count, each leaves every row of
    its group at least one token of its own, and the groups are used only when the tokens
    they save outweigh the extra forward they cost (:data:`FORWARD_COST_TOKENS` and the
    openings' own padding); else none.
    """
    order = sorted(rows, key=lambda i: list(prompts[i]))
    groups: list[tuple[int, list[int]]] = []
    run: list[int] = []
    length = 0
    for i in [*order, None]:
        if run and i is not None:
            n = shared_prefix([prompts[run[-1]], prompts[i]])
            if n - common >= MIN_OPENING_TOKENS:
                run, length = [*run, i], min(length, n)
                continue
        if len(run) > 1:
            groups.append((length, sorted(run)))
        run = [i] if i is not None else []
        length = len(prompts[i]) - 1 if i is not None else 0
    openings = [n - common for n, _ in groups]
    saved = sum((len(members) - 1) * n for n, (_, members) in zip(openings, groups, strict=True))
    padding = max(openings, default=0) * len(openings) - sum(openings)
    return groups if saved > FORWARD_COST_TOKENS + padding else []


def shared_prefix(rows: Sequence[Sequence[int]]) -> int:
    """Tokens every row starts with, leaving each row at least one token of its own."""
    if len(rows) < 2:
        return 0
    limit = min(len(r) for r in rows) - 1
    first = rows[0]
    shared = 0
    while shared < limit and all(r[shared] == first[shared] for r in rows):
        shared += 1
    return shared
