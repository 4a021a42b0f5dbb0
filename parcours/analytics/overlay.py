"""Measured values on a designed map: ``parcours overlay``.

:func:`overlay_operations` binds the steps of a journey to the events of a log through
their ``observed_as`` and returns the edits that put the measures on the map, as
operations (the server applies them as one revision; :func:`overlay` applies them here):

- a **metrics** lane (added when the journey has none) with, at every step that has
  events, volume, reach, conversion to a designed next step, drop-off and median time;
  with surveys, CSAT / NPS / CES per step (n and 95 % interval); with verbatims, the mean
  sentiment (−1 … +1); the measured emotion on the map's −2 … +2 scale, with ``n`` and
  bounds, from the verbatims, else from the CSAT answers (:mod:`.emotions`);
- **KPI measured values**: a step's KPI named ``csat``, ``nps`` or ``ces`` gets the survey's
  value, ``n`` and bounds;
- the **top verbatims** per step (the most negative first) in a notes lane ``verbatims``,
  personal data masked;
- the journey's evidence becomes ``mixed`` when it was ``hypothetical``.

The cases of the journey are chosen as in :mod:`parcours.analytics.observed`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parcours.analytics.emotions import emotion_metric, measured_emotions, step_resolver
from parcours.analytics.measures import label, step_metrics
from parcours.analytics.observed import Label, Observed, flows, observe, step_map, step_paths
from parcours.model import operations as ops
from parcours.model.items import Card, KpiValue, LaneKind, Metric, MetricKey
from parcours.model.journey import Evidence, Journey, Lane

TOP_VERBATIMS = 3

VERBATIM_LANE = {"en": "Verbatims", "fr": "Verbatims clients"}


def designed_next(journey: Journey) -> dict[str, set[str]]:
    """Every designed way out of each step."""
    return {sid: {link.to for link in links} for sid, links in journey.successor_map().items()}


def _survey_metrics(
    rows: Sequence[dict[str, Any]], lang: str, period: str | None, source: str | None
) -> tuple[dict[str, list[Metric]], dict[tuple[str, str], dict[str, Any]]]:
    metrics: dict[str, list[Metric]] = {}
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        step = r.get("group")
        if not step or r.get("value") is None:
            continue
        key = MetricKey(r["metric"])
        metrics.setdefault(step, []).append(
            Metric(
                name=label(key, lang),
                key=key,
                value=r["value"],
                unit=None if key == MetricKey.nps else "%",
                n=r["n"],
                low=r.get("low"),
                high=r.get("high"),
                period=period,
                source=source,
            )
        )
        by_key[(step, r["metric"])] = r
    return metrics, by_key


def overlay_operations(
    journey: Journey,
    events: Any = None,
    *,
    observed: Observed | None = None,
    surveys: dict[str, Any] | None = None,
    verbatims: Sequence[Any] = (),
    source: str | None = None,
    survey_source: str | None = None,
    top: int = TOP_VERBATIMS,
) -> list[ops.Operation]:
    """The edits that put the measures of ``events`` (and of ``surveys``: the result of
    :func:`parcours.voice.survey_kpis` by step; and ``verbatims``: rows of
    :func:`parcours.voice.read_verbatims` grouped by step) on ``journey``."""
    lang = journey.language()
    obs = observed if observed is not None else observe(events, step_map(journey))
    paths = step_paths(obs)
    nexts = designed_next(journey)
    fl = flows(paths, nexts)
    cells: dict[str, list[Any]] = {}
    for step in journey.steps():
        items = step_metrics(
            obs.stats.get(Label(step.id, True)),
            fl.get(step.id),
            has_next=bool(nexts.get(step.id)) and not step.end,
            lang=lang,
            period=obs.period,
            source=source,
        )
        if items:
            cells[step.id] = items
    known = {s.id for s in journey.steps()}
    survey_rows = (surveys or {}).get("kpis", [])
    extra, by_key = _survey_metrics(
        [r for r in survey_rows if r.get("group") in known], lang, None, survey_source
    )
    for sid, found in extra.items():
        cells.setdefault(sid, []).extend(found)

    # verbatims per step: mean sentiment, the most negative texts; the measured emotion
    # (from the verbatims, else from the CSAT answers)
    resolve = step_resolver(journey)
    per_step: dict[str, list[Any]] = {}
    for v in verbatims:
        where = resolve(v.group) if v.group else None
        if where is not None and v.score is not None:
            per_step.setdefault(where, []).append(v)
    notes: dict[str, list[Any]] = {}
    for sid, rows in per_step.items():
        mean = sum(v.score for v in rows) / len(rows)
        cells.setdefault(sid, []).append(
            Metric(
                name=label(MetricKey.sentiment, lang),
                key=MetricKey.sentiment,
                value=round(mean, 2),
                n=len(rows),
            )
        )
        worst: list[Any] = []
        for v in sorted(rows, key=lambda v: (v.score, v.line)):
            if len(worst) < top and v.text not in {w.text for w in worst}:
                worst.append(v)
        notes[sid] = [Card(text=v.text, detail=f"{v.label} {v.score:+.2f}") for v in worst]
    emotions = measured_emotions(verbatims, surveys, step_of=resolve)
    for step in journey.steps():
        if step.id in emotions:
            name = label(MetricKey.emotion, lang)
            cells.setdefault(step.id, []).append(emotion_metric(emotions[step.id], name))

    out: list[ops.Operation] = []
    metric_lanes = journey.lanes_of(LaneKind.metrics)
    if metric_lanes:
        lane_id = metric_lanes[0].id
        for step in journey.steps():
            if step.id in cells:
                out.append(ops.SetCell(lane=lane_id, step=step.id, items=cells[step.id]))
    elif cells:
        lane = Lane(id=_free_id(journey, "metrics"), kind=LaneKind.metrics)
        out.append(ops.AddLane(lane=lane, cells=cells))
    if notes:
        lanes = [ln for ln in journey.lanes if ln.id == "verbatims"]
        if lanes and lanes[0].kind == LaneKind.notes:
            for sid, cards in notes.items():
                out.append(ops.SetCell(lane="verbatims", step=sid, items=list(cards)))
        else:
            lane = Lane(
                id=_free_id(journey, "verbatims"),
                kind=LaneKind.notes,
                title=VERBATIM_LANE.get(lang, VERBATIM_LANE["en"]),
            )
            out.append(ops.AddLane(lane=lane, cells={k: list(v) for k, v in notes.items()}))
    # KPI measured values from the surveys
    for lane in journey.lanes_of(LaneKind.kpis):
        for sid, kept in journey.cells.get(lane.id, {}).items():
            changed = False
            new: list[Any] = []
            for item in kept:
                r = by_key.get((sid, item.kpi)) if isinstance(item, KpiValue) else None
                if r is not None:
                    item = item.model_copy(
                        update={
                            "measured": r["value"],
                            "n": r["n"],
                            "low": r.get("low"),
                            "high": r.get("high"),
                        }
                    )
                    changed = True
                new.append(item)
            if changed:
                out.append(ops.SetCell(lane=lane.id, step=sid, items=new))
    if out and journey.evidence == Evidence.hypothetical:
        out.append(ops.SetJourneyField(field="evidence", value=Evidence.mixed.value))
    return out


def _free_id(journey: Journey, base: str) -> str:
    taken = {lane.id for lane in journey.lanes}
    n, candidate = 2, base
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def overlay(journey: Journey, events: Any = None, **options: Any) -> Journey:
    """``journey`` with the measures of ``events`` on it (see :func:`overlay_operations`)."""
    from parcours.model.apply import apply

    edits = overlay_operations(journey, events, **options)
    if not edits:
        return journey
    return apply(journey, ops.Batch(ops=edits))  # one copy of the map, checked once


__all__ = ["designed_next", "overlay", "overlay_operations"]
