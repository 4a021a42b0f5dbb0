"""Paths through a journey: directly-follows graph, start and end, variants, case lengths.

Every function takes the standard event table (see :mod:`parcours.analytics.sources`)
and returns a lazy Ibis table; nothing runs until the caller executes it. Events are
ordered within a case by (timestamp as an instant, position in the source): equal
timestamps keep source order, as in PM4Py.

Durations are in seconds (float) between an event and the next one of the same case.
``stdev`` is the sample standard deviation to the microsecond, null for a single
observation.

For engines that declare ``dictionary_encode``, :func:`encode` replaces activities by
small integers before the sort that ordering needs (activity codes follow
the alphabetical order of names, so sorted code lists sort like name lists); the results
are decoded back to names.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa
from ibis.expr.types import Table, Value

from parcours.analytics.engine import Capabilities

US_PER_S = 1_000_000.0
PACK = 1 << 20  # activity codes below this pack with the step into one int64


@dataclass(frozen=True)
class Steps:
    """Ordered events of every case, and the dictionary to decode activity codes.

    ``table`` columns: ``case`` (key), ``act`` (key),
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


def activity_codes(events: Table) -> Table:
    """The activity dictionary: ``activity`` and ``act``, its 0-based rank by name."""
    acts = events.select("activity").distinct()
    return acts.mutate(act=ibis.dense_rank().over(order_by=acts.activity).cast("int32"))


def case_codes(events: Table) -> Table:
    """The case dictionary: ``case_id`` and ``case``, an integer in no particular order."""
    cases = events.select("case_id").distinct()
    return cases.mutate(case=ibis.row_number().over().cast("int64"))


def encode(
    events: Table, activities: Table | None = None, case_hash: str | None = None
) -> tuple[Table, Table]:
    """Events with integer keys: ``case`` (a case code) and ``act`` (an activity code),
    and the activity dictionary (``activities`` when given: an executed
    :func:`activity_codes` put on the engine).

    Both keys are integers before the sort that ordering needs: partitioning and sorting
    5M events by an integer case code instead of the case id string, the distinct and the
    join included, is 14 % faster on DuckDB (2 cores: 3.85 s against 4.47 s under load,
    side by side), and every later group by case reads 8-byte keys. Case codes are never
    decoded: no analysis prints a case id (variants name an example case only to find its
    path). The case dictionary is derived in the same query (no round trip); out of core
    it spills like the sort.

    ``case_hash`` (the engine's built-in 64-bit hash, see
    :class:`~parcours.analytics.engine.Capabilities`): the case code is the hash of the
    case id instead, with no dictionary, no distinct and no join. Two cases whose ids hash
    alike would be one case: the caller must compare the cases found with the distinct
    case ids (:func:`order_check_of`) and encode again without it when they differ.
    """
    acts = activities if activities is not None else activity_codes(events)
    if case_hash is not None:
        coded = events.join(acts, "activity").mutate(case=_text_hash(events.case_id, case_hash))
    else:
        coded = events.join(acts, "activity").join(case_codes(events), "case_id")
    coded = coded.select(case="case", act="act", timestamp="timestamp", position="position")
    return coded, acts


def micros(ts: Value, capabilities: Capabilities) -> Value:
    """Integer microseconds since 1970 of a UTC timestamp, by the engine's fastest way."""
    name = capabilities.epoch_micros
    if name is None:
        epoch = ibis.timestamp("1970-01-01 00:00:00").cast(ts.type())
        return ts.delta(epoch, unit="microsecond").cast("int64")

    @ibis.udf.scalar.builtin(name=name)
    def _micros(value: dt.Timestamp(timezone="UTC")) -> dt.int64:  # type: ignore[valid-type]
        ...

    return _micros(ts)


