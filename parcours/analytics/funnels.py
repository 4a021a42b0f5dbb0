"""Funnels over ordered stages, as lazy Ibis expressions.

A funnel is a list of stages; each stage is a set of activities (any of them enters the
stage). A case enters the funnel at an event of stage 1 and reaches stage ``i + 1`` at
an event of stage ``i + 1`` that

* in ``eventually`` mode comes anywhere after the event that reached stage ``i``;
* in ``strict`` mode is the very next event of the case;

and, with a conversion ``window``, happens at most ``window`` after the entry event.

Every stage-1 event starts an attempt; an attempt takes, at each stage, the earliest
qualifying event (which can only help later stages). A case counts once, with its best
attempt: the deepest, and among equally deep attempts the earliest. Events are ordered
by (case, timestamp, source position).

* :func:`funnel_cases` — one row per case that entered: depth and seconds from entry to
  each stage;
* :func:`funnel` — one row per stage: cases, conversion, drop-off, median time;
* :func:`time_to_convert` — the distribution of seconds from entry to the last stage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

import ibis
import ibis.expr.types as ir

from parcours.errors import BadData

MODES = ("eventually", "strict")
MAX_STAGES = 100  # each stage is a join: the query grows with them
PERCENTILES = (0.25, 0.5, 0.75, 0.9, 0.95)

Stages = Sequence[frozenset[str]]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_stages(spec: str) -> list[frozenset[str]]:
    """``"A|B,C,D"`` → ``[{A, B}, {C}, {D}]``: ``,`` separates stages, ``|`` alternatives."""
    stages = []
    for n, part in enumerate(spec.split(","), start=1):
        acts = frozenset(a.strip() for a in part.split("|") if a.strip())
        if not acts:
            raise BadData(
                f"stage {n} of {spec!r} is empty; write stages as 'A|B,C,D' (',' between stages, '|' between alternatives)"
            )
        stages.append(acts)
    if not stages:
        raise BadData("a funnel needs at least one stage, e.g. --stages 'visit,signup,purchase'")
    if len(stages) > MAX_STAGES:
        raise BadData(
            f"{len(stages):,} stages given; a funnel has at most {MAX_STAGES}: "
            "group activities into stages with '|'"
        )
    return stages


def parse_duration(text: str) -> timedelta:
    """``"7d"``, ``"12h"``, ``"30m"``, ``"45s"``, ``"2w"`` (or plain seconds) → timedelta."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", text.lower())
    if not m:
        raise BadData(
            f"bad duration {text!r}; write a number and a unit among s, m, h, d, w, e.g. 7d or 12h"
        )
    seconds = float(m.group(1)) * _UNITS[m.group(2) or "s"]
    if seconds <= 0:
        raise BadData(f"duration {text!r} must be positive, e.g. 7d")
    if seconds > 100 * 366 * 86400:  # no window of a journey lasts a century
        raise BadData(f"duration {text[:40]!r} is over 100 years; give a window such as 7d or 52w")
    return timedelta(seconds=seconds)


def stage_label(stage: frozenset[str]) -> str:
    return "|".join(sorted(stage))


def seconds_between(later: ir.TimestampValue, earlier: ir.TimestampValue) -> ir.FloatingValue:
    """``later - earlier`` in seconds (microsecond precision)."""
    return later.delta(earlier, unit="microsecond").cast("float64") / 1e6


def _check(events: ir.Table, stages: Stages, mode: str) -> None:
    if mode not in MODES:
        raise BadData(f"unknown funnel mode {mode!r}; expected one of: {', '.join(MODES)}")
    if not stages:
        raise BadData("a funnel needs at least one stage")
    missing = {"case_id", "activity", "timestamp", "position"} - set(events.columns)
    if missing:
        raise BadData(f"the event table lacks the columns {', '.join(sorted(missing))}")


def funnel_attempts(
    events: ir.Table,
    stages: Stages,
    *,
    mode: str = "eventually",
    window: timedelta | None = None,
) -> ir.Table:
    """One row per attempt (stage-1 event): ``case_id``, ``start``, ``depth``, ``t1…tn``."""
    _check(events, stages, mode)
    w = ibis.window(group_by=events.case_id, order_by=[events.timestamp, events.position])
    ev = events.select("case_id", "activity", "timestamp", _ord=ibis.row_number().over(w))
    first = ev.filter(ev.activity.isin(sorted(stages[0])))
    prev = first.select("case_id", start=first._ord, t1=first.timestamp, o=first._ord)
    parts = [prev.select("case_id", "start", stage=ibis.literal(1, type="int64"), t=prev.t1)]
    span = ibis.interval(seconds=int(window.total_seconds())) if window is not None else None
    for i, stage in enumerate(stages[1:], start=2):
        m = ev.filter(ev.activity.isin(sorted(stage))).select(
            _cid=ev.case_id, _mo=ev._ord, _mt=ev.timestamp
        )
        pred = [
            prev.case_id == m._cid,
            (m._mo == prev.o + 1) if mode == "strict" else (m._mo > prev.o),
        ]
        if span is not None:
            pred.append(m._mt <= prev.t1 + span)
        joined = prev.join(m, pred)
        # the earliest qualifying event (its timestamp is the smallest too: events are
        # numbered in timestamp order); t1 is constant within an attempt
        prev = joined.group_by("case_id", "start").agg(
            t1=joined.t1.min(), o=joined._mo.min(), t=joined._mt.min()
        )
        parts.append(prev.select("case_id", "start", stage=ibis.literal(i, type="int64"), t=prev.t))
        prev = prev.select("case_id", "start", "t1", "o")
    allp = ibis.union(*parts)
    times = {f"t{i}": allp.t.max(where=allp.stage == i) for i in range(1, len(stages) + 1)}
    return allp.group_by("case_id", "start").agg(depth=allp.stage.max(), **times)


