"""The metrics of a step, as map items: volume, reach, conversion, drop-off, median time.

One builder for ``discover`` and ``overlay``: each :class:`~parcours.model.items.Metric`
carries its machine ``key``, its label in the map's language (from the words tables), the
number of cases ``n`` it is computed on, a 95 % Wilson interval (``low`` … ``high``) for the
shares, the period of the log and its source.
"""

from __future__ import annotations

from parcours.analytics.observed import Flow, LabelStats
from parcours.model import words
from parcours.model.items import Metric, MetricKey
from parcours.voice.intervals import wilson


def label(key: MetricKey, lang: str | None) -> str:
    return words.table("MAP", lang)[f"metric.{key.value}"]


def _duration(seconds: float) -> tuple[float, str]:
    if seconds >= 2 * 86400:
        return round(seconds / 86400, 1), "d"
    if seconds >= 2 * 3600:
        return round(seconds / 3600, 1), "h"
    if seconds >= 120:
        return round(seconds / 60, 1), "min"
    return round(seconds, 1), "s"


def share_metric(
    key: MetricKey, hits: int, n: int, lang: str | None, period: str | None, source: str | None
) -> Metric:
    """A share in percent with its Wilson interval."""
    low, high = wilson(hits, n)
    return Metric(
        name=label(key, lang),
        key=key,
        value=round(100 * hits / n, 1),
        unit="%",
        n=n,
        low=round(100 * low, 1),
        high=round(100 * high, 1),
        period=period,
        source=source,
    )


def step_metrics(
    stats: LabelStats | None,
    flow: Flow | None,
    *,
    has_next: bool,
    lang: str | None,
    period: str | None,
    source: str | None,
) -> list[Metric]:
    """The metrics of one step (empty when no event observes it)."""
    out: list[Metric] = []
    if stats is None or flow is None or flow.reach == 0:
        return out

    def metric(key: MetricKey, value: float, unit: str | None = None) -> Metric:
        return Metric(
            name=label(key, lang), key=key, value=value, unit=unit, period=period, source=source
        )

    out.append(metric(MetricKey.volume, stats.events))
    out.append(metric(MetricKey.reach, flow.reach))
    if has_next:
        out.append(
            share_metric(MetricKey.conversion, flow.went_on, flow.reach, lang, period, source)
        )
        out.append(share_metric(MetricKey.drop_off, flow.ended, flow.reach, lang, period, source))
    if stats.median_seconds is not None:
        value, unit = _duration(stats.median_seconds)
        out.append(metric(MetricKey.median_time, value, unit))
    return out


__all__ = ["label", "share_metric", "step_metrics"]
