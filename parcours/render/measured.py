"""The measured emotion curve of the layout, drawn beside the designed one.

A step's measured emotion is a :class:`~parcours.model.items.Metric` of key ``emotion``
(value on −2 … +2, ``n``, ``low`` … ``high``) in a metrics lane, as ``parcours overlay``
writes it. The first emotions lane of the map gets, besides its designed curve, a
:class:`~parcours.render.geometry.MeasuredCurve` per path (and per run of shared steps),
following each path like the designed curve (:func:`along_paths` is the one rule both
use). Points sit right of the designed faces, with their 95 % interval as a whisker.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from parcours.model.items import LaneKind, Metric, MetricKey
from parcours.model.journey import Journey
from parcours.render import fonts
from parcours.render.geometry import Column, MeasuredCurve, MeasuredPoint, TextLine
from parcours.render.labels import label, number
from parcours.render.theme import Theme

P = TypeVar("P")
EMOTION_LABEL_LINES = 2
MEASURED_COLOR = "#db2777"


def emotion_scale(th: Theme, top: float, h: float) -> tuple[float, float]:
    """The y of +2 and of −2 on an emotions lane starting at ``top``, ``h`` high."""
    r = th.face_radius
    hi = top + th.lane_padding + r + 2
    lo = top + h - th.lane_padding - EMOTION_LABEL_LINES * th.small_line - r - 4
    return hi, lo


def along_paths(
    journey: Journey,
    columns: Sequence[Column],
    paths: Sequence[Any],
    points: dict[str, P],
    linear: bool,
) -> list[tuple[str, str | None, tuple[P, ...]]]:
    """The runs of ``points`` (by step id) one curve each joins: ``(id suffix, path id,
    points)``. A linear map (or one without paths) has one run; a branched map has one
    per path with at least two points, following that path's steps only in column
    order, and one per run of shared steps (``-trunk-<n>``, path id ``None``)."""
    if linear or not journey.paths:
        return [("", None, tuple(points[c.step_id] for c in columns if c.step_id in points))]
    index = {c.step_id: c.index for c in columns}
    out: list[tuple[str, str | None, tuple[P, ...]]] = []
    for p in paths:
        ids = [s.id for s in journey.path_steps(p.path_id)]
        pts = tuple(points[s] for s in sorted(ids, key=lambda s: index[s]) if s in points)
        if len(pts) > 1:
            out.append((f"-{p.path_id}", p.path_id, pts))
    runs: list[list[P]] = [[]]
    for col in columns:
        if col.path_id is not None:
            runs.append([])
        elif col.step_id in points:
            runs[-1].append(points[col.step_id])
    for n, run in enumerate(r for r in runs if len(r) > 1):
        out.append((f"-trunk-{n + 1}", None, tuple(run)))
    return out


def measured_emotions(journey: Journey) -> dict[str, Metric]:
    """Step id → its measured emotion (the first metric of key ``emotion`` of the
    journey's metrics lanes that has a value)."""
    out: dict[str, Metric] = {}
    for lane in journey.lanes_of(LaneKind.metrics):
        for sid, items in journey.cells.get(lane.id, {}).items():
            for item in items:
                is_emotion = isinstance(item, Metric) and item.key == MetricKey.emotion
                if is_emotion and item.value is not None and sid not in out:  # type: ignore[union-attr]
                    out[sid] = item  # type: ignore[assignment]
    return out


def signed(value: float, lang: str) -> str:
    """``-1.51`` → ``−1,51`` (fr) / ``−1.51`` (en); ``+0.38``."""
    text = number(abs(value), lang)
    return ("−" if value < 0 else "+") + text if round(value, 2) else text


def measured_curves(
    journey: Journey,
    lane_id: str,
    columns: Sequence[Column],
    paths: Sequence[Any],
    th: Theme,
    top: float,
    h: float,
    lang: str,
    linear: bool,
) -> tuple[list[MeasuredCurve], list[MeasuredPoint]]:
    """The measured curves and points of the emotions lane ``lane_id``."""
    found = measured_emotions(journey)
    if not found:
        return [], []
    hi, lo = emotion_scale(th, top, h)
    neutral, unit = (hi + lo) / 2, (lo - hi) / 4
    size = th.small_size - 0.5

    def y_of(v: float) -> float:
        return round(neutral - max(-2.0, min(2.0, v)) * unit, 2)

    points: dict[str, MeasuredPoint] = {}
    for col in columns:
        m = found.get(col.step_id)
        if m is None or m.value is None:
            continue
        x = round(col.cx + th.face_radius + 10, 2)
        y = y_of(m.value)
        text = signed(m.value, lang)
        width = round(fonts.text_width(text, size, 700), 2)
        points[col.step_id] = MeasuredPoint(
            col.step_id,
            x,
            y,
            m.value,
            m.n,
            m.low,
            m.high,
            y_of(m.low) if m.low is not None else None,
            y_of(m.high) if m.high is not None else None,
            TextLine(
                text, round(x + 8, 2), round(y + size * 0.36, 2), size, width, 700, MEASURED_COLOR
            ),
        )
    curves = [
        MeasuredCurve(f"measured-{lane_id}{suffix}", lane_id, path_id, pts, MEASURED_COLOR)
        for suffix, path_id, pts in along_paths(journey, columns, paths, points, linear)
    ]
    return curves, [points[c.step_id] for c in columns if c.step_id in points]


def legend_text(points: Sequence[MeasuredPoint], lang: str) -> str | None:
    """The legend entry of the measured curve: ``Measured (n = 76–412 per step)``."""
    ns = [p.n for p in points if p.n]
    if not points:
        return None
    if not ns:
        return label("measured", lang)
    lo, hi = min(ns), max(ns)
    n = number(lo, lang) if lo == hi else f"{number(lo, lang)}–{number(hi, lang)}"
    return label("measured.n", lang).format(n=n)


def tooltip(p: MeasuredPoint, lang: str) -> str:
    """The full figure: value, interval, n."""
    text = f"{label('metric.emotion', lang)} {signed(p.value, lang)}"
    if p.low is not None and p.high is not None:
        text += " · " + label("measured.interval", lang).format(
            low=signed(p.low, lang), high=signed(p.high, lang)
        )
    if p.n:
        text += f" · n = {number(p.n, lang)}"
    return text
