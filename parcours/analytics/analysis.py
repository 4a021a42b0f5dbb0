"""Run the path analytics of an event log and shape the result as stable JSON.

:func:`analyze` is the explicit run: it orders the events once (materialised on the
engine), then executes the directly-follows graph, start and end activities, variants and
case-length statistics, and returns a plain dict whose keys are documented in
``docs/analytics.md`` and stay stable:

- ``n_events``, ``n_cases``, ``n_activities``, ``n_variants``;
- ``dfg``: ``[[a, b, count], …]`` by count descending, then a, then b;
- ``start_activities`` / ``end_activities``: ``{activity: cases}`` by cases descending;
- ``variants``: ``[{"activities": [...], "count": n}, …]`` by count descending, then by
  the list; ``top`` keeps the first ``top`` (``n_variants`` still counts all);
- ``edge_durations_seconds``: ``[{"a", "b", "mean", "median", "min", "max", "sum",
  "stdev"}, …]`` by a, then b; ``stdev`` is the sample one, null for one edge;
- ``case_length``: ``{"events": {min, max, mean, median}, "duration_seconds": {…}}``;
- ``load``: how the log was read (source, format, rows, skipped rows and problems).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from json.encoder import encode_basestring
from typing import Any, overload

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from ibis.expr.types import Table

from parcours.analytics.arrays import strings
from parcours.analytics.engine import Capabilities, Engine, engine_of
from parcours.analytics.paths import (
    PACK,
    Steps,
    activity_codes,
    backwards_of,
    case_length_summary_of,
    cases_of,
    dfg_of,
    edge_medians_of,
    example_paths_of,
    kth_count_of,
    order_check_of,
    start_end_of,
    steps,
    variant_check_of,
    variant_groups_of,
    variant_keys_of,
)
from parcours.analytics.sources import EventLog

Progress = Callable[[str], None]

#: The stages :func:`analyze` reports to its ``progress`` callback, in order.
STAGES = (
    "ordering events",
    "directly-follows graph",
    "start and end activities",
    "variants",
    "case lengths",
)


def _num(value: Any) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def _activity_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    rows = sorted(rows, key=lambda r: (-r["cases"], r["activity"]))
    return {r["activity"]: int(r["cases"]) for r in rows}


#: Variants decoded to names at a time while :class:`Variants` is iterated.
CHUNK = 8192


class Variants(Sequence[dict[str, Any]]):
    """Variants by count descending, then by the list, decoded to names a chunk at a time.

    Holds the executed keys (activity codes, or names when the plan was not encoded) and
    their order only (``ordered``: the keys come sorted from the engine): writing every
    variant of a 5M-event log (200k variants) never holds them all as Python objects.
    Code lists sort like name lists (codes follow the order of names), so the order is
    decided on codes.
    """

    def __init__(
        self, keys: pa.Table, names: pa.Array | None, top: int | None = None, ordered: bool = False
    ) -> None:
        order: Any
        if ordered:  # sorted by the engine
            order = range(keys.num_rows)
        else:
            counts = keys.column("count").to_pylist()
            seqs = keys.column("seq").to_pylist()
            order = sorted(range(len(seqs)), key=lambda i: (-counts[i], seqs[i]))
        self._keys = keys
        self._names = names
        self._name_list: list[str] | None = None
        self._order = np.asarray(order if top is None else order[:top], dtype=np.int64)

    def __len__(self) -> int:
        return int(self._order.size)

    def _take(self, rows: np.ndarray) -> pa.Table:
        # an Arrow array over the numpy buffer: pa.array() would import pandas to
        # check whether it is given a pandas object
        rows = np.ascontiguousarray(rows, dtype=np.int64)
        return self._keys.take(
            pa.Array.from_buffers(pa.int64(), rows.size, [None, pa.py_buffer(rows)])
        )

    def _decode(self, rows: np.ndarray) -> list[dict[str, Any]]:
        chunk = self._take(rows)
        seq = chunk.column("seq").combine_chunks()
        flat = seq.flatten().to_pylist()
        if self._names is not None:
            if self._name_list is None:  # each name one Python string, shared by every path
                self._name_list = self._names.to_pylist()
            names = self._name_list
            flat = [names[c] for c in flat]
        lengths = pc.list_value_length(seq).to_pylist()
        out = []
        start = 0
        for n, count in zip(lengths, chunk.column("count").to_pylist(), strict=True):
            out.append({"activities": flat[start : start + n], "count": int(count)})
            start += n
        return out

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return self._decode(self._order[index])
        return self._decode(self._order[[index]])[0]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for start in range(0, len(self), CHUNK):
            yield from self._decode(self._order[start : start + CHUNK])

    def json_texts(self, newline: str) -> Iterator[str] | None:
        """The JSON text of each variant as ``json.dumps(..., indent=2)`` writes it, lines
        after the first starting with ``newline``, a chunk at a time; the paths are joined
        by Arrow from names escaped once. ``None`` when the plan was not encoded."""
        if self._names is None:
            return None
        return self._json_texts(newline)

    def _json_texts(self, newline: str) -> Iterator[str]:
        assert self._names is not None
        escaped = strings([encode_basestring(n) for n in self._names.to_pylist()])
        inner, deeper = newline + "  ", newline + "    "
        head = "{" + inner + '"activities": [' + deeper
        middle = inner + "]," + inner + '"count": '
        tail = newline + "}"
        separator = strings(["," + deeper])[0]  # a scalar (pa.scalar() imports pandas)
        for start in range(0, len(self), CHUNK):
            chunk = self._take(self._order[start : start + CHUNK])
            seq = chunk.column("seq").combine_chunks()
            named = pa.ListArray.from_arrays(seq.offsets, escaped.take(seq.flatten()))
            paths = pc.binary_join(named, separator).to_pylist()
            counts = chunk.column("count").to_pylist()
            for path, count in zip(paths, counts, strict=True):
                yield (
                    f"{head}{path}{middle}{count}{tail}"
                    if path
                    else ("{" + inner + '"activities": [],' + inner + f'"count": {count}{tail}')
                )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


def _candidates(keys: pa.Table, top: int | None) -> pa.Table:
    """The rows of ``keys`` that can be among the ``top`` most frequent (all when
    ``None``): only those are sorted and decoded."""
    if top is not None and keys.num_rows > top:
        if top == 0:
            return keys.slice(0, 0)
        counts = keys.column("count").to_numpy()
        kth = np.partition(counts, counts.size - top)[counts.size - top]  # top-th largest
        keys = keys.filter(pa.array(counts >= kth))
    return keys


def _top_variants(keys: pa.Table, names: pa.Array | None, top: int | None) -> Variants:
    """The ``top`` most frequent variants (all when ``None``), by count descending then
    by the list; only the rows that can make the cut are sorted and decoded."""
    return Variants(_candidates(keys, top), names, top)


def _release(cached: Table) -> None:
    release = getattr(cached, "release", None)
    if release is not None:
        release()


def _hashed_variants(
    eng: Engine, s: Steps, per_case: Table, names: pa.Array | None, top: int | None
) -> tuple[Variants, int] | None:
    """Variants grouped by order-aware hashes (:func:`~parcours.analytics.paths.cases_of`),
    the paths of the ones that can make the top read from one example case each and
    sorted by the engine; ``None`` when a collision is seen (the caller then groups
    exact ordered lists). Nothing goes back to the engine from the client."""
    groups = eng.cache(variant_groups_of(per_case))
    try:
        check = eng.to_arrow(variant_check_of(groups))
        if check.column("collided")[0].as_py():
            return None
        n_variants = int(check.column("n")[0].as_py() or 0)
        chosen = groups
        if top is not None and n_variants > top:
            kth = eng.to_arrow(kth_count_of(groups, max(top, 1))).column("count")[0].as_py()
            chosen = groups.filter(groups["count"] >= kth)
        keys = eng.to_arrow(example_paths_of(s, chosen))
    finally:
        _release(groups)
    return Variants(keys, names, top, ordered=True), n_variants


def _dfg(eng: Engine, s: Steps, names: pa.Array | None) -> list[dict[str, Any]]:
    """The rows of :func:`~parcours.analytics.paths.dfg_of`. When the steps are more than
    the engine's ``holistic_values``, the medians are computed a slice of the edges at a
    time (by packed code, each slice holding at most that many durations, or one edge),
    so that their memory stays within the budget: same values, a scan of the steps more
    per slice (100M events: 3 slices)."""
    bound = eng.holistic_values
    t = s.table
    if bound is None or names is None:
        return eng.to_arrow(dfg_of(s)).to_pylist()
    if eng.to_arrow(t.aggregate(n=t.count())).column("n")[0].as_py() <= bound:
        return eng.to_arrow(dfg_of(s)).to_pylist()
    edges = eng.to_arrow(dfg_of(s, median=False)).to_pylist()
    code = {name: i for i, name in enumerate(names.to_pylist())}
    keyed = sorted((code[e["a"]] * PACK + code[e["b"]], e["count"]) for e in edges)
    medians: dict[tuple[str, str], float] = {}
    start = 0
    while start < len(keyed):
        end, held = start, 0
        while end < len(keyed) and (end == start or held + keyed[end][1] <= bound):
            held += keyed[end][1]
            end += 1
        part = eng.to_arrow(edge_medians_of(s, keyed[start][0], keyed[end - 1][0]))
        medians.update(((r["a"], r["b"]), r["median"]) for r in part.to_pylist())
        start = end
    return [{**e, "median": medians[e["a"], e["b"]]} for e in edges]


def _ordered(eng: Engine, events: Table, caps: Capabilities, dictionary: Table | None) -> Steps:
    """The ordered steps of ``events``, materialised on the engine.

    One sort key (source position) when it gives the time order, checked by one scan of
    the ordered steps; otherwise (a case goes back in time in the file) by time. On an
    encoded plan with the engine's hash, cases are keyed by the hash of their id (no case
    dictionary, no join: a sixth of the ordering at 5M events), checked in the same scan
    against the distinct ids; two ids sharing a hash (a chance of about n² / 2^65 for n
    cases: 10^-8 at 500k cases, 3 × 10^-6 at 10M) make it start again with exact codes.
    """
    case_hash = caps.order_hash if caps.dictionary_encode else None

    def order(by_position: bool) -> Steps:
        s = steps(events, caps, dictionary, by_position=by_position, case_hash=case_hash)
        return Steps(eng.cache(s.table), s.activities, s.ordered_collect)

    s = order(True)
    if case_hash is not None:
        check = eng.to_arrow(order_check_of(s, events)).to_pylist()[0]
        if check["cases"] != check["case_ids"]:  # two ids share a key: exact case codes
            _release(s.table)
            case_hash = None
            s = order(True)
            check = eng.to_arrow(backwards_of(s)).to_pylist()[0]
    else:
        check = eng.to_arrow(backwards_of(s)).to_pylist()[0]
    if check["n"]:
        _release(s.table)
        s = order(False)
    return s


def analyze(
    log: EventLog | Table,
    *,
    engine: Engine | None = None,
    top: int | None = None,
    progress: Progress | None = None,
    lazy: bool = False,
) -> dict[str, Any]:
    """Execute the path analytics of ``log`` and return the JSON-ready result.

    ``lazy``: ``variants`` is a :class:`Variants` sequence decoded while it is read (for
    writing every variant of a big log with bounded memory) instead of a list.
    """
    if isinstance(log, EventLog):
        events, eng, load = log.table, log.engine, log.report.to_dict()
    else:
        events, eng, load = log, engine or engine_of(log), None
    say = progress or (lambda stage: None)

    run = eng.to_arrow
    say(STAGES[0])
    caps = eng.capabilities
    names = None
    dictionary = None
    if caps.dictionary_encode:
        # small: kept on the engine once instead of derived again by every query (and
        # never shipped back from the client: an Arrow upload imports pandas)
        dictionary = eng.cache(activity_codes(events))
        codes = run(dictionary)
        if codes.num_rows < PACK:
            names = codes.sort_by("act").column("activity").combine_chunks()
        else:  # too many activities to pack codes with steps: plain plan
            caps = replace(caps, dictionary_encode=False)
            _release(dictionary)
            dictionary = None
    s = _ordered(eng, events, caps, dictionary)
    cached = s.table
    try:
        say(STAGES[1])
        edges = _dfg(eng, s, names)
        edges.sort(key=lambda e: (-e["count"], e["a"], e["b"]))

        say(STAGES[2])
        bounds = run(start_end_of(s)).to_pylist()
        starts = _activity_counts(
            [{"activity": r["activity"], "cases": r["starts"]} for r in bounds if r["starts"]]
        )
        ends = _activity_counts(
            [{"activity": r["activity"], "cases": r["ends"]} for r in bounds if r["ends"]]
        )

        say(STAGES[3])
        hashed = caps.order_hash if s.activities is not None else None
        per_case = eng.cache(cases_of(s, hashed))
        try:
            found_n = _hashed_variants(eng, s, per_case, names, top) if hashed else None
            if found_n is None:  # no hash, or a collision seen: exact ordered lists
                keys = run(variant_keys_of(s))
                found_n = (_top_variants(keys, names, top), keys.num_rows)
            found, n_variants = found_n

            say(STAGES[4])
            lengths = run(case_length_summary_of(s, per_case)).to_pylist()[0]
        finally:
            _release(per_case)
    finally:
        _release(cached)
        if dictionary is not None:
            _release(dictionary)

    # every activity starts a case or follows another one
    activities = {r["activity"] for r in bounds} | {e["b"] for e in edges}
    result: dict[str, Any] = {
        "n_events": int(lengths["n_events"] or 0),
        "n_cases": int(lengths["n_cases"] or 0),
        "n_activities": len(activities),
        "dfg": [[e["a"], e["b"], int(e["count"])] for e in edges],
        "start_activities": starts,
        "end_activities": ends,
        "n_variants": n_variants,
        "variants": found if lazy else list(found),
        "edge_durations_seconds": [
            {
                "a": e["a"],
                "b": e["b"],
                **{k: _num(e[k]) for k in ("mean", "median", "min", "max", "sum", "stdev")},
            }
            for e in sorted(edges, key=lambda e: (e["a"], e["b"]))
        ],
        "case_length": {
            "events": {k: _num(lengths[f"events_{k}"]) for k in ("min", "max", "mean", "median")},
            "duration_seconds": {
                k: _num(lengths[f"duration_{k}"]) for k in ("min", "max", "mean", "median")
            },
        },
    }
    if load is not None:
        result["load"] = load
    return result