def steps(
    events: Table,
    capabilities: Capabilities | None = None,
    activities: Table | None = None,
    *,
    by_position: bool = False,
    case_hash: str | None = None,
) -> Steps:
    """Order the events of each case and attach the next activity and the time to it.

    ``activities``: the activity dictionary, when the caller has already computed it.
    ``by_position``: order each case by source position alone, one sort key instead of
    (time, position). That is the same order exactly when no case goes back in time in
    source order: :func:`backwards_of` counts the steps that do (the caller then orders
    by time); logs exported in time order, or by case then time, never do.
    ``case_hash``: cases keyed by a hash of their id (see :func:`encode`; encoded plans only).
    """
    caps = capabilities or Capabilities()
    if caps.dictionary_encode:
        base, activities = encode(events, activities, case_hash)
    else:
        base = events.select(
            case=events.case_id, act=events.activity, timestamp="timestamp", position="position"
        )
        activities = None
    base = base.mutate(t_us=micros(base.timestamp, caps))
    order = [base.position] if by_position else [base.t_us, base.position]
    w = ibis.window(group_by=base.case, order_by=order)
    table = base.mutate(
        step=ibis.row_number().over(w).cast("int64"),
        next_act=base.act.lead().over(w),
        us_to_next=base.t_us.lead().over(w) - base.t_us,
    )
    # only what the analyses read: a slimmer table is cheaper to materialise
    return Steps(table.drop("timestamp", "t_us", "position"), activities, caps.ordered_collect)


# ---------------------------------------------------------------------------------------
# From ordered steps


def backwards_of(s: Steps) -> Table:
    """One row, ``n``: the steps followed by an earlier event of their case (negative
    time to the next one). Zero for steps ordered by time; for steps ordered by
    position, zero exactly when that is the same order as by (time, position)."""
    t = s.table
    return t.aggregate(n=(t.us_to_next < 0).cast("int64").sum().fill_null(0))


def order_check_of(s: Steps, events: Table) -> Table:
    """One row: ``n`` as :func:`backwards_of`, ``cases`` (the cases of the ordered steps:
    their first steps) and ``case_ids`` (the distinct case ids of ``events``). With case
    keys hashed from the ids (:func:`encode`), ``cases < case_ids`` means two ids share a
    key."""
    t = s.table
    found = t.aggregate(
        n=(t.us_to_next < 0).cast("int64").sum().fill_null(0),
        cases=(t.step == 0).cast("int64").sum().fill_null(0),
    )
    return found.cross_join(events.aggregate(case_ids=events.case_id.nunique()))


def _us_to_next(s: Steps, packed: tuple[int, int] | None = None) -> tuple[Table, Value]:
    """The steps followed by another one (within the packed edge keys ``packed``, first
    and last included, when given) and their microseconds to the next step."""
    t = s.table.filter(s.table.next_act.notnull())
    if packed is not None:
        t = t.filter((t.act.cast("int64") * PACK + t.next_act).between(*packed))
    return t, t.us_to_next


def _in_seconds(us: Value) -> dict[str, Value]:
    """``mean``, ``median``, ``min``, ``max``, ``sum`` and ``stdev`` (sample) of integer
    microseconds, in seconds. Aggregated as integers, then divided: exact sums, medians
    of two middle values rounded once, and on DuckDB 1.5 at 5M steps 0.09 s instead of
    0.16 s for the same aggregates of seconds.

    The standard deviation is rounded to the microsecond, the timestamps' resolution:
    engines sum its squares in floating point in whatever order their threads merge, so
    its last digits changed from one run to the next (a third of the edges of a 1M-event
    log), and an analysis run twice must write the same file."""
    found = {
        "mean": us.mean(),
        "median": us.median(),
        "min": us.min(),
        "max": us.max(),
        "sum": us.sum(),
        "stdev": us.std(how="sample").round(),
    }
    # a double divided by a double (Spark reads a bare 1000000.0 as a decimal)
    return {k: v.cast("float64") / US_PER_S for k, v in found.items()}


def dfg_of(s: Steps, median: bool = True) -> Table:
    """Directly-follows edges: ``a``, ``b``, ``count`` and time from a to b in seconds
    (``mean``, ``median``, ``min``, ``max``, ``sum``, ``stdev``).

    ``median=False``: no ``median`` column, the one aggregate whose memory grows with the
    values (:func:`edge_medians_of` computes it for a slice of the edges)."""
    t, us = _us_to_next(s)
    aggs = {"count": t.count(), **_in_seconds(us)}
    if not median:
        del aggs["median"]
    edges = t.group_by(a="act", b="next_act").agg(**aggs)
    edges = s.decode(s.decode(edges, "a", "__a"), "b", "__b")
    return edges.select(a="__a", b="__b", **{k: k for k in aggs})


