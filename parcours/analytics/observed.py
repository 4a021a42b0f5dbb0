"""What a log shows about the steps of a journey: paths of cases, volumes and times per step.

:func:`observe` is the one run behind ``discover``, ``overlay`` and ``compare``. It labels
each event (by a map ``activity → step id`` when a journey is given, by its own activity
otherwise), then executes on the engine, through the public functions of
:mod:`parcours.analytics.paths`:

- the variants of the labelled table (distinct label sequences and their cases), on which
  every per-case figure (reach, conversion, drop-off, skips, loops, conformance) is
  computed in Python — a variant stands for all its cases;
- per label: events, cases, the median time to the next *other* label (seconds), and
  the most frequent channel and stage when the log has those columns.

Events that observe no step keep their activity as label and are marked unplanned. The
cases of a journey in a log that holds several journeys are the cases with at least one
event that observes one of its steps (:attr:`Observed.cases_with_steps`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import pyarrow as pa
from ibis.expr.types import Table

from parcours.analytics import arrays
from parcours.analytics.engine import Engine, engine_of
from parcours.analytics.paths import PACK, US_PER_S, Steps, steps, variant_keys_of, variants

STEP = "s\x1f"  # label prefix of an event that observes a step
EVENT = "e\x1f"  # label prefix of an event that observes none


class Label(NamedTuple):
    """One label of a path: a step of the journey, or an event observing none (a named
    tuple: compared and hashed at C speed over the many paths of a log)."""

    name: str  # the step id, or the event name
    step: bool


@dataclass(frozen=True)
class LabelStats:
    events: int
    cases: int
    median_seconds: float | None  # to the next event of another label
    channel: str | None = None
    stage: str | None = None


@dataclass(frozen=True)
class Observed:
    """The paths of a log's cases (as variants) and figures per label."""

    variants: list[tuple[tuple[Label, ...], int]]  # raw label sequences and their cases
    stats: dict[Label, LabelStats]
    n_cases: int
    n_events: int
    bound: bool  # labels come from a journey's steps
    activities: dict[str, int] = field(default_factory=dict)  # events per raw activity
    period: str | None = None  # first day/last day of the log (ISO 8601 interval)
    total_value: float | None = None  # sum of the value column, when the log has one

    def cases_with_steps(self) -> list[tuple[tuple[Label, ...], int]]:
        """Variants holding at least one event that observes a step: the journey's cases."""
        if not self.bound:
            return self.variants
        return [(v, n) for v, n in self.variants if any(x.step for x in v)]

    def journey_cases(self) -> int:
        return sum(n for _, n in self.cases_with_steps())


def collapse(path: tuple[Label, ...]) -> tuple[Label, ...]:
    """Consecutive events of one label as one visit (a step observed by several events)."""
    out: list[Label] = []
    for x in path:
        if not out or out[-1] != x:
            out.append(x)
    return tuple(out)


@functools.lru_cache(maxsize=65536)
def _label(value: str) -> Label:
    if value.startswith(STEP):
        return Label(value[len(STEP) :], True)
    return Label(value[len(EVENT) :], False)


def _dominant(events: Table, column: str, eng: Engine) -> dict[str, str]:
    """The most frequent non-empty value of ``column`` per label."""
    t = events.filter(events[column].notnull() & (events[column] != ""))
    counts = eng.to_arrow(t.group_by(["activity", column]).agg(n=t.count())).to_pylist()
    best: dict[str, tuple[int, str]] = {}
    for r in counts:
        value = str(r[column])
        cur = best.get(r["activity"])
        if cur is None or r["n"] > cur[0] or (r["n"] == cur[0] and value < cur[1]):
            best[r["activity"]] = (int(r["n"]), value)
    return {a: v for a, (_, v) in best.items()}


