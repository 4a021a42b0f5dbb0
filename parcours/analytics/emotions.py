"""The measured emotion of each step, from customers' comments or survey answers.

One measure for ``overlay``, ``compare`` and ``discover``, on the map's scale −2 … +2:

- from **verbatims** (rows of :func:`parcours.voice.read_verbatims` grouped by step): twice
  the mean sentiment score (−1 … +1) of the step's comments, with its 95 % t interval;
- else from **surveys** (the result of :func:`parcours.voice.survey_kpis` by step): the
  mean CSAT (1 … 5) less 3, with its 95 % t interval.

``n`` is the number of comments or answers; ``low`` … ``high`` are clipped to −2 … +2.
On a map the measured emotion is a :class:`~parcours.model.items.Metric` of key
``emotion`` in a metrics lane (written by ``overlay``); the rendered map draws it as a
second curve on the emotions lane, beside the designed one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from parcours.model.items import Emotion, LaneKind, Metric, MetricKey
from parcours.model.journey import Journey
from parcours.voice.intervals import mean_interval

SCALE = (-2.0, 2.0)


@dataclass(frozen=True)
class MeasuredEmotion:
    """A step's measured emotion on −2 … +2, from ``n`` comments or answers."""

    value: float
    n: int
    low: float | None
    high: float | None
    source: str  # "verbatims" | "csat"


def _clip(x: float | None) -> float | None:
    return None if x is None else round(min(max(x, SCALE[0]), SCALE[1]), 2)


def measured_emotions(
    verbatims: Iterable[Any] = (),
    surveys: Mapping[str, Any] | None = None,
    *,
    step_of: Callable[[str], str | None] = lambda group: group,
) -> dict[str, MeasuredEmotion]:
    """The measured emotion per step id; ``step_of`` turns the step column's value into a
    step id (``None``: the row is of no step)."""
    scores: dict[str, list[float]] = {}
    for v in verbatims:
        sid = step_of(v.group) if v.group else None
        if sid is not None and v.score is not None:
            scores.setdefault(sid, []).append(float(v.score))
    out: dict[str, MeasuredEmotion] = {}
    for sid, values in scores.items():
        mean, low, high = mean_interval(values)
        out[sid] = MeasuredEmotion(
            round(2 * mean, 2),
            len(values),
            _clip(2 * low if low is not None else None),
            _clip(2 * high if high is not None else None),
            "verbatims",
        )
    for r in (surveys or {}).get("kpis", []):
        sid = step_of(r["group"]) if r.get("group") else None
        if sid is None or sid in out or r.get("metric") != "csat" or r.get("mean") is None:
            continue
        low, high = r.get("mean_low"), r.get("mean_high")
        out[sid] = MeasuredEmotion(
            round(r["mean"] - 3, 2),
            int(r["n"]),
            _clip(low - 3 if low is not None else None),
            _clip(high - 3 if high is not None else None),
            "csat",
        )
    return out


def emotion_metric(m: MeasuredEmotion, name: str, source: str | None = None) -> Metric:
    """The measured emotion as a map item (a metric of key ``emotion``)."""
    return Metric(
        name=name, key=MetricKey.emotion, value=m.value, n=m.n, low=m.low, high=m.high,
        source=source,
    )  # fmt: skip


def designed_emotions(journey: Journey) -> dict[str, int]:
    """The designed emotion of each step: the score in the journey's first emotions lane."""
    lanes = journey.lanes_of(LaneKind.emotions)
    if not lanes:
        return {}
    out: dict[str, int] = {}
    for sid, items in journey.cells.get(lanes[0].id, {}).items():
        found = [i for i in items if isinstance(i, Emotion)]
        if found:
            out[sid] = found[0].score
    return out


def emotion_gaps(journey: Journey, measured: Mapping[str, MeasuredEmotion]) -> list[dict[str, Any]]:
    """Per step of the journey (in map order) that has a measured emotion: the designed
    score (``None`` when the map has none), the measured one with ``n`` and bounds, and the
    gap (measured less designed)."""
    designed = designed_emotions(journey)
    out = []
    for step in journey.steps():
        d, m = designed.get(step.id), measured.get(step.id)
        if m is None:
            continue
        out.append(
            {
                "step": step.id,
                "name": step.name,
                "designed": d,
                "measured": m.value,
                "low": m.low,
                "high": m.high,
                "n": m.n,
                "source": m.source,
                "gap": round(m.value - d, 2) if d is not None else None,
            }
        )
    return out


def step_resolver(journey: Journey) -> Callable[[str], str | None]:
    """A step column's value → the step id: a step's id, one of its events (``observed_as``)
    or its name."""
    index: dict[str, str] = {}
    for step in journey.steps():
        index.setdefault(step.name.strip().casefold(), step.id)
    for step in journey.steps():
        for name in step.observed_as:
            index[name.strip().casefold()] = step.id
    for step in journey.steps():
        index[step.id.casefold()] = step.id

    def resolve(value: str) -> str | None:
        return index.get(str(value).strip().casefold())

    return resolve


def gap_rows(gaps: Sequence[Mapping[str, Any]]) -> tuple[tuple[Any, ...], ...]:
    """The rows of the emotion-gaps table: the JSON's numbers, in its order."""
    return tuple(
        (g["step"], g["designed"], g["measured"], g["low"], g["high"], g["n"], g["gap"])
        for g in gaps
    )


__all__ = [
    "MeasuredEmotion",
    "designed_emotions",
    "emotion_gaps",
    "emotion_metric",
    "measured_emotions",
    "step_resolver",
]
