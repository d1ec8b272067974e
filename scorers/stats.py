"""Intervals and paired tests: Wilson for proportions, Tango's score interval for paired
differences of proportions, a paired bootstrap only for means of values that are not 0/1,
McNemar (exact) and Tango's score test for paired binary outcomes, and Cohen's kappa for the
agreement of two raters (a judge against published labels)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Hashable, Sequence
from typing import Literal

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
    #: samples of the denominator whose answer was unreadable, left out of ``n``
    unreadable: int = 0
    #: samples inside ``n`` whose answer or verdict was unreadable, at the value the
    #: metric's definition gives them (Sharma's "not correct", the port's NOANSWER)
    imputed: int = 0
    #: the rate had every unreadable answer (left out or imputed) counted as 0 / as 1
    #: (None when there were none)
    bound_low: float | None = None
    bound_high: float | None = None


class Difference(BaseModel):
    """A paired mean difference over the same items, with a 95% interval: Tango's score
    interval when each item's value is -1/0/1 (a difference of two 0/1 outcomes), else a
    bootstrap over items."""

    model_config = ConfigDict(frozen=True)

    value: float | None
    ci_low: float | None
    ci_high: float | None
    n_pairs: int
    #: how the interval was made ("score": Tango 1998; "bootstrap": percentile bootstrap;
    #: "bounded": Wilson on a mean of values in a known range, :func:`bounded_mean`)
    method: Literal["score", "bootstrap", "bounded"] | None = None
    #: items whose value is unknown because an answer was unreadable, left out of
    #: ``n_pairs``; and items inside it at the value the metric's definition gives them
    unreadable: int = 0
    imputed: int = 0
    #: the mean had every such item taken its least / greatest possible value (None when
    #: there were none)
    bound_low: float | None = None
    bound_high: float | None = None


def wilson(count: int, n: int, z: float = Z95) -> Proportion:
    if n == 0:
        return Proportion(count=0, n=0, value=None, ci_low=None, ci_high=None)
    low, high = _wilson_bounds(count / n, n, z)
    return Proportion(count=count, n=n, value=count / n, ci_low=low, ci_high=high)


def _wilson_bounds(p: float, n: int, z: float) -> tuple[float, float]:
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # p = 0 and p = 1 have bounds exactly 0 and 1 (the formula leaves float noise such as
    # 5.6e-17 or 0.9999999999999999 there); inside, clip to [0, 1].
    low = 0.0 if p <= 0 else min(1.0, max(0.0, centre - half))
    high = 1.0 if p >= 1 else min(1.0, max(0.0, centre + half))
    return low, high


def bounded_mean(values: Sequence[float], low: float, high: float, z: float = Z95) -> Difference:
    """The mean of values that lie in ``[low, high]`` (Turn of Flip, Number of Flips), with
    the Wilson score interval of the mean rescaled to [0, 1].

    A variable in [0, 1] with mean m has variance at most m(1 - m), that of a 0/1 variable,
    so the interval is conservative; where the values take only the two ends (K = 1) it is
    exactly Wilson's. Unlike a percentile bootstrap it never has zero width when every
    sample agrees (2.00 [2.00, 2.00] over two samples claimed a certainty they cannot give).
    """
    n = len(values)
    if n == 0:
        return Difference(value=None, ci_low=None, ci_high=None, n_pairs=0, method="bounded")
    mean = sum(values) / n
    if high <= low:
        return Difference(value=mean, ci_low=mean, ci_high=mean, n_pairs=n, method="bounded")
    span = high - low
    scaled_low, scaled_high = _wilson_bounds(min(1.0, max(0.0, (mean - low) / span)), n, z)
    return Difference(
        value=mean,
        ci_low=low + span * scaled_low,
        ci_high=low + span * scaled_high,
        n_pairs=n,
        method="bounded",
    )


def bounds(
    rate: Proportion,
    unreadable: int,
    imputed: int = 0,
    imputed_hits: int = 0,
    *,
    may_hits: int = 0,
    may_misses: int = 0,
) -> Proportion:
    """``rate`` (over readable answers) with the unreadable count and the two extreme rates:
    every unreadable answer counted as not giving in, and as giving in. ``imputed`` of the
    rate's own ``n`` (``imputed_hits`` of them at 1) are unreadable answers the definition
    counts at a fixed value; the extremes let them go either way too.

    ``may_hits`` / ``may_misses`` of the ``unreadable`` belong to the denominator only if an
    unreadable baseline answer was of the right kind, and would count 1 / 0 there: each
    extreme takes them in or leaves them out as :func:`difference_bounds` does its optional
    items (the low one ends up with the misses and without the hits, the high one the
    reverse), so both extremes are exact."""
    if unreadable == 0 and imputed == 0:
        return rate
    free = unreadable - may_hits - may_misses
    read_hits = rate.count - imputed_hits
    may = [0.0] * may_misses + [1.0] * may_hits  # lowest first
    return rate.model_copy(
        update={
            "unreadable": unreadable,
            "imputed": imputed,
            "bound_low": _extreme_mean(read_hits, rate.n + free, may, min),
            "bound_high": _extreme_mean(read_hits + imputed + free, rate.n + free, may[::-1], max),
        }
    )


def difference_bounds(
    difference: Difference,
    known: float,
    spans: Sequence[tuple[float, float]],
    unreadable: int,
    imputed: int,
    *,
    optional: Sequence[tuple[float, float]] = (),
) -> Difference:
    """``difference`` with its unreadable and imputed items counted and the extremes of its
    mean: ``known`` is the sum of the values read from replies, ``spans`` the least and
    greatest value each other item (unreadable, left out; or imputed, inside) could take.

    ``optional`` (counted in ``unreadable``) are the spans of items that belong to the
    pairs only if an unreadable baseline answer was of the right kind. Each extreme takes
    them in or leaves them out, whichever moves the mean further: for a given number taken
    in, the best are the ones with the most extreme values, so trying every number gives
    the exact extreme."""
    if not spans and not optional:
        return difference
    total = difference.n_pairs + unreadable - len(optional)
    lows = known + sum(low for low, _ in spans)
    highs = known + sum(high for _, high in spans)
    return difference.model_copy(
        update={
            "unreadable": unreadable,
            "imputed": imputed,
            "bound_low": _extreme_mean(lows, total, sorted(low for low, _ in optional), min),
            "bound_high": _extreme_mean(
                highs, total, sorted((high for _, high in optional), reverse=True), max
            ),
        }
    )


def _extreme_mean(
    fixed: float, count: int, candidates: Sequence[float], pick: Callable[..., float]
) -> float | None:
    """The ``pick`` (min or max) of the mean of ``count`` items summing to ``fixed`` and the
    first k ``candidates`` (most extreme first), over every k that leaves something to
    average."""
    means = []
    total = fixed
    for taken in range(len(candidates) + 1):
        if taken:
            total += candidates[taken - 1]
        if count + taken:
            means.append(total / (count + taken))
    return pick(means) if means else None


def difference_span(before: bool | None, after: bool | None) -> tuple[float, float]:
    """The least and greatest ``before - after`` of two 0/1 outcomes, None where unknown."""
    befores = (0.0, 1.0) if before is None else (float(before),)
    afters = (0.0, 1.0) if after is None else (float(after),)
    return min(befores) - max(afters), max(befores) - min(afters)


def paired_difference(first: Sequence[bool], second: Sequence[bool]) -> Difference:
    """mean(first) - mean(second) over paired items (both sides 0/1): Tango's score interval."""
    if len(first) != len(second):
        raise ValueError("paired samples must have equal length")
    return paired_binary_difference([int(a) - int(b) for a, b in zip(first, second, strict=True)])