def observe(
    events: Any, step_of: dict[str, str] | None = None, *, engine: Engine | None = None
) -> Observed:
    """Run the log ``events`` (an :class:`EventLog` or an event table) and label its
    events by ``step_of`` (event name → step id; ``None``: every activity is its label)."""
    table: Table = getattr(events, "table", events)
    eng = engine or getattr(events, "engine", None) or engine_of(table)
    caps = replace(eng.capabilities, dictionary_encode=False)
    raw = eng.to_arrow(table.group_by("activity").agg(n=table.count())).to_pylist()
    aggs: dict[str, Any] = {"first": table.timestamp.min(), "last": table.timestamp.max()}
    if "value" in table.columns:
        aggs["value"] = table.value.sum()
    span = arrays.rows(eng.to_arrow(table.aggregate(**aggs)))[0]
    period = (
        f"{span['first']:%Y-%m-%d}/{span['last']:%Y-%m-%d}"
        if span["first"] is not None and span["last"] is not None
        else None
    )
    activities = {r["activity"]: int(r["n"]) for r in raw}
    names = list(activities)
    mapping = step_of or {}
    # each event's label as a small integer code: the engine collects and groups the
    # cases' paths as integer lists (string lists took over 4 GB at 10M events)
    texts: dict[str, int] = {}  # label text → code
    label_codes = [
        texts.setdefault(
            STEP + mapping[a] if a in mapping else (EVENT + a if step_of is not None else STEP + a),
            len(texts),
        )
        for a in names
    ]
    codes = arrays.table(
        {"activity": arrays.strings(names), "label": arrays.numbers(label_codes, pa.int32())}
    )
    decoded = [_label(text) for text in texts]  # code → label
    labels = eng.from_arrow(codes)
    joined = table.join(labels, "activity")
    keep = ["case_id", "timestamp", "position"]
    extra = [c for c in ("channel", "stage") if c in table.columns]
    labelled = joined.select(*keep, *extra, activity=joined.label)
    labelled = eng.cache(labelled) if hasattr(eng, "cache") else labelled
    try:
        s = steps(labelled, caps)
        if len(texts) < PACK:  # codes packed with the step number: sorted integer lists
            keys = variant_keys_of(Steps(s.table, labels, s.ordered_collect))
            found = eng.to_arrow(keys.select(activities=keys.seq, count=keys["count"]))
        else:  # pragma: no cover - over a million distinct labels
            found = eng.to_arrow(variants(labelled, caps))
        t = s.table
        leaving = t.filter(t.next_act.notnull() & (t.next_act != t.act))
        times = {
            r["act"]: r["median"]
            for r in eng.to_arrow(
                leaving.group_by("act").agg(
                    median=(leaving.us_to_next.cast("float64") / US_PER_S).median()
                )
            ).to_pylist()
        }
        per = eng.to_arrow(
            labelled.group_by("activity").agg(
                events=labelled.count(), cases=labelled.case_id.nunique()
            )
        ).to_pylist()
        channels = _dominant(labelled, "channel", eng) if "channel" in extra else {}
        stages = _dominant(labelled, "stage", eng) if "stage" in extra else {}
    finally:
        release = getattr(labelled, "release", None)
        if release is not None:
            release()
    stats = {
        decoded[r["activity"]]: LabelStats(
            events=int(r["events"]),
            cases=int(r["cases"]),
            median_seconds=times.get(r["activity"]),
            channel=channels.get(r["activity"]),
            stage=stages.get(r["activity"]),
        )
        for r in per
    }
    vs = [(tuple(decoded[a] for a in v["activities"]), int(v["count"])) for v in found.to_pylist()]
    vs.sort(key=lambda p: (-p[1], [x.name for x in p[0]]))
    return Observed(
        variants=vs,
        stats=stats,
        n_cases=sum(n for _, n in vs),
        n_events=sum(activities.values()),
        bound=step_of is not None,
        activities=activities,
        period=period,
        total_value=float(span["value"]) if span.get("value") is not None else None,
    )


def step_paths(observed: Observed) -> list[tuple[tuple[str, ...], int]]:
    """The journey's cases as sequences of step visits (unplanned events left out)."""
    out: dict[tuple[str, ...], int] = {}
    for path, n in observed.cases_with_steps():
        seq = tuple(x.name for x in collapse(tuple(x for x in path if x.step)))
        out[seq] = out.get(seq, 0) + n
    return sorted(out.items(), key=lambda p: (-p[1], p[0]))


@dataclass
class Flow:
    """Per step, over the cases: how many reach it, end there, go on to a next step."""

    reach: int = 0
    ended: int = 0
    went_on: int = 0


def flows(
    paths: list[tuple[tuple[str, ...], int]], next_of: dict[str, set[str]]
) -> dict[str, Flow]:
    """Reach, drop-off and conversion counts of every step; a case *goes on* from a step
    when one of ``next_of[step]`` comes later in its path."""
    # counts in plain dicts (no object per visit): this loop runs over every path
    reach: dict[str, int] = {}
    went_on: dict[str, int] = {}
    ended: dict[str, int] = {}
    nexts = {s: tuple(ts) for s, ts in next_of.items() if ts}
    for seq, n in paths:
        if not seq:
            continue
        last = {s: i for i, s in enumerate(seq)}  # the last visit of each step
        seen: set[str] = set()
        for i, s in enumerate(seq):
            if s in seen:
                continue
            seen.add(s)
            reach[s] = reach.get(s, 0) + n
            for t in nexts.get(s, ()):
                if last.get(t, -1) > i:
                    went_on[s] = went_on.get(s, 0) + n
                    break
        ended[seq[-1]] = ended.get(seq[-1], 0) + n
    out: dict[str, Flow] = {}
    for s in {**reach, **ended}:  # first reached, in the order the paths meet them
        out[s] = Flow(reach.get(s, 0), ended.get(s, 0), went_on.get(s, 0))
    return out


def step_map(journey: Any) -> dict[str, str]:
    """``event name → step id`` of a journey, from its steps' ``observed_as``."""
    out: dict[str, str] = {}
    for step in journey.steps():
        for name in step.observed_as:
            out.setdefault(name, step.id)
    return out


__all__ = [
    "Flow",
    "Label",
    "LabelStats",
    "Observed",
    "collapse",
    "flows",
    "observe",
    "step_map",
    "step_paths",
]