def edge_medians_of(s: Steps, first: int, last: int) -> Table:
    """``a``, ``b`` and the ``median`` time from a to b in seconds, of the edges whose
    packed key ``a_code * PACK + b_code`` lies from ``first`` to ``last`` (encoded plans)."""
    t, us = _us_to_next(s, (first, last))
    edges = t.group_by(a="act", b="next_act").agg(median=_in_seconds(us)["median"])
    edges = s.decode(s.decode(edges, "a", "__a"), "b", "__b")
    return edges.select(a="__a", b="__b", median="median")


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
    """One row per case: ``case``, ``seq`` (activity keys in order).

    Encoded plans pack ``step * 2**20 + code`` into one integer, collect, sort the list
    and unpack: sorting lists of integers is the cheapest ordered collect (DuckDB, 5M
    events: 2.5 s vs 3.5 s for lists of structs and 10.6 s for an ordered array_agg).
    The packing assumes fewer than 2**20 distinct activities (checked by the caller).
    """
    t = s.table
    if s.activities is not None:
        packed = t.group_by("case").agg(seq=(t.step * PACK + t.act.cast("int64")).collect())
        return packed.mutate(seq=packed.seq.sort().map(lambda x: (x % PACK).cast("int32")))
    if s.ordered_collect:
        return t.group_by("case").agg(seq=t.act.collect(order_by=t.step))
    pairs = t.group_by("case").agg(seq=ibis.struct({"i": t.step, "a": t.act}).collect())
    return pairs.mutate(seq=pairs.seq.sort().map(lambda x: x["a"]))


def variant_keys_of(s: Steps) -> Table:
    """Distinct sequences of activity keys: ``seq`` (array of keys) and ``count`` (cases).

    With an encoded plan the keys are activity codes; :func:`decode_variants` turns an
    executed result into names (cheaper on the client than a join and re-collect).
    """
    seqs = _sequences(s)
    return seqs.group_by("seq").agg(count=seqs.count())


def variants_of(s: Steps) -> Table:
    """Distinct activity sequences: ``activities`` (array of names) and ``count`` (cases)."""
    counted = variant_keys_of(s)
    if s.activities is None:
        return counted.select(activities="seq", count="count")
    # decode code lists: unnest with their offset, join the names, collect again in order
    numbered = counted.mutate(variant=ibis.row_number().over())
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


def decode_variants(keys: pa.Table, names: pa.Array | None) -> pa.Table:
    """An executed :func:`variant_keys_of` with ``seq`` decoded to activity names.

    ``names``: activity names in code order (``None`` when the plan was not encoded).
    """
    seq = keys.column("seq").combine_chunks()
    if names is not None:
        offsets = seq.offsets
        values = names.take(seq.flatten())
        seq = pa.ListArray.from_arrays(offsets, values)
    return pa.table({"activities": seq, "count": keys.column("count")})


def _order_hash(key: Value, name: str) -> Value:
    """The engine's built-in 64-bit hash ``name`` of an int64 ``key``."""

    @ibis.udf.scalar.builtin(name=name)
    def _hash(value: dt.int64) -> dt.uint64: ...

    return _hash(key)


def _text_hash(key: Value, name: str) -> Value:
    """The engine's built-in 64-bit hash ``name`` of a string ``key``."""

    @ibis.udf.scalar.builtin(name=name)
    def _hash(value: dt.string) -> dt.uint64: ...

    return _hash(key)


HASH_STEP = 1 << 32  # step and activity code packed into the key each hash reads


def cases_of(s: Steps, order_hash: str | None = None) -> Table:
    """One row per case: ``case``, ``n_events``, ``span_us`` (first to last event, the
    sum of the gaps between consecutive events), and with ``order_hash`` (the engine's
    built-in hash, see :class:`~parcours.analytics.engine.Capabilities`) on an encoded
    plan, two order-aware hashes of the case's path: ``h1``, ``h2``.

    ``h1`` is ``bit_xor(hash(step * 2**32 + code))`` over the events of the case: a
    commutative aggregate (no ordered collect), yet order-aware because every term
    carries its step; ``h2`` hashes another packing of the same pair
    (``code * 2**32 + step + 2**62``), so two different paths share both only if two
    independent 64-bit hashes collide at once. A single argument is hashed on purpose:
    ``hash(step, code)`` combines argument hashes linearly and permutations collide.
    """
    t = s.table
    aggs: dict[str, Value] = {
        "n_events": t.count(),
        "span_us": t.us_to_next.sum().fill_null(0),
    }
    if order_hash is not None and s.activities is not None:
        code = t.act.cast("int64")
        aggs["h1"] = _order_hash(t.step * HASH_STEP + code, order_hash).bit_xor()
        aggs["h2"] = _order_hash(code * HASH_STEP + t.step + (1 << 62), order_hash).bit_xor()
    return t.group_by("case").agg(**aggs)


