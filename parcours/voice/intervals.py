"""95 % confidence intervals for survey KPIs.

- a share (CSAT % satisfied, CES % easy): the Wilson score interval, which stays inside
  0…1 and behaves at small n and at 0 % or 100 %;
- a mean (mean CSAT, mean CES): Student's t, ``mean ± t(0.975, n−1) · s / √n``;
- the NPS: each answer counts +1 (promoter, 9–10), 0 (passive, 7–8) or −1 (detractor,
  0–6); the NPS is 100 × their mean, and its interval the t interval of that mean, clipped
  to −100…+100.

With one answer there is no spread to measure: the bounds of a mean or an NPS are ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache

Z95 = 1.959963984540054


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of ``successes / n`` (both in 0…1)."""
    if n <= 0:
        raise ValueError("no answers")
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def _incomplete_beta(x: float, a: float, b: float) -> float:
    """The regularized incomplete beta function I_x(a, b), by its continued fraction
    (evaluated with the modified Lentz method; the symmetry I_x(a, b) = 1 − I_{1−x}(b, a)
    keeps x on the side where the fraction converges fast)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    if x > (a + 1.0) / (a + b + 2.0):
        return 1.0 - _incomplete_beta(1.0 - x, b, a)
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
        + a * math.log(x) + b * math.log1p(-x)
    )  # fmt: skip
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    fraction = d
    for m in range(1, 10_000):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            fraction *= c * d
        if abs(c * d - 1.0) < 1e-15:
            break
    return math.exp(log_front) * fraction / a


def t_cdf(t: float, df: float) -> float:
    """P(T ≤ t) for Student's t with ``df`` degrees of freedom."""
    tail = 0.5 * _incomplete_beta(df / (df + t * t), df / 2.0, 0.5)
    return 1.0 - tail if t >= 0 else tail


@cache
def t_quantile(df: int, level: float = 0.975) -> float:
    """The ``level`` quantile of Student's t with ``df`` degrees of freedom (to about
    1e-12 relative; no scipy: importing ``scipy.stats`` takes over a second)."""
    if not 0.0 < level < 1.0 or df <= 0:
        raise ValueError(f"t quantile needs 0 < level < 1 and df > 0 (got {level}, {df})")
    if level == 0.5:
        return 0.0
    if level < 0.5:
        return -t_quantile(df, 1.0 - level)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < level:
        low, high = high, high * 2.0
    for _ in range(200):  # bisection: the cdf is increasing
        middle = (low + high) / 2.0
        if t_cdf(middle, df) < level:
            low = middle
        else:
            high = middle
        if high - low <= 1e-13 * high:
            break
    return (low + high) / 2.0


def mean_interval(values: Sequence[float]) -> tuple[float, float | None, float | None]:
    """Mean and its 95 % t interval (``None`` bounds with fewer than two values)."""
    n = len(values)
    if n == 0:
        raise ValueError("no answers")
    mean = sum(values) / n
    if n < 2:
        return mean, None, None
    variance = sum((v - mean) ** 2 for v in values) / (n - 1)
    half = t_quantile(n - 1) * math.sqrt(variance / n)
    return mean, mean - half, mean + half


def nps_interval(
    promoters: int, passives: int, detractors: int
) -> tuple[float, float | None, float | None]:
    """NPS (−100…+100) and its 95 % interval from the variance of the ±1/0 scores."""
    n = promoters + passives + detractors
    if n == 0:
        raise ValueError("no answers")
    mean = (promoters - detractors) / n
    if n < 2:
        return 100 * mean, None, None
    squares = promoters + detractors  # each ±1 squared
    variance = (squares - n * mean * mean) / (n - 1)
    half = t_quantile(n - 1) * math.sqrt(variance / n)
    return 100 * mean, max(-100.0, 100 * (mean - half)), min(100.0, 100 * (mean + half))
