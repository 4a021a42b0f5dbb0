"""Paths through a journey: directly-follows graph, start and end, variants, case lengths.

Every function takes the standard event table (see :mod:`parcours.analytics.sources`)
and returns a lazy Ibis table; nothing runs until the caller executes it. Events are
ordered within a case by (timestamp as an instant, position in the source): equal
timestamps keep source order, as in PM4Py.

Durations are in seconds (float) between an event and the next one of the same case.
``stdev`` is the sample standard deviation, null for a single observation.

For engines that declare ``dictionary_encode``, :func:`encode` replaces case ids and
activities by small integers before the sort that ordering needs (activity codes follow
the alphabetical order of names, so sorted code lists sort like name lists); the results
are decoded back to names.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
from ibis.expr.types import Table

from parcours.analytics.engine import Capabilities

US_PER_S = 1_000_000.0


@dataclass(frozen=True)
class Steps:
    """Ordered events of every case, and the dictionary to decode activity codes.

    ``table`` columns: ``case`` (key), ``act`` (key), ``timestamp``, ``position``,
    ``step`` (0-based index in the case), ``next_act`` (null at the end of a case),
    ``us_to_next`` (microseconds to the next event, null at the end).
    ``activities``: ``act`` → ``activity`` when encoded, else ``None``.
    """

    table: Table
    activities: Table | None
    ordered_collect: bool

    def decode(self, table: Table, column: str, name: str) -> Table:
        """Replace the activity key ``column`` by its name in a new column ``name``."""
        if self.activities is None:
            return table.rename({name: column}) if name != column else table
        codes = self.activities.rename({"__code": "act", name: "activity"})
        joined = table.join(codes, table[column] == codes["__code"])
        return joined.drop(column, "__code")


def encode(events: Table) -> tuple[Table, Table]:
    """Events with ``case`` and ``act`` integer codes, and the activity dictionary."""
    acts = events.select("activity").distinct()
    acts = acts.mutate(act=ibis.dense_rank().over(order_by=acts.activity).cast("int32"))
    cases = events.select("case_id").distinct()
    cases = cases.mutate(case=ibis.row_number().over().cast("int64"))
    coded = events.join(cases, "case_id").join(acts, "activity")
    coded = coded.select("case", "act", "timestamp", "position")
    return coded, acts


def steps(events: Table, capabilities: Capabilities | None = None) -> Steps:
    """Order the events of each case and attach the next activity and the time to it."""
    caps = capabilities or Capabilities()
    if caps.dictionary_encode:
        base, activities = encode(events)
    else:
        base = events.select(
            case=events.case_id, act=events.activity, timestamp="timestamp", position="position"
        )
        activities = None
    w = ibis.window(group_by=base.case, order_by=[base.timestamp, base.position])
    table = base.mutate(
        step=ibis.row_number().over(w).cast("int64"),
        next_act=base.act.lead().over(w),
        next_ts=base.timestamp.lead().over(w),
    )
    table = table.mutate(us_to_next=table.next_ts.delta(table.timestamp, unit="microsecond"))
    table = table.drop("next_ts")
    return Steps(table, activities, caps.ordered_collect)


# ---------------------------------------------------------------------------------------
# From ordered steps


def dfg_of(s: Steps) -> Table:
    """Directly-follows edges: ``a``, ``b``, ``count`` and time from a to b in seconds
    (``mean``, ``median``, ``min``, ``max``, ``sum``, ``stdev``)."""
    t = s.table.filter(s.table.next_act.notnull())
    seconds = t.us_to_next.cast("float64") / US_PER_S
    edges = t.group_by(a="act", b="next_act").agg(
        count=t.count(),
        mean=seconds.mean(),
        median=seconds.median(),
        min=seconds.min(),
        max=seconds.max(),
        sum=seconds.sum(),
        stdev=seconds.std(how="sample"),
    )
    edges = s.decode(s.decode(edges, "a", "__a"), "b", "__b")
    return edges.select(
        a="__a", b="__b", count="count", mean="mean", median="median", min="min",
        max="max", sum="sum", stdev="stdev",
    )  # fmt: skip


def start_activities_of(s: Steps) -> Table:
    """Cases per first activity: ``activity``, ``cases``."""
    t = s.table.filter(s.table.step == 0)
    counts = t.group_by("act").agg(cases=t.count())
    return s.decode(counts, "act", "activity").select("activity", "cases")


def end_activities_of(s: Steps) -> Table:
    """Cases per last activity: ``activity``, ``cases``."""
    t = s.table.filter(s.table.next_act.isnull())
    counts = t.group_by("act").agg(cases=t.count())
    return s.decode(counts, "act", "activity").select("activity", "cases")


def start_end_of(s: Steps) -> Table:
    """Cases starting and ending with each activity, in one pass: ``activity``,
    ``starts``, ``ends`` (activities that neither start nor end a case are absent)."""
    t = s.table.filter((s.table.step == 0) | s.table.next_act.isnull())
    counts = t.group_by("act").agg(
        starts=(t.step == 0).cast("int64").sum(),
        ends=t.next_act.isnull().cast("int64").sum(),
    )
    return s.decode(counts, "act", "activity").select("activity", "starts", "ends")


def _sequences(s: Steps) -> Table:
    """One row per case: ``case``, ``seq`` (activity keys in order)."""
    t = s.table
    if s.ordered_collect:
        return t.group_by("case").agg(seq=t.act.collect(order_by=t.step))
    pairs = t.group_by("case").agg(seq=ibis.struct({"i": t.step, "a": t.act}).collect())
    return pairs.mutate(seq=pairs.seq.sort().map(lambda x: x["a"]))


def variants_of(s: Steps) -> Table:
    """Distinct activity sequences: ``activities`` (array of names) and ``count`` (cases)."""
    seqs = _sequences(s)
    counted = seqs.group_by("seq").agg(count=seqs.count())
    if s.activities is None:
        return counted.select(activities="seq", count="count")
    # decode code lists: unnest with their offset, join the names, collect again in order
    numbered = counted.mutate(variant=ibis.row_number().over(order_by=counted.seq))
    flat = numbered.select("variant", "count", "seq").unnest("seq", offset="i")
    named = s.decode(flat, "seq", "__name")
    if s.ordered_collect:
        out = named.group_by("variant", "count").agg(
            activities=named["__name"].collect(order_by=named.i)
        )
    else:
        pairs = named.group_by("variant", "count").agg(
            p=ibis.struct({"i": named.i, "a": named["__name"]}).collect()
        )
        out = pairs.mutate(activities=pairs.p.sort().map(lambda x: x["a"]))
    return out.select("activities", "count")


def case_lengths_of(s: Steps) -> Table:
    """Per case: ``case``, ``n_events``, ``duration_seconds`` (first to last event)."""
    t = s.table
    per = t.group_by("case").agg(
        n_events=t.count(), first=t.timestamp.min(), last=t.timestamp.max()
    )
    seconds = per["last"].delta(per["first"], unit="microsecond").cast("float64") / US_PER_S
    return per.select("case", "n_events", duration_seconds=seconds)


def case_length_summary_of(s: Steps) -> Table:
    """One row: ``n_cases``, ``n_events`` and min / max / mean / median of events per case and of case
    duration in seconds."""
    c = case_lengths_of(s)
    return c.aggregate(
        n_cases=c.count(),
        n_events=c.n_events.sum(),
        events_min=c.n_events.min(),
        events_max=c.n_events.max(),
        events_mean=c.n_events.mean(),
        events_median=c.n_events.cast("float64").median(),
        duration_min=c.duration_seconds.min(),
        duration_max=c.duration_seconds.max(),
        duration_mean=c.duration_seconds.mean(),
        duration_median=c.duration_seconds.median(),
    )


# ---------------------------------------------------------------------------------------
# From the event table (each orders the events itself)


def directly_follows(events: Table, capabilities: Capabilities | None = None) -> Table:
    """Directly-follows graph with counts and durations; see :func:`dfg_of`."""
    return dfg_of(steps(events, capabilities))


def start_activities(events: Table, capabilities: Capabilities | None = None) -> Table:
    return start_activities_of(steps(events, capabilities))


def end_activities(events: Table, capabilities: Capabilities | None = None) -> Table:
    return end_activities_of(steps(events, capabilities))


def variants(events: Table, capabilities: Capabilities | None = None) -> Table:
    return variants_of(steps(events, capabilities))


def case_lengths(events: Table) -> Table:
    """Per case: ``case_id``, ``n_events``, ``duration_seconds`` (first to last event)."""
    per = events.group_by("case_id").agg(
        n_events=events.count(), first=events.timestamp.min(), last=events.timestamp.max()
    )
    seconds = per["last"].delta(per["first"], unit="microsecond").cast("float64") / US_PER_S
    return per.select("case_id", "n_events", duration_seconds=seconds)