def variant_groups_of(cases: Table) -> Table:
    """Variants by hash from :func:`cases_of`: ``h1``, ``count`` (cases), ``example`` (a
    case of the variant), and what :func:`variant_check_of` checks: the range of ``h2`` and
    of the case length within each ``h1``."""
    return cases.group_by("h1").agg(
        count=cases.count(),
        example=cases.case.min(),
        h2_min=cases.h2.min(),
        h2_max=cases.h2.max(),
        n_min=cases.n_events.min(),
        n_max=cases.n_events.max(),
    )


def variant_check_of(groups: Table) -> Table:
    """One row about :func:`variant_groups_of`: ``n`` (variants) and ``collided``,
    whether different paths were merged under one ``h1``: they then differ in ``h2`` or
    in length (the caller falls back to exact ordered lists). Paths merged unseen would
    need ``h1`` AND ``h2`` to collide."""
    mixed = (groups.h2_min != groups.h2_max) | (groups.n_min != groups.n_max)
    return groups.aggregate(n=groups.count(), collided=mixed.cast("int64").sum().fill_null(0))


def kth_count_of(groups: Table, k: int) -> Table:
    """The ``k``-th largest ``count`` of :func:`variant_groups_of` (1-based; one row,
    none when there are fewer groups): the variants that can make a top ``k``."""
    return groups.select("count").order_by(ibis.desc("count")).limit(1, offset=k - 1)


def example_paths_of(s: Steps, groups: Table) -> Table:
    """The path of each group of :func:`variant_groups_of` (read from its example case):
    ``seq`` (activity keys in order) and ``count``, by count descending then by the
    list, sorted by the engine (code lists sort like name lists)."""
    seqs = sequences_of(s, groups.select(case=groups.example))
    joined = groups.join(seqs, groups.example == seqs.case)
    return joined.select("seq", "count").order_by([ibis.desc("count"), "seq"])


def sequences_of(s: Steps, cases: Table) -> Table:
    """Activity keys in order (``seq``) of the cases listed in ``cases`` (column
    ``case``): the variants' examples, decoded for the top N only."""
    t = s.table
    chosen = t.semi_join(cases, t.case == cases.case)
    return _sequences(Steps(chosen, s.activities, s.ordered_collect))


SUMMARY = ("min", "max", "mean", "median")


def case_length_summary_of(s: Steps, cases: Table | None = None) -> Table:
    """One row: ``n_cases``, ``n_events`` and min / max / mean / median of events per case and of case
    duration in seconds. ``cases``: :func:`cases_of`, when already computed."""
    c = cases if cases is not None else cases_of(s)
    return c.aggregate(
        n_cases=c.count(),
        n_events=c.n_events.sum(),
        events_min=c.n_events.min(),
        events_max=c.n_events.max(),
        events_mean=c.n_events.mean(),
        events_median=c.n_events.median(),
        **{f"duration_{k}": v for k, v in _in_seconds(c.span_us).items() if k in SUMMARY},
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
    """Distinct activity sequences: ``activities`` (array of names) and ``count``."""
    caps = capabilities or Capabilities()
    # the lazy plan cannot check the activity count that code packing needs: no encoding
    return variants_of(steps(events, replace(caps, dictionary_encode=False)))


def case_lengths(events: Table) -> Table:
    """Per case: ``case_id``, ``n_events``, ``duration_seconds`` (first to last event)."""
    per = events.group_by("case_id").agg(
        n_events=events.count(), first=events.timestamp.min(), last=events.timestamp.max()
    )
    seconds = per["last"].delta(per["first"], unit="microsecond").cast("float64") / US_PER_S
    return per.select("case_id", "n_events", duration_seconds=seconds)
