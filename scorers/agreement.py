"""Agreement between two readers of the same replies: raw percent and Cohen's kappa.

Two readers that both say "correct" for 95% of replies agree on 90% of them by chance
alone, so the raw share of agreement flatters them; Cohen's kappa (Cohen 1960, "A
coefficient of agreement for nominal scales") is the agreement beyond that chance:

  kappa = (p_o - p_e) / (1 - p_e),  p_o = share of items both put in the same category,
  p_e = sum over categories k of (share A puts in k) x (share B puts in k).

It is the value ``sklearn.metrics.cohen_kappa_score`` gives (unweighted). Undefined when
p_e = 1 (both readers put every item in one and the same category): None, never a guess.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence

from pydantic import BaseModel, ConfigDict


class Agreement(BaseModel):
    """How often two readers agree on the same items, and how much beyond chance."""

    model_config = ConfigDict(frozen=True)

    n: int
    agree: int
    kappa: float | None

    @property
    def share(self) -> float | None:
        return self.agree / self.n if self.n else None


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two readers' categories for the same items (None when undefined)."""
    if len(a) != len(b):
        raise ValueError(f"readers rated {len(a)} and {len(b)} items")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    count_a, count_b = Counter(a), Counter(b)
    chance = sum(count_a[k] * count_b[k] for k in count_a)
    if chance == n * n:
        return None
    expected = chance / (n * n)
    return (observed - expected) / (1 - expected)


def agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> Agreement:
    """Items, items on which the readers agree, and Cohen's kappa."""
    return Agreement(
        n=len(a), agree=sum(x == y for x, y in zip(a, b, strict=True)), kappa=cohen_kappa(a, b)
    )
