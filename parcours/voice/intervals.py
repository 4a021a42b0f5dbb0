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


@cache
def t_quantile(df: int, level: float = 0.975) -> float:
    """The ``level`` quantile of Student's t with ``df`` degrees of freedom."""
    from scipy.stats import t

    return float(t.ppf(level, df))


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
