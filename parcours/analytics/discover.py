"""A journey map built from an event log: ``parcours discover``.

:func:`discover` returns an editable :class:`~parcours.model.journey.Journey` (evidence
``data-driven``):

- **steps**: the activities of the most frequent variants, taken in order of frequency
  until they cover ``coverage`` of the cases; one step per activity, with
  ``observed_as: [activity]``;
- **order**: by precedence — a step comes before another when more cases meet it first
  (the order of wins in these pairwise duels, ties by the mean position);
- **stages**: the stage column of the log when it has one (each step in its most frequent
  stage), else inferred: a new stage begins after a step whose median time to the next
  step is an hour or more;
- **flow**: a step's ways out where the data has several (branches) or goes back (loops),
  each with its observed share, when it is at least ``min_share``; the entries are the
  steps that start at least ``min_share`` of the cases; a step where at least 90 % of
  its cases end is an end (``end: true``), where no drop-off is counted;
- **touchpoints and channels**: the most frequent channel of each step's events;
- a **metrics** lane (volume, reach, conversion to the next step, drop-off, median time);
- suggested **pain points** where the drop-off is high (at least ``pain_drop_off`` and
  above the median drop-off of the steps), each with an **opportunity** sized: what
  lowering that drop-off by ``points`` points is worth in cases going on, conversions
  (cases reaching the last step) and value (when the log has a value column);
- with verbatims or surveys, the **measured emotion** of each step (in the metrics lane,
  see :mod:`parcours.analytics.emotions`) and suggested **moments of truth**: a step whose
  measured emotion swings by at least ``swing`` from the step before it, with high traffic
  (reach at least the median) or high loss (drop-off at least ``pain_drop_off``); the
  reason is a card of the notes lane ``moments``.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Any

import numpy as np

from parcours.analytics.emotions import MeasuredEmotion, emotion_metric, measured_emotions
from parcours.analytics.formatting import Lang, number
from parcours.analytics.measures import label, step_metrics
from parcours.analytics.observed import Flow, Observed, collapse, flows, observe
from parcours.errors import BadData
from parcours.model.base import slugify, unique_id
from parcours.model.items import (
    Card,
    LaneKind,
    MetricKey,
    Opportunity,
    PainPoint,
    Priority,
    Severity,
)
from parcours.model.journey import Evidence, Journey, Lane, Link, Stage, Step
from parcours.model.library import Channel, Library, Touchpoint

HOUR = 3600.0
SWING = 1.0  # a change of measured emotion this large (on −2 … +2) marks a moment of truth
END_SHARE = 0.9  # a step where this share of the cases end is an end of the journey

TEXTS = {
    "en": {
        "title": "Observed journey",
        "stage": "Stage {n}",
        "description": "Discovered from {source}: {cases} cases, {events} events, "
        "{steps} steps covering {coverage} of the cases.",
        "pain": "{share} of the cases that reach this step end here",
        "evidence": "{ended} of {reach} cases, {period}",
        "opportunity": "Lower the drop-off by {points} points: about {more} more cases go on"
        "{conversions}{value}",
        "conversions": ", {n} more reach the last step",
        "value": ", worth about {value}",
        "metrics": "Metrics",
        "moments": "Suggested moments of truth",
        "moment": "Suggested moment of truth: the measured emotion swings from {before} "
        "(“{step}”) to {after} here (n = {n}); {reach} cases reach this step and {loss} of "
        "them end here",
    },
    "fr": {
        "title": "Parcours observé",
        "stage": "Phase {n}",
        "description": "Découvert à partir de {source} : {cases} parcours, {events} "
        "événements, {steps} étapes couvrant {coverage} des parcours.",
        "pain": "{share} des parcours qui atteignent cette étape s'y arrêtent",
        "evidence": "{ended} parcours sur {reach}, {period}",
        "opportunity": "Baisser l'abandon de {points} points : environ {more} parcours de "
        "plus continuent{conversions}{value}",
        "conversions": ", dont {n} de plus atteignent la dernière étape",
        "value": ", soit environ {value}",
        "metrics": "Mesures",
        "moments": "Moments de vérité suggérés",
        "moment": "Moment de vérité suggéré : l'émotion mesurée passe de {before} "
        "(« {step} ») à {after} ici (n = {n}) ; {reach} parcours atteignent cette étape et "
        "{loss} d'entre eux s'y arrêtent",
    },
}


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %"


def choose_activities(observed: Observed, coverage: float) -> tuple[list[str], float]:
    """The activities of the most frequent variants covering ``coverage`` of the cases,
    and the share of cases those variants cover."""
    if not 0 < coverage <= 1:
        raise BadData(f"coverage {coverage} is out of range; give a share from 0 (excluded) to 1")
    chosen: dict[str, None] = {}
    covered = 0
    for path, n in observed.variants:
        if observed.n_cases and covered / observed.n_cases >= coverage:
            break
        covered += n
        for x in path:
            chosen.setdefault(x.name)
    return list(chosen), (covered / observed.n_cases if observed.n_cases else 0.0)


def order_by_precedence(
    paths: Iterable[tuple[tuple[str, ...], int]], names: list[str]
) -> list[str]:
    """``names`` ordered by pairwise precedence in the cases."""
    index = {a: i for i, a in enumerate(names)}
    k = len(names)
    pos_sum = [0.0] * k
    pos_n = [0] * k
    # the pairwise counts on numpy: each path's activities in order of first visit, grouped
    # by their number, every ordered pair (earlier, later) weighted by the path's cases
    by_len: dict[int, tuple[list[list[int]], list[int]]] = {}
    for seq, n in paths:
        first: dict[int, int] = {}
        for i, a in enumerate(seq):
            j = index.get(a)
            if j is not None and j not in first:
                first[j] = i
        items = list(first.items())  # in order of first visit
        length = max(len(seq) - 1, 1)
        for x, i in items:
            pos_sum[x] += n * i / length
            pos_n[x] += n
        if len(items) > 1:
            rows, weights = by_len.setdefault(len(items), ([], []))
            rows.append([x for x, _ in items])
            weights.append(n)
    before = _precedence_counts(by_len, k)
    mean = [pos_sum[a] / pos_n[a] if pos_n[a] else 1.0 for a in range(k)]
    # greedy: next comes the activity that the remaining ones precede the least (the cases
    # where one comes first, less those where it comes after), ties by the mean position
    left = set(range(k))
    # penalty[x]: how much the remaining activities precede x, kept up to date as they go
    penalty = [
        sum(max(0, before[y][x] - before[x][y]) for y in range(k) if y != x) for x in range(k)
    ]
    out: list[str] = []
    while left:
        best = min(left, key=lambda x: (penalty[x], mean[x], names[x]))
        left.remove(best)
        out.append(names[best])
        for x in left:
            penalty[x] -= max(0, before[best][x] - before[x][best])
    return out


def discover(
    events: Any,
    *,
    coverage: float = 0.8,
    lang: str = "en",
    title: str | None = None,
    source: str | None = None,
    min_share: float = 0.05,
    pain_drop_off: float = 0.2,
    points: float = 10.0,
    observed: Observed | None = None,
    verbatims: Sequence[Any] = (),
    surveys: Mapping[str, Any] | None = None,
    swing: float = SWING,
) -> Journey:
    """A data-driven journey map of the log ``events`` (see the module's docstring);
    ``verbatims`` and ``surveys`` (as for :func:`~parcours.analytics.overlay.overlay`, their
    step column naming an event of the log) give the measured emotions."""
    words: Lang = "fr" if lang == "fr" else "en"
    lang = words
    t = TEXTS[lang]
    obs = observed or observe(events)
    if not obs.variants:
        raise BadData(f"{source or 'the log'}: no events to discover a journey from")
    chosen, covered = choose_activities(obs, coverage)
    keep = set(chosen)
    paths: dict[tuple[str, ...], int] = {}
    for path, n in obs.variants:
        seq = tuple(x.name for x in collapse(tuple(x for x in path if x.name in keep)))
        paths[seq] = paths.get(seq, 0) + n
    pairs = sorted(paths.items(), key=lambda p: (-p[1], p[0]))
    order = order_by_precedence(pairs, chosen)
    position = {a: i for i, a in enumerate(order)}

    # ids, stats
    taken: set[str] = set()
    ids: dict[str, str] = {}
    for a in order:
        ids[a] = unique_id(slugify(a, fallback="step"), taken)
        taken.add(ids[a])
    stats = {x.name: s for x, s in obs.stats.items()}

    # transitions between kept steps
    moves: dict[str, dict[str, int]] = {a: {} for a in order}
    starts: dict[str, int] = {}
    ends: dict[str, int] = {}
    for seq, n in pairs:
        if not seq:
            continue
        starts[seq[0]] = starts.get(seq[0], 0) + n
        ends[seq[-1]] = ends.get(seq[-1], 0) + n
        for a, b in pairwise(seq):
            moves[a][b] = moves[a].get(b, 0) + n
    total = sum(n for _, n in pairs)

    # stages
    groups: list[tuple[str, list[str]]] = []
    if any(stats.get(a) and stats[a].stage for a in order):
        for a in order:
            name = (stats[a].stage if a in stats else None) or t["stage"].format(n=1)
            if groups and groups[-1][0] == name:
                groups[-1][1].append(a)
            else:
                groups.append((name, [a]))
    else:
        current: list[str] = []
        for a in order:
            current.append(a)
            gap = stats[a].median_seconds if a in stats else None
            if gap is not None and gap >= HOUR and a != order[-1]:
                groups.append((t["stage"].format(n=len(groups) + 1), current))
                current = []
        if current:
            groups.append((t["stage"].format(n=len(groups) + 1), current))

    # channels and touchpoints
    channels: dict[str, Channel] = {}
    touchpoints: dict[str, Touchpoint] = {}
    for a in order:
        ch = stats[a].channel if a in stats else None
        if ch:
            cid = slugify(ch, fallback="channel")
            channels.setdefault(cid, Channel(id=cid, name=ch))
            touchpoints.setdefault(cid, Touchpoint(id=cid, name=ch, channel=cid))

    # flow: next links where the data branches or goes back
    next_of: dict[str, set[str]] = {}
    step_next: dict[str, list[Link] | None] = {}
    step_end: set[str] = set()
    for i, a in enumerate(order):
        out = moves[a]
        leaving = sum(out.values()) + ends.get(a, 0)
        strong = [
            (b, c) for b, c in sorted(out.items(), key=lambda p: (-p[1], position[p[0]]))
            if b != a and leaving and c / leaving >= min_share
        ]  # fmt: skip
        implicit = order[i + 1] if i + 1 < len(order) else None
        simple = not strong or (len(strong) == 1 and strong[0][0] == implicit)
        if leaving and ends.get(a, 0) / leaving >= END_SHARE and not strong:
            step_next[a] = None  # where (nearly) every case ends: an end, not a drop-off
            next_of[a] = set()
            step_end.add(a)
        elif simple:
            step_next[a] = None
            next_of[a] = {b for b, _ in strong} | ({implicit} if implicit else set())
        else:
            links = [Link(to=ids[b], share=round(c / leaving, 3)) for b, c in strong]
            if (
                implicit is not None
                and implicit not in {b for b, _ in strong}
                and out.get(implicit)
            ):
                links.append(Link(to=ids[implicit]))
            step_next[a] = links
            next_of[a] = {b for b, _ in strong}
            if implicit is not None and out.get(implicit):
                next_of[a].add(implicit)
    entries = [a for a in order if total and starts.get(a, 0) / total >= min_share]

    # metrics, pain points, opportunities
    case_paths = pairs
    fl = flows(case_paths, next_of)
    metrics: dict[str, list[Any]] = {}
    drop: dict[str, float] = {}
    for a in order:
        has_next = bool(next_of[a])
        items = step_metrics(
            stats.get(a),
            fl.get(a),
            has_next=has_next,
            lang=lang,
            period=obs.period,
            source=None,  # said once, in the description
        )
        if items:
            metrics[ids[a]] = items
        f = fl.get(a)
        if f and f.reach and has_next:
            drop[a] = f.ended / f.reach
    usual = statistics.median(drop.values()) if drop else 0.0
    last = order[-1]
    reach_last = fl[last].reach if last in fl else 0
    pains: dict[str, list[Any]] = {}
    opportunities: dict[str, list[Any]] = {}
    for a, d in drop.items():
        if d < pain_drop_off or d <= usual:
            continue
        f = fl[a]
        severity = Severity.rupture if d >= 0.4 else Severity.blocker
        pains[ids[a]] = [
            PainPoint(
                text=t["pain"].format(share=_pct(d)),
                severity=severity,
                evidence=t["evidence"]
                .format(ended=f.ended, reach=f.reach, period=obs.period or "")
                .rstrip(", "),
            )
        ]
        more = min(points / 100, d) * f.reach
        went_on = f.went_on or 1
        conv_rate = _reach_after(case_paths, a, last) / went_on if f.went_on else 0.0
        conversions = more * conv_rate
        value = None
        if obs.total_value and reach_last:
            value = conversions * obs.total_value / reach_last
        text = t["opportunity"].format(
            points=f"{points:g}",
            more=f"{more:.0f}",
            conversions=t["conversions"].format(n=f"{conversions:.0f}") if conv_rate else "",
            value=t["value"].format(value=f"{value:,.0f}".replace(",", " ")) if value else "",
        )
        opportunities[ids[a]] = [
            Opportunity(
                text=text,
                priority=Priority.high if d >= 0.4 else Priority.medium,
                value=round(value, 2) if value else None,
            )
        ]

    # measured emotions and the moments of truth they suggest
    by_key = {a.casefold(): ids[a] for a in order} | {ids[a].casefold(): ids[a] for a in order}
    emotions = measured_emotions(
        verbatims, surveys, step_of=lambda v: by_key.get(str(v).strip().casefold())
    )
    for a in order:
        if ids[a] in emotions:
            metrics.setdefault(ids[a], []).append(
                emotion_metric(emotions[ids[a]], label(MetricKey.emotion, lang))
            )
    moments = suggest_moments(order, ids, fl, drop, emotions, t, swing, pain_drop_off, words)

    stages = []
    stage_ids: set[str] = set()
    for name, members in groups:
        sid = unique_id(slugify(name, fallback="stage"), stage_ids)
        stage_ids.add(sid)
        steps = []
        for a in members:
            ch = stats[a].channel if a in stats else None
            steps.append(
                Step(
                    id=ids[a],
                    name=a,
                    observed_as=[a],
                    touchpoints=[slugify(ch, fallback="channel")] if ch else [],
                    next=step_next[a],
                    end=a in step_end and a != order[-1],
                    moment_of_truth=ids[a] in moments,
                )
            )
        stages.append(Stage(id=sid, name=name, steps=steps))

    lanes = [
        Lane(id="touchpoints", kind=LaneKind.touchpoints),
        Lane(id="metrics", kind=LaneKind.metrics, title=t["metrics"]),
    ]
    cells: dict[str, dict[str, list[Any]]] = {"metrics": metrics}
    if pains:
        lanes.append(Lane(id="pain_points", kind=LaneKind.pain_points))
        cells["pain_points"] = pains
    if opportunities:
        lanes.append(Lane(id="opportunities", kind=LaneKind.opportunities))
        cells["opportunities"] = opportunities
    if moments:
        lanes.append(Lane(id="moments", kind=LaneKind.notes, title=t["moments"]))
        cells["moments"] = {sid: [Card(text=text)] for sid, text in moments.items()}
    description = t["description"].format(
        source=source or "the log",
        cases=obs.n_cases,
        events=obs.n_events,
        steps=len(order),
        coverage=_pct(covered),
    )
    return Journey(
        id=slugify(title or t["title"], fallback="journey"),
        title=title or t["title"],
        lang=lang,
        description=description,
        evidence=Evidence.data_driven,
        entries=[ids[a] for a in entries] if entries != order[:1] else [],
        stages=stages,
        lanes=lanes,
        cells=cells,
        library=Library(channels=list(channels.values()), touchpoints=list(touchpoints.values())),
    )


def suggest_moments(
    order: list[str],
    ids: dict[str, str],
    fl: dict[str, Flow],
    drop: dict[str, float],
    emotions: Mapping[str, MeasuredEmotion],
    t: dict[str, str],
    swing: float = SWING,
    pain_drop_off: float = 0.2,
    lang: Lang = "en",
) -> dict[str, str]:
    """Step id → why it is suggested as a moment of truth: its measured emotion differs
    by at least ``swing`` from the one of the step before it (in the map's order, among
    the steps measured) and it has high traffic (a reach at least the steps' median) or
    a high loss (a drop-off of at least ``pain_drop_off``)."""
    reaches = [fl[a].reach for a in order if a in fl]
    usual = statistics.median(reaches) if reaches else 0
    out: dict[str, str] = {}
    before: str | None = None
    for a in order:
        m = emotions.get(ids[a])
        if m is None:
            continue
        prev = emotions[ids[before]] if before is not None else None
        f = fl.get(a)
        if prev is not None and f is not None and abs(m.value - prev.value) >= swing:
            loss = drop.get(a, 0.0)
            if f.reach >= usual or loss >= pain_drop_off:
                out[ids[a]] = t["moment"].format(
                    before=_signed(prev.value, lang),
                    step=before,
                    after=_signed(m.value, lang),
                    n=m.n,
                    reach=f.reach,
                    loss=_pct(loss),
                )
        before = a
    return out


def _signed(value: float, lang: Lang) -> str:
    """``-1.88`` → ``−1.88`` (``−1,88`` in French), ``+0.40``."""
    sign = "−" if value < 0 else "+" if value > 0 else ""
    return sign + number(abs(value), lang)


def _precedence_counts(
    by_len: dict[int, tuple[list[list[int]], list[int]]], k: int, chunk: int = 1 << 21
) -> list[list[int]]:
    """``before[x][y]``: the cases whose path meets ``x`` before ``y`` (first visits), from
    the paths' activity indices grouped by length; a bounded number of pairs at a time."""
    total = np.zeros(k * k, dtype=np.int64)
    for size, (rows, weights) in by_len.items():
        iu, ju = np.triu_indices(size, 1)
        step = max(1, chunk // len(iu))
        for start in range(0, len(rows), step):
            block = np.asarray(rows[start : start + step], dtype=np.int64)
            w = np.asarray(weights[start : start + step], dtype=np.int64)
            keys = (block[:, iu] * k + block[:, ju]).ravel()
            wts = np.broadcast_to(w[:, None], (len(w), len(iu))).ravel()
            # integer sums: counts are exact (float64 bins hold integers up to 2**53)
            total += np.rint(np.bincount(keys, weights=wts, minlength=k * k)).astype(np.int64)
    return [[int(v) for v in row] for row in total.reshape(k, k)]


def _reach_after(paths: list[tuple[tuple[str, ...], int]], a: str, last: str) -> int:
    """Cases that reach ``last`` after ``a``."""
    total = 0
    for seq, n in paths:
        if a in seq and last in seq[seq.index(a) + 1 :]:
            total += n
    return total


__all__ = ["choose_activities", "discover", "order_by_precedence"]