def funnel_cases(
    events: ir.Table,
    stages: Stages,
    *,
    mode: str = "eventually",
    window: timedelta | None = None,
) -> ir.Table:
    """One row per case that entered: ``case_id``, ``depth`` (stages reached), ``entered_at``
    and ``seconds_to_stage_i`` (from entry) for every stage ``i >= 2`` (null if not reached)."""
    att = funnel_attempts(events, stages, mode=mode, window=window)
    w = ibis.window(group_by=att.case_id, order_by=[ibis.desc(att.depth), att.start])
    best = att.mutate(_rank=ibis.row_number().over(w))
    best = best.filter(best._rank == 0)
    cols = {
        f"seconds_to_stage_{i}": seconds_between(best[f"t{i}"], best.t1)
        for i in range(2, len(stages) + 1)
    }
    return best.select("case_id", "depth", entered_at=best.t1, **cols)


def funnel(
    events: ir.Table,
    stages: Stages,
    *,
    mode: str = "eventually",
    window: timedelta | None = None,
    cases: ir.Table | None = None,
) -> ir.Table:
    """One row per stage, ordered: ``stage`` (1-based), ``activities`` (``A|B``), ``cases``
    reaching it, ``previous`` (cases at the stage before; all cases of the log for stage
    1), ``conversion_from_previous``, ``conversion_from_start`` (over stage 1),
    ``drop_off`` (cases lost since the stage before), ``drop_off_rate`` and
    ``median_seconds_from_entry``.

    ``cases``: the :func:`funnel_cases` of the same arguments, when already computed
    (e.g. cached by the caller)."""
    if cases is None:
        cases = funnel_cases(events, stages, mode=mode, window=window)
    n = len(stages)
    aggs: dict[str, ir.Value] = {}
    for i in range(1, n + 1):
        aggs[f"n{i}"] = (cases.depth >= i).cast("int64").sum().fill_null(0)
        if i > 1:
            aggs[f"m{i}"] = cases[f"seconds_to_stage_{i}"].quantile(0.5)
    row = cases.agg(**aggs).cross_join(events.agg(_total=events.case_id.nunique()))
    # one row → one row per stage, through an array of structs (one scan of ``row``)
    per_stage = []
    for i, stage in enumerate(stages, start=1):
        before = row._total if i == 1 else row[f"n{i - 1}"]
        per_stage.append(
            ibis.struct(
                {
                    "stage": ibis.literal(i, type="int64"),
                    "activities": ibis.literal(stage_label(stage), type="string"),
                    "cases": row[f"n{i}"].cast("int64"),
                    "previous": before.cast("int64"),
                    "first": row.n1.cast("int64"),
                    "median": (
                        ibis.literal(0.0, type="float64")
                        if i == 1
                        else row[f"m{i}"].cast("float64")
                    ),
                }
            )
        )
    u = row.select(_s=ibis.array(per_stage)).unnest("_s")
    t = u.select(
        stage=u._s["stage"],
        activities=u._s["activities"],
        cases=u._s["cases"],
        previous=u._s["previous"],
        _first=u._s["first"],
        median_seconds_from_entry=u._s["median"],
    )
    ratio = (t.cases.cast("float64") / t.previous.nullif(0)).fill_null(0.0)
    return t.select(
        "stage",
        "activities",
        "cases",
        "previous",
        conversion_from_previous=ratio,
        conversion_from_start=(t.cases.cast("float64") / t._first.nullif(0)).fill_null(0.0),
        drop_off=t.previous - t.cases,
        drop_off_rate=(1.0 - ratio),
        median_seconds_from_entry=t.median_seconds_from_entry,
    ).order_by("stage")


def time_to_convert(
    events: ir.Table,
    stages: Stages,
    *,
    mode: str = "eventually",
    window: timedelta | None = None,
    cases: ir.Table | None = None,
) -> ir.Table:
    """One row: ``count``, ``mean``, ``min``, ``p25``, ``p50``, ``p75``, ``p90``, ``p95``,
    ``max`` of the seconds from entry to the last stage, over converting cases.
    ``cases``: as for :func:`funnel`."""
    if cases is None:
        cases = funnel_cases(events, stages, mode=mode, window=window)
    n = len(stages)
    if n == 1:
        secs = ibis.literal(0.0, type="float64")
        done = cases
    else:
        done = cases.filter(cases.depth == n)
        secs = done[f"seconds_to_stage_{n}"]
    done = done.mutate(_s=secs)
    aggs: dict[str, ir.Value] = {
        "count": done._s.count(),
        # integer microseconds add up exactly: the same mean whatever the summing order
        "mean": (done._s * 1e6).round().cast("int64").sum().cast("float64")
        / done._s.count().nullif(0).cast("float64")
        / 1e6,
        "min": done._s.min().cast("float64"),
    }
    for q in PERCENTILES:
        aggs[f"p{round(q * 100)}"] = done._s.quantile(q)
    aggs["max"] = done._s.max().cast("float64")
    return done.agg(**aggs)