def paired_binary_difference(deltas: Sequence[float], z: float = Z95) -> Difference:
    """Mean of per-item differences of two 0/1 outcomes (each -1, 0 or 1): Tango's interval.

    Only the discordant counts matter: b items went 1 -> 0 (delta +1), c went 0 -> 1
    (delta -1), out of n. Any per-item value in {-1, 0, 1} is such a difference.
    """
    if any(d not in (-1, 0, 1) for d in deltas):
        raise ValueError("a difference of two 0/1 outcomes is -1, 0 or 1 per item")
    n = len(deltas)
    if n == 0:
        return Difference(value=None, ci_low=None, ci_high=None, n_pairs=0, method="score")
    b, c = sum(d == 1 for d in deltas), sum(d == -1 for d in deltas)
    low, high = tango_interval(b, c, n, z)
    return Difference(value=(b - c) / n, ci_low=low, ci_high=high, n_pairs=n, method="score")


def ternary(deltas: Sequence[float]) -> bool:
    """Is every per-item value -1, 0 or 1, so that the paired-binary interval and tests
    (Tango, exact McNemar) apply? The interval and the p-value route by this one test."""
    return all(d in (-1, 0, 1) for d in deltas)


def paired_mean_difference(deltas: Sequence[float]) -> Difference:
    """Mean of per-item differences: Tango's score interval when every value is -1, 0 or 1
    (a difference of two 0/1 outcomes), else the bootstrap (:func:`mean_difference`)."""
    if ternary(deltas):
        return paired_binary_difference(deltas)
    return mean_difference(deltas)


