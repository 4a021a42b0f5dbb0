"""The designed journey against the observed one: ``parcours compare``.

:func:`compare_report` binds the steps of a journey to the events of a log through their
``observed_as`` (the journey's cases are those with at least one event observing one of
its steps, see :mod:`parcours.analytics.observed`) and reports, as one
:class:`~parcours.analytics.report.Report` (JSON and tables from the same numbers):

- **conformance**: a case's path is a sequence of moves (from the start to its first
  step or event, then from each to the next, repeated events of one step counted once);
  a move is *designed* when it starts at an entry step or follows a way out of the map
  (``next``, or the following step). A case's conformance is its share of designed
  moves; a case *follows the map* when all its moves are designed;
- **skipped steps**: a move from a step to a later one that the map reaches only through
  other steps skips those (the shortest designed way); per step, the cases that skip it;
- **unplanned events**: events that observe no step of the journey, with their volume and
  cases (within the journey's cases);
- **loops and steps taken backwards**: a move to a step the case has already visited,
  or to an earlier step of the map; ``designed`` when the map has that way;
- **branch shares**: at each step with several designed ways out, the designed share of
  each and the observed one (moves to it among every move out of the step, ends included);
- **repeat contacts and channel switches** (when the log has a ``channel`` column): a
  *contact* is a run of events of a case on one contact channel (``chat`` and ``phone``
  by default) with at most an hour between two of them (a call that opens a ticket and
  promises a callback is one contact); a contact after another one of the same case is a
  *repeat contact*, a *channel switch* when the channel differs (chat → phone). Per pair
  of channels: the repeat contacts (volume) and the cases;
- **emotion gaps** (when measured emotions are given, from verbatims or surveys, see
  :mod:`parcours.analytics.emotions`): per step, the designed emotion (the journey's first
  emotions lane), the measured one with ``n`` and bounds, and the gap (measured less
  designed).

Each unplanned event also names the step most of its occurrences follow (``after``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from itertools import pairwise
from typing import Any

from parcours.analytics.emotions import MeasuredEmotion, emotion_gaps, gap_rows
from parcours.analytics.formatting import Lang
from parcours.analytics.observed import Observed, collapse, observe, step_map
from parcours.analytics.report import Column, Facts, Report, Table, Typed
from parcours.model.journey import Journey

BUCKETS = ((0.0, 0.5), (0.5, 0.8), (0.8, 1.0), (1.0, 1.0))
TOP_VARIANTS = 10
CONTACT_CHANNELS = ("chat", "phone")
CONTACT_GAP_SECONDS = 3600  # events of one channel closer than this: one contact


def repeat_contacts(
    journey: Journey,
    events: Any,
    channels: tuple[str, ...] = CONTACT_CHANNELS,
    n_cases: int | None = None,
) -> dict[str, Any] | None:
    """The repeat contacts of the journey's cases (see the module's docstring); ``None``
    when the log has no ``channel`` column."""
    import pyarrow.compute as pc

    from parcours.analytics.engine import engine_of

    table = getattr(events, "table", events)
    if "channel" not in table.columns:
        return None
    eng = getattr(events, "engine", None) or engine_of(table)
    acts = sorted(step_map(journey))
    cases = table.filter(table.activity.isin(acts)).select("case_id").distinct()
    chosen = table.filter(table.channel.isin(list(channels)))
    chosen = chosen.semi_join(cases, "case_id").select(
        "case_id", "timestamp", "position", "channel"
    )
    rows = eng.to_arrow(chosen)
    order = pc.sort_indices(
        rows, [("case_id", "ascending"), ("timestamp", "ascending"), ("position", "ascending")]
    )
    rows = rows.take(order)
    ids = rows.column("case_id").to_pylist()
    times = rows.column("timestamp").cast("int64").to_pylist()  # microseconds
    chans = rows.column("channel").to_pylist()
    unit = 1_000_000 if str(rows.schema.field("timestamp").type).startswith("timestamp[us") else 1
    gap = CONTACT_GAP_SECONDS * unit
    pairs: dict[tuple[str, str], list[Any]] = {}  # (from, to) → [contacts, set of cases]
    contacts = 0
    with_contact: set[str] = set()
    repeating: set[str] = set()
    last_case, last_channel, last_at = None, None, 0
    for case, at, channel in zip(ids, times, chans, strict=True):
        if case != last_case:
            last_case, last_channel, last_at = case, None, at
        if last_channel == channel and at - last_at <= gap:
            last_at = at
            continue  # the same contact goes on
        contacts += 1
        with_contact.add(case)
        if last_channel is not None:
            acc = pairs.setdefault((last_channel, channel), [0, set()])
            acc[0] += 1
            acc[1].add(case)
            repeating.add(case)
        last_channel, last_at = channel, at
    n = n_cases or 0

    def share(k: int) -> float:
        return round(k / n, 4) if n else 0.0

    return {
        "channels": list(channels),
        "contacts": contacts,
        "cases_with_contacts": len(with_contact),
        "repeat_contacts": sum(v[0] for v in pairs.values()),
        "cases_repeating": len(repeating),
        "share_repeating": share(len(repeating)),
        "pairs": sorted(
            (
                {
                    "from": a,
                    "to": b,
                    "contacts": v[0],
                    "cases": len(v[1]),
                    "share": share(len(v[1])),
                    "switch": a != b,
                }
                for (a, b), v in pairs.items()
            ),
            key=lambda r: (-r["contacts"], r["from"], r["to"]),
        ),
    }


def _shortest(next_of: dict[str, set[str]], a: str, b: str) -> list[str] | None:
    """The steps strictly between ``a`` and ``b`` on a shortest designed way."""
    previous: dict[str, str] = {}
    queue = deque([a])
    seen = {a}
    while queue:
        x = queue.popleft()
        for y in sorted(next_of.get(x, ())):
            if y in seen:
                continue
            previous[y] = x
            if y == b:
                out = []
                while previous[y] != a:
                    y = previous[y]
                    out.append(y)
                return out[::-1]
            seen.add(y)
            queue.append(y)
    return None


def compare(
    journey: Journey,
    events: Any = None,
    *,
    observed: Observed | None = None,
    contact_channels: tuple[str, ...] = CONTACT_CHANNELS,
    emotions: Mapping[str, MeasuredEmotion] | None = None,
) -> dict[str, Any]:
    """The comparison as a JSON-ready dict (see the module's docstring); ``emotions``
    (from :func:`~parcours.analytics.emotions.measured_emotions`) adds the emotion gaps."""
    obs = observed if observed is not None else observe(events, step_map(journey))
    next_of = {sid: {ln.to for ln in links} for sid, links in journey.successor_map().items()}
    entries = set(journey.entry_steps())
    order = {s.id: i for i, s in enumerate(journey.steps())}
    names = {s.id: s.name for s in journey.steps()}
    cases = obs.cases_with_steps()
    n = sum(c for _, c in cases)

    following = 0
    conformances: list[tuple[float, int]] = []
    skipped: dict[str, int] = {}
    unplanned: dict[str, list[int]] = {}  # event → [events, cases]
    after: dict[str, dict[str | None, int]] = {}  # event → last step before it → events
    moves_back: dict[tuple[str, str], int] = {}
    out_moves: dict[str, dict[str | None, int]] = {}
    top: dict[tuple[str, ...], list[Any]] = {}
    shortest: dict[tuple[str, str], list[str] | None] = {}  # shown path → [cases, conformance]
    for path, count in cases:
        seq = collapse(path)
        designed = 0
        for i, x in enumerate(seq):
            if i == 0:
                designed += x.step and x.name in entries
            elif x.step and seq[i - 1].step and x.name in next_of.get(seq[i - 1].name, ()):
                designed += 1
        conformance = designed / len(seq) if seq else 1.0
        conformances.append((conformance, count))
        following += count if conformance == 1.0 else 0
        off_map = {x.name for x in path if not x.step}
        if off_map:  # the unplanned events of the case, and the step each one follows
            last_step: str | None = None
            for x in path:
                if x.step:
                    last_step = x.name
                    continue
                unplanned.setdefault(x.name, [0, 0])[0] += count
                where = after.setdefault(x.name, {})
                where[last_step] = where.get(last_step, 0) + count
            for name in off_map:
                unplanned[name][1] += count
            steps_only = [x.name for x in collapse(tuple(x for x in path if x.step))]
        else:  # every event observes a step: the collapsed path is the steps' path
            steps_only = [x.name for x in seq]
        case_skips: set[str] = set()
        case_back: set[tuple[str, str]] = set()
        visited: set[str] = set()
        for a, b in pairwise(steps_only):
            visited.add(a)
            out_moves.setdefault(a, {})
            out_moves[a][b] = out_moves[a].get(b, 0) + count
            if b in visited or order[b] < order[a]:
                case_back.add((a, b))
            elif b not in next_of.get(a, ()):
                if (a, b) not in shortest:
                    shortest[(a, b)] = _shortest(next_of, a, b)
                between = shortest[(a, b)]
                if between:
                    case_skips.update(between)
        if steps_only:
            last = steps_only[-1]
            out_moves.setdefault(last, {})
            out_moves[last][None] = out_moves[last].get(None, 0) + count
        for s in case_skips:
            skipped[s] = skipped.get(s, 0) + count
        for pair in case_back:
            moves_back[pair] = moves_back.get(pair, 0) + count
        shown = tuple(x.name if x.step else f"({x.name})" for x in seq)
        top.setdefault(shown, [0, round(conformance, 4)])[0] += count

    def share(k: int) -> float:
        return round(k / n, 4) if n else 0.0

    values = sorted(conformances)
    expanded_median = _weighted_median(values)
    mean = sum(c * k for c, k in values) / n if n else None
    buckets = []
    for low, high in BUCKETS:
        k = sum(c for v, c in values if (low == high == v) or (low <= v < high))
        buckets.append({"from": low, "to": high, "cases": k, "share": share(k)})
    branches = []
    for sid, links in journey.successor_map().items():
        if len(links) < 2:
            continue
        outs = out_moves.get(sid, {})
        total = sum(outs.values())
        for link in links:
            k = outs.get(link.to, 0)
            branches.append(
                {
                    "step": sid,
                    "to": link.to,
                    "designed_share": link.share,
                    "observed_share": round(k / total, 4) if total else None,
                    "cases": k,
                }
            )
    return {
        "journey": journey.id,
        "n_log_cases": obs.n_cases,
        "n_cases": n,
        "cases_following": following,
        "share_following": share(following),
        "conformance": {
            "mean": round(mean, 4) if mean is not None else None,
            "median": round(expanded_median, 4) if expanded_median is not None else None,
            "buckets": buckets,
        },
        "skipped_steps": sorted(
            (
                {"step": s, "name": names[s], "cases": k, "share": share(k)}
                for s, k in skipped.items()
            ),
            key=lambda r: (-r["cases"], r["step"]),
        ),
        "unplanned_events": sorted(
            (
                {
                    "event": e,
                    "events": v[0],
                    "cases": v[1],
                    "share": share(v[1]),
                    "after": _most(after[e], order),
                }
                for e, v in unplanned.items()
            ),
            key=lambda r: (-r["events"], r["event"]),
        ),
        "loops": sorted(
            (
                {
                    "from": a,
                    "to": b,
                    "cases": k,
                    "share": share(k),
                    "designed": b in next_of.get(a, ()),
                }
                for (a, b), k in moves_back.items()
            ),
            key=lambda r: (-r["cases"], r["from"], r["to"]),
        ),
        "branches": branches,
        "variants": [
            {"path": list(p), "cases": k, "conformance": c}
            for p, (k, c) in sorted(top.items(), key=lambda t: (-t[1][0], t[0]))[:TOP_VARIANTS]
        ],
        "repeat_contacts": (
            repeat_contacts(journey, events, contact_channels, n) if events is not None else None
        ),
        "emotion_gaps": emotion_gaps(journey, emotions) if emotions is not None else None,
    }


def _most(counts: dict[str | None, int], order: dict[str, int]) -> str | None:
    """The step most of an unplanned event's occurrences follow (``None``: before any
    step); ties go to the earlier step of the map."""
    return min(counts, key=lambda s: (-counts[s], -1 if s is None else order.get(s, 0)))


def _weighted_median(values: list[tuple[float, int]]) -> float | None:
    total = sum(c for _, c in values)
    if not total:
        return None
    half, seen = total / 2, 0
    for v, c in values:
        seen += c
        if seen >= half:
            return v
    return values[-1][0]  # pragma: no cover


def compare_report(journey: Journey, events: Any = None, **options: Any) -> Report:
    """The comparison as a report: JSON and tables from one structure."""
    data = compare(journey, events, **options)
    conf = data["conformance"]
    views: list[Any] = [
        Facts(
            "cmp_summary",
            (
                ("cmp_log_cases", data["n_log_cases"], "count"),
                ("cmp_cases", data["n_cases"], "count"),
                ("cmp_following", data["cases_following"], "count"),
                ("cmp_share_following", data["share_following"], "share"),
                ("cmp_mean", conf["mean"], "share"),
                ("cmp_median", conf["median"], "share"),
            ),
            args={"journey": Typed(data["journey"], "text")},
        ),
        Table(
            "cmp_buckets",
            (
                Column("cmp_from", "share"),
                Column("cmp_to", "share"),
                Column("cases", "count"),
                Column("cmp_share", "share"),
            ),
            tuple((b["from"], b["to"], b["cases"], b["share"]) for b in conf["buckets"]),
        ),
        Table(
            "cmp_skipped",
            (Column("cmp_step"), Column("cases", "count"), Column("cmp_share", "share")),
            tuple((r["step"], r["cases"], r["share"]) for r in data["skipped_steps"]),
        ),
        Table(
            "cmp_unplanned",
            (
                Column("cmp_event"),
                Column("n_events", "count"),
                Column("cases", "count"),
                Column("cmp_share", "share"),
                Column("cmp_after"),
            ),
            tuple(
                (r["event"], r["events"], r["cases"], r["share"], r["after"] or "")
                for r in data["unplanned_events"]
            ),
        ),
        Table(
            "cmp_loops",
            (
                Column("from"),
                Column("to"),
                Column("cases", "count"),
                Column("cmp_share", "share"),
                Column("cmp_designed", "word"),
            ),
            tuple(
                (r["from"], r["to"], r["cases"], r["share"], "yes" if r["designed"] else "no")
                for r in data["loops"]
            ),
        ),
        Table(
            "cmp_branches",
            (
                Column("cmp_step"),
                Column("to"),
                Column("cmp_designed_share", "share"),
                Column("cmp_observed_share", "share"),
                Column("cases", "count"),
            ),
            tuple(
                (r["step"], r["to"], r["designed_share"], r["observed_share"], r["cases"])
                for r in data["branches"]
            ),
        ),
        Table(
            "cmp_variants",
            (Column("path", "path"), Column("cases", "count"), Column("cmp_conformance", "share")),
            tuple((tuple(r["path"]), r["cases"], r["conformance"]) for r in data["variants"]),
        ),
    ]
    repeats = data.get("repeat_contacts")
    if repeats is not None:
        views.append(
            Table(
                "cmp_repeats",
                (
                    Column("cmp_from"),
                    Column("to"),
                    Column("cmp_contacts", "count"),
                    Column("cases", "count"),
                    Column("cmp_share", "share"),
                    Column("cmp_switch", "word"),
                ),
                tuple(
                    (
                        r["from"],
                        r["to"],
                        r["contacts"],
                        r["cases"],
                        r["share"],
                        "yes" if r["switch"] else "no",
                    )
                    for r in repeats["pairs"]
                ),
                args={"channels": Typed(", ".join(repeats["channels"]), "text")},
            )
        )
    gaps = data.get("emotion_gaps")
    if gaps is not None:
        views.append(
            Table(
                "cmp_emotions",
                (
                    Column("cmp_step"),
                    Column("cmp_designed_emotion", "number"),
                    Column("cmp_measured_emotion", "number"),
                    Column("cmp_low", "number"),
                    Column("cmp_high", "number"),
                    Column("cmp_n", "count"),
                    Column("cmp_gap", "number"),
                ),
                gap_rows(gaps),
            )
        )
    return Report("compare", data, tuple(views), lang=journey.language())  # type: ignore[arg-type]


def render_markdown(report: Report, lang: Lang = "en") -> str:
    """The tables of ``report`` as Markdown (the same values as the text tables)."""
    from parcours.analytics.report import Matrix, show, title, word
    from parcours.escape.markdown import cell as md_cell

    out: list[str] = []
    for v in report.views:
        out.append(f"## {md_cell(title(v.key, v.args, lang))}\n")
        if isinstance(v, Facts):
            out.append("| | |\n| --- | ---: |")
            for key, value, kind in v.items:
                out.append(f"| {md_cell(word(key, lang))} | {md_cell(show(value, kind, lang))} |")
        elif isinstance(v, Matrix):  # pragma: no cover - compare has none
            continue
        else:
            out.append("| " + " | ".join(md_cell(word(c.key, lang)) for c in v.columns) + " |")
            out.append(
                "| "
                + " | ".join("---" if c.kind in ("text", "path") else "---:" for c in v.columns)
                + " |"
            )
            for row in v.rows:
                cells = (
                    md_cell(show(x, c.kind, lang)) for x, c in zip(row, v.columns, strict=True)
                )
                out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


__all__ = ["compare", "compare_report", "render_markdown"]
