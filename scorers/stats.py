"""Intervals: Wilson for proportions, paired bootstrap over items for differences."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

Z95 = 1.959963984540054


class Proportion(BaseModel):
    """``count`` of ``n``, with a Wilson 95% interval (None when n = 0)."""

    model_config = ConfigDict(frozen=True)

    count: int
    n: int
    value: float | None
    ci_low: float | None
    ci_high: float | None


class Difference(BaseModel):
    """A paired difference of two rates over the same items, with a bootstrap 95% interval."""

    model_config = ConfigDict(frozen=True)

    value: float | None
    ci_low: float | None
    ci_high: float | None
    n_pairs: int


def wilson(count: int, n: int, z: float = Z95) -> Proportion:
    if n == 0:
        return Proportion(count=0, n=0, value=None, ci_low=None, ci_high=None)
    p = count / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Proportion(
        count=count, n=n, value=p, ci_low=max(0.0, centre - half), ci_high=min(1.0, centre + half)
    )


def paired_difference(
    first: Sequence[bool], second: Sequence[bool], *, iterations: int = 2000, seed: int = 0
) -> Difference:
    """mean(first) - mean(second) over paired items; percentile bootstrap over items."""
    if len(first) != len(second):
        raise ValueError("paired samples must have equal length")
    n = len(first)
    if n == 0:
        return Difference(value=None, ci_low=None, ci_high=None, n_pairs=0)
    deltas = [int(a) - int(b) for a, b in zip(first, second, strict=True)]
    value = sum(deltas) / n
    rng = random.Random(seed)
    means = sorted(sum(rng.choices(deltas, k=n)) / n for _ in range(iterations))
    low = means[int(0.025 * iterations)]
    high = means[min(iterations - 1, int(0.975 * iterations))]
    return Difference(value=value, ci_low=low, ci_high=high, n_pairs=n)