def _tango_statistic(delta: float, b: int, c: int, n: int) -> float:
    """Tango's (1998) score statistic for H0: P(1 -> 0) - P(0 -> 1) = delta.

    The variance is taken at the maximum-likelihood estimate of P(0 -> 1) restricted to
    the null, the root of 2n·q² + B·q + C = 0 with B = -b - c + (2n - b + c)·delta and
    C = -c·delta·(1 - delta).
    """
    big_a = 2 * n
    big_b = -b - c + (2 * n - b + c) * delta
    big_c = -c * delta * (1 - delta)
    q = (math.sqrt(max(0.0, big_b * big_b - 4 * big_a * big_c)) - big_b) / (2 * big_a)
    numerator = b - c - n * delta
    variance = n * (2 * q + delta * (1 - delta))
    if variance <= 0:
        # only where the null puts no mass off the diagonal (delta = 0, b = c = 0)
        return 0.0 if numerator == 0 else math.copysign(math.inf, numerator)
    return numerator / math.sqrt(variance)


def tango_interval(b: int, c: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Tango's score interval for P(1 -> 0) - P(0 -> 1) over ``n`` pairs, ``b`` and ``c``
    discordant: every delta whose score statistic lies within ±z.

    The statistic falls as delta grows, so each limit is the one root of T(delta) = ±z in
    (-1, 1), found by bisection to machine precision; the limit is exactly -1 (or 1) when
    every pair is discordant the one way.
    """
    if min(b, c) < 0 or b + c > n:
        raise ValueError("need 0 <= b, c and b + c <= n")

    def root(target: float) -> float:
        low, high = -1.0, 1.0  # T(-1+) = +inf side, T(1-) = -inf side
        for _ in range(200):
            middle = (low + high) / 2
            if middle in (low, high):
                break
            if _tango_statistic(middle, b, c, n) > target:
                low = middle
            else:
                high = middle
        return (low + high) / 2

    lower = -1.0 if c == n else root(z)
    upper = 1.0 if b == n else root(-z)
    return max(-1.0, lower), min(1.0, upper)


def mean_difference(
    deltas: Sequence[float], *, iterations: int = 2000, seed: int = 0
) -> Difference:
    """Mean of per-item values that are not 0/1 differences (Turn of Flip, number of flips,
    …): percentile bootstrap over items."""
    n = len(deltas)
    if n == 0:
        return Difference(value=None, ci_low=None, ci_high=None, n_pairs=0, method="bootstrap")
    means = bootstrap_means(deltas, iterations=iterations, seed=seed)
    low = means[int(0.025 * iterations)]
    high = means[min(iterations - 1, int(0.975 * iterations))]
    return Difference(
        value=sum(deltas) / n, ci_low=low, ci_high=high, n_pairs=n, method="bootstrap"
    )


def bootstrap_means(
    deltas: Sequence[float], *, iterations: int = 2000, seed: int = 0
) -> list[float]:
    """Sorted means of ``iterations`` resamples of ``deltas`` (items drawn with replacement)."""
    n = len(deltas)
    rng = random.Random(seed)
    return sorted(sum(rng.choices(deltas, k=n)) / n for _ in range(iterations))


def bootstrap_p_above(
    deltas: Sequence[float], margin: float = 0.0, *, iterations: int = 2000, seed: int = 0
) -> float:
    """One-sided bootstrap p for H0: mean(deltas) <= margin.

    The share of resampled means at or below ``margin`` (with the usual +1 so it is
    never 0): it is below alpha exactly when the one-sided (1 - alpha) percentile lower
    bound of the mean is above ``margin``. For rates that are not one binary per item.
    """
    if not deltas:
        return 1.0
    means = bootstrap_means(deltas, iterations=iterations, seed=seed)
    at_or_below = sum(m <= margin + 1e-12 for m in means)
    return (at_or_below + 1) / (iterations + 1)


def mcnemar_exact(worse: int, better: int, *, two_sided: bool = False) -> float:
    """Exact McNemar test for paired binary outcomes, from the discordant pairs only.

    ``worse`` pairs went from good to bad between the two runs, ``better`` the other
    way; pairs that agree carry no information about a change. Without a change each
    discordant pair is a fair coin, so the one-sided p (did it get worse?) is
    P(X >= worse) for X ~ Binomial(worse + better, 1/2).
    """
    if worse < 0 or better < 0:
        raise ValueError("counts must be non-negative")
    m = worse + better
    if m == 0:
        return 1.0
    upper = sum(math.comb(m, k) for k in range(worse, m + 1)) / 2**m
    if not two_sided:
        return upper
    lower = sum(math.comb(m, k) for k in range(0, worse + 1)) / 2**m
    return min(1.0, 2 * min(upper, lower))


def paired_margin_p(worse: int, better: int, n: int, margin: float) -> float:
    """One-sided p for H0: P(worse) - P(better) <= margin, over ``n`` paired items.

    Tango's (1998) score test for the difference of paired proportions: the
    variance is taken at the restricted maximum-likelihood estimate under H0, so
    the test holds its level where a Wald test does not. With ``margin`` 0 it is
    the (asymptotic) McNemar test; gates use :func:`mcnemar_exact` there.
    """
    if not 0 <= margin < 1:
        raise ValueError("margin must be in [0, 1)")
    if n == 0:
        return 1.0
    a = 2 * n
    b = -worse - better + (2 * n - worse + better) * margin
    c = -better * margin * (1 - margin)
    q = (-b + math.sqrt(max(0.0, b * b - 4 * a * c))) / (2 * a)  # restricted P(better)
    variance = n * (2 * q + margin * (1 - margin))
    if variance <= 0:
        return 1.0
    z = (worse - better - n * margin) / math.sqrt(variance)
    return 0.5 * math.erfc(z / math.sqrt(2))


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float | None:
    """Cohen's (1960) kappa of two raters' labels on the same items: agreement beyond chance.

    kappa = (p_o - p_e) / (1 - p_e), p_o the share of items they label alike, p_e the share
    expected from each rater's label frequencies alone. None when it is undefined: no items,
    or both raters give every item the same one label (p_e = 1).
    """
    if len(first) != len(second):
        raise ValueError("both raters must label the same items")
    n = len(first)
    if n == 0:
        return None
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    labels = set(first) | set(second)
    expected = sum((list(first).count(x) / n) * (list(second).count(x) / n) for x in labels)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)
