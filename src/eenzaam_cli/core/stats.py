"""The interval methods public-health analysts trust, as PHEindicatormethods (R) and PHStatsMethods compute them.

* Wilson score interval for a proportion.
* Byar's approximation for the confidence limits of a Poisson count (10 or more observed).
* Exact Poisson limits from the chi-square distribution (fewer than 10 observed).
* The indirectly standardised ratio (observed / expected) with those limits divided by the expected count.
* The control limits of a funnel plot of such ratios (PHEindicatormethods' `calculate_funnel_limits`).

Only the standard library: the exact limits solve the Poisson tail equations by bisection, which for the
integer counts involved is the same as PHE's `qchisq(p, 2x) / 2`. tests/test_stats.py reproduces the
packages' published test vectors (tests/data/phe/) to 1e-6.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from statistics import NormalDist

from .record import Record

BYARS_MINIMUM = 10  # PHE: Byar's method from 10 observed, exact Poisson below


def z_value(confidence: float) -> float:
    """The two-sided normal quantile: 1.959964 for 0.95, 3.090232 for 0.998."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie between 0 and 1, got {confidence}")
    return NormalDist().inv_cdf(confidence + (1 - confidence) / 2)


class Interval(Record):
    lower: float | None
    upper: float | None


def wilson(x: float, n: float, confidence: float = 0.95) -> Interval:
    """Wilson score interval for the proportion x / n (PHE's wilson_lower / wilson_upper)."""
    if n <= 0:
        raise ValueError("n must be positive")
    z = z_value(confidence)
    centre = 2 * x + z * z
    spread = z * math.sqrt(z * z + 4 * x * (1 - x / n))
    denominator = 2 * (n + z * z)
    return Interval(lower=(centre - spread) / denominator, upper=(centre + spread) / denominator)


def byars(x: float, confidence: float = 0.95) -> Interval:
    """Byar's approximation to the Poisson limits of a count x (PHE's byars_lower / byars_upper).

    The lower limit is undefined (None) where the approximation goes negative, as PHE returns NA.
    """
    z = z_value(confidence)
    if x <= 0:
        lower = None if x < 0 else 0.0
    else:
        base = 1 - 1 / (9 * x) - z / (3 * math.sqrt(x))
        lower = x * base ** 3 if base >= 0 else None
    y = x + 1
    upper = y * (1 - 1 / (9 * y) + z / (3 * math.sqrt(y))) ** 3
    return Interval(lower=lower, upper=upper)


def _poisson_cdf(k: int, mean: float) -> float:
    """P(X <= k) for X ~ Poisson(mean): the regularised upper incomplete gamma function Q(k + 1, mean), by its
    series below k + 2 and its continued fraction above (Numerical Recipes' gammq), in about the square root of k
    steps rather than k, so the exact limits of large counts (a funnel's lines) stay quick."""
    if k < 0:
        return 0.0
    if mean == 0:
        return 1.0
    a = k + 1
    front = math.exp(-mean + a * math.log(mean) - math.lgamma(a))
    if mean < a + 1:  # the series of P(a, mean) = 1 - Q
        term = total = 1 / a
        n = a
        while abs(term) > abs(total) * 1e-16:
            n += 1
            term *= mean / n
            total += term
        return min(max(1 - total * front, 0.0), 1.0)
    tiny = 1e-300  # the continued fraction of Q(a, mean), by Lentz's method
    b = mean + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        h *= d * c
        if abs(d * c - 1) < 1e-16:
            break
    return min(max(front * h, 0.0), 1.0)


def _solve_decreasing(f, target: float, high: float) -> float:
    """The mean at which a function decreasing in the mean reaches `target`, by bisection."""
    low = 0.0
    while f(high) > target:
        high *= 2
    for _ in range(200):
        mid = (low + high) / 2
        if f(mid) > target:
            low = mid
        else:
            high = mid
        if high - low <= 1e-15 * max(1.0, high):
            break
    return (low + high) / 2


