"""The physical floor of the directly-follows graph: numpy on the same Parquet file.

    .venv/bin/python bench/analytics_floor.py bench/data/synth_5M.parquet

What the hardware allows in one process, for the figures of ``parcours analyze`` to be read
against: read the three columns with pyarrow, dictionary-encode case and activity, one
stable sort by (case code, time, file position), then the directly-follows counts with
``np.unique`` over packed (activity, next activity) pairs and the variant count by hashing
each case's code sequence. No validation, no durations, no medians. Prints one JSON line:
the stage times and the figures (events, cases, edges, variants) to check against
``parcours analyze``.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq


def main() -> None:
    times: dict[str, float] = {}
    start = time.perf_counter()
    table = pq.read_table(sys.argv[1], columns=["case_id", "activity", "timestamp"])
    times["read"] = time.perf_counter() - start

    mark = time.perf_counter()
    case = pc.dictionary_encode(table.column("case_id")).combine_chunks().indices.to_numpy()
    acts = pc.dictionary_encode(table.column("activity")).combine_chunks()
    act = acts.indices.to_numpy()
    t = table.column("timestamp").cast("int64").to_numpy()
    times["encode"] = time.perf_counter() - mark

    mark = time.perf_counter()
    order = np.lexsort((np.arange(t.size), t, case))  # file position breaks ties in time
    case, act = case[order], act[order]
    times["sort"] = time.perf_counter() - mark

    mark = time.perf_counter()
    same = case[1:] == case[:-1]
    pairs = act[:-1][same].astype(np.int64) * (1 << 20) + act[1:][same]
    edges, counts = np.unique(pairs, return_counts=True)
    times["dfg"] = time.perf_counter() - mark

    mark = time.perf_counter()
    starts = np.flatnonzero(np.r_[True, ~same])
    step = np.arange(case.size) - np.repeat(starts, np.diff(np.r_[starts, case.size]))
    mixed = (step.astype(np.uint64) << np.uint64(32)) + act.astype(np.uint64)
    mixed = (mixed * np.uint64(0x9E3779B97F4A7C15)) ^ (mixed >> np.uint64(29))
    per_case = np.bitwise_xor.reduceat(mixed, starts)
    variants = np.unique(per_case).size
    times["variant_hashes"] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - start
    out = {k: round(v, 3) for k, v in times.items()}
    out |= {
        "events": int(case.size),
        "cases": int(starts.size),
        "edges": int(edges.size),
        "dfg_total": int(counts.sum()),
        "variants": int(variants),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