def exact_poisson(x: int, confidence: float = 0.95) -> Interval:
    """Exact Poisson limits of an observed count: qchisq(a/2, 2x)/2 and qchisq(1 - a/2, 2x + 2)/2."""
    if x < 0 or x != int(x):
        raise ValueError("an exact Poisson interval needs a whole, non-negative count")
    x = int(x)
    tail = (1 - confidence) / 2
    # lower: the mean at which P(X >= x) = tail, i.e. P(X <= x - 1) = 1 - tail
    lower = 0.0 if x == 0 else _solve_decreasing(lambda m: _poisson_cdf(x - 1, m), 1 - tail, float(x) + 1)
    # upper: the mean at which P(X <= x) = tail
    upper = _solve_decreasing(lambda m: _poisson_cdf(x, m), tail, float(x) + 10)
    return Interval(lower=lower, upper=upper)


def count_interval(observed: int, confidence: float = 0.95) -> tuple[Interval, str]:
    """The limits of an observed count as PHE chooses them: Byar's from 10, exact Poisson below."""
    if observed >= BYARS_MINIMUM:
        return byars(observed, confidence), "byars"
    return exact_poisson(observed, confidence), "exact"


class Ratio(Record):
    """An indirectly standardised ratio: observed / expected, with its interval and the method used."""

    observed: float
    expected: float
    value: float
    lower: float | None
    upper: float | None
    method: str  # 'byars' or 'exact'
    confidence: float


def standardised_ratio(observed: int, expected: float, confidence: float = 0.95) -> Ratio:
    """The indirectly standardised ratio (PHE's phe_isr / calculate_ISRatio), refvalue 1."""
    if expected <= 0:
        raise ValueError("the expected count must be positive")
    interval, method = count_interval(observed, confidence)
    scale = 1 / expected
    return Ratio(observed=observed, expected=expected, value=observed * scale,
                 lower=None if interval.lower is None else interval.lower * scale,
                 upper=None if interval.upper is None else interval.upper * scale,
                 method=method, confidence=confidence)


class Funnel(Record):
    """The control limits of a funnel plot of indirectly standardised ratios, at one confidence level.

    Each limit is a line of (expected, ratio) points, one per observed count: the lower limit passes through
    (U, o / U), where U is the exact Poisson upper limit of the observed count o; the upper limit through
    (L, o / L), where L is its exact lower limit (PHE's `poisson_funnel`). An area's own verdict
    (`standardised_ratio`) uses Byar's limits from 10 observed, as PHE's `funnel_ratio_significance` does; the
    two differ by less than 0.2% of the expected count.
    """

    confidence: float
    lower: tuple[tuple[float, float], ...]
    upper: tuple[tuple[float, float], ...]


def funnel(counts: Iterable[int], confidence: float = 0.95) -> Funnel:
    """The funnel's limits through the observed `counts`, as PHEindicatormethods' `calculate_funnel_limits` draws
    them for an indirectly standardised ratio: exact Poisson limits at every count."""
    lower, upper = [], []
    for observed in sorted(set(counts)):
        interval = exact_poisson(observed, confidence)
        assert interval.upper is not None
        lower.append((interval.upper, observed / interval.upper))
        if interval.lower:  # a count of 0 has no upper line: nothing is too high from 0
            upper.append((interval.lower, observed / interval.lower))
    return Funnel(confidence=confidence, lower=tuple(lower), upper=tuple(upper))


def funnel_counts(largest_expected: float, points: int = 100) -> list[int]:
    """The observed counts whose limits draw a funnel over expected counts from 0 to `largest_expected`: every
    count up to 20, then about `points` counts spaced evenly on a log scale, as PHEindicatormethods spaces them,
    to well past the count whose upper line reaches `largest_expected`."""
    top = largest_expected + 4 * math.sqrt(largest_expected) + 10
    counts = set(range(min(21, int(top) + 1)))
    step = (top / 20) ** (1 / points) if top > 20 else 1.0
    value = 20.0
    while value < top and step > 1:
        value *= step
        counts.add(math.ceil(value))
    return sorted(counts)
