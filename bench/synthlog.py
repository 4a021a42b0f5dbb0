"""Deterministic synthetic customer-journey event log, for the benchmarks.

    python bench/synthlog.py --events 5000000 --out bench/data/synth_5M.parquet [--csv FILE]

Same arguments and seed, same bytes: only numpy and pyarrow, no clock, no hash ordering.
Runs in the project venv. Writes Parquet (row groups of ~1M rows) and optionally CSV.

The log looks like web / call-centre journeys:
- cases (customer journeys) of 1 to 300 events, mean ~10, a long tail (a mixture of
  short bounces and longer journeys);
- a few hundred activities (``--activities``, default 300) named like touchpoints, walked
  by a sparse Markov chain with skewed successor probabilities, so a few paths are very
  frequent and many are rare, with loops (back-edges) and repeats;
- a channel per event (mostly the activity's own channel, sometimes another);
- an outcome per case (converted / abandoned / in_progress) and a value on the
  converting event;
- timestamps in UTC (ms) over one year, lognormal gaps between events, ~3 % of gaps
  equal to zero (equal timestamps inside a case);
- rows are ordered by timestamp within each chunk of cases (so cases interleave as in a
  real export) with ties kept in journey order: file position breaks ties correctly.

Columns: case_id (string), activity (string), timestamp (timestamp[ms, UTC]),
channel (string), outcome (string), value (float64, null except on conversions).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

CHANNELS = np.array(["web", "app", "email", "phone", "chat", "store", "sms", "social"])
VERBS = [
    "view",
    "search",
    "open",
    "click",
    "call",
    "chat",
    "visit",
    "compare",
    "add",
    "remove",
    "apply",
    "sign",
    "pay",
    "cancel",
    "complain",
    "rate",
    "download",
    "book",
    "confirm",
    "ask",
]
OBJECTS = [
    "home",
    "product",
    "offer",
    "cart",
    "checkout",
    "faq",
    "account",
    "invoice",
    "contract",
    "newsletter",
    "quote",
    "appointment",
    "delivery",
    "return",
    "support",
    "review",
]
T0_MS = 1_735_689_600_000  # 2025-01-01T00:00:00Z
YEAR_MS = 365 * 86_400_000
MAX_LEN = 300


class Model:
    """The journey model: activities, their channels, a sparse transition matrix."""

    def __init__(self, n_activities: int, seed: int) -> None:
        rng = np.random.default_rng([seed, 1])
        n = n_activities
        self.names = np.array(
            [
                f"{VERBS[i % len(VERBS)]} {OBJECTS[(i // len(VERBS)) % len(OBJECTS)]}"
                + (
                    f" {i // (len(VERBS) * len(OBJECTS)) + 1}"
                    if i >= len(VERBS) * len(OBJECTS)
                    else ""
                )
                for i in range(n)
            ],
            dtype=object,
        )
        self.channel = rng.integers(0, len(CHANNELS), n)
        self.converting = np.array(
            [name.split()[0] in ("pay", "confirm", "sign") for name in self.names]
        )
        # k successors per activity: mostly "forward" (a journey progresses), some back-edges
        k = 8
        forward = (np.arange(n)[:, None] + rng.integers(1, 25, (n, k))) % n
        back = (np.arange(n)[:, None] - rng.integers(1, 10, (n, k))) % n
        self.succ = np.where(rng.random((n, k)) < 0.8, forward, back)
        self.succ[:, 0] = (np.arange(n) + 1) % n  # a dominant "happy path"
        w = 1.0 / np.arange(1, k + 1) ** 2.0
        w = w[None, :] * rng.uniform(0.5, 1.5, (n, k))
        self.cum = np.cumsum(w / w.sum(axis=1, keepdims=True), axis=1)
        self.cum[:, -1] = 1.0
        # start activities: Zipf over 30 entry points
        starts = rng.choice(n, 30, replace=False)
        sw = 1.0 / np.arange(1, 31) ** 1.2
        self.starts, self.start_cum = starts, np.cumsum(sw / sw.sum())
        self.start_cum[-1] = 1.0


def case_lengths(rng: np.random.Generator, n: int) -> np.ndarray:
    short = rng.random(n) < 0.35
    lengths = np.where(short, rng.geometric(0.5, n), 3 + rng.geometric(1 / 10, n))
    return np.minimum(lengths, MAX_LEN).astype(np.int64)


def generate_chunk(
    model: Model, rng: np.random.Generator, first_case: int, n_events: int
) -> pa.Table:
    # enough cases for n_events (mean length ~10), then trim the last case
    n_cases = int(n_events / 9.5 * 1.2) + 20
    lengths = case_lengths(rng, n_cases)
    ends = np.cumsum(lengths)
    while ends[-1] < n_events:  # not reached in practice: 20 % spare cases
        lengths = np.concatenate([lengths, case_lengths(rng, n_cases)])
        ends = np.cumsum(lengths)
    n_cases = int(np.searchsorted(ends, n_events) + 1)
    lengths = lengths[:n_cases]
    lengths[-1] -= int(ends[n_cases - 1] - n_events)
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    total = int(lengths.sum())

    acts = np.empty(total, dtype=np.int32)
    cur = model.starts[np.searchsorted(model.start_cum, rng.random(n_cases))]
    alive = np.arange(n_cases)
    for t in range(int(lengths.max())):
        alive = alive[lengths[alive] > t]
        if alive.size == 0:
            break
        a = cur[alive]
        acts[offsets[alive] + t] = a
        choice = (rng.random(alive.size)[:, None] > model.cum[a]).sum(axis=1)
        cur[alive] = model.succ[a, np.minimum(choice, model.succ.shape[1] - 1)]

    case_of = np.repeat(np.arange(n_cases), lengths)
    pos_in_case = np.arange(total) - offsets[case_of]
    # timestamps: case start uniform over the year, lognormal gaps (median ~2.5 min), 3 % ties
    start = T0_MS + rng.integers(0, YEAR_MS, n_cases)
    gaps = np.rint(np.exp(rng.normal(np.log(150_000), 1.6, total))).astype(np.int64)
    gaps[rng.random(total) < 0.03] = 0
    gaps[pos_in_case == 0] = 0
    csum = np.cumsum(gaps)
    ts = start[case_of] + csum - csum[offsets][case_of]

    chan = np.where(
        rng.random(total) < 0.85, model.channel[acts], rng.integers(0, len(CHANNELS), total)
    )
    # outcome per case: converting journeys end on a "pay"/"confirm"/"sign" step more often
    last = acts[offsets + lengths - 1]
    p_conv = np.where(model.converting[last], 0.7, 0.12)
    u = rng.random(n_cases)
    outcome_code = np.where(u < p_conv, 0, np.where(u < p_conv + 0.1, 2, 1))
    outcomes = np.array(["converted", "abandoned", "in_progress"])
    value = np.full(total, np.nan)
    conv_cases = np.nonzero(outcome_code == 0)[0]
    value[offsets[conv_cases] + lengths[conv_cases] - 1] = np.round(
        rng.lognormal(4.0, 0.8, conv_cases.size), 2
    )

    # file order: by timestamp, ties in journey order (stable on generation order)
    order = np.lexsort((np.arange(total), ts))
    case_num = (first_case + case_of[order]).astype(np.int64)
    case_id = pc.binary_join_element_wise(
        "C", pc.utf8_lpad(pc.cast(pa.array(case_num), pa.string()), 9, "0"), ""
    )
    names = pa.array(model.names.tolist(), pa.string())
    return pa.table(
        {
            "case_id": case_id,
            "activity": pc.take(names, pa.array(acts[order])),
            "timestamp": pa.array(ts[order], pa.timestamp("ms", tz="UTC")),
            "channel": pc.take(pa.array(CHANNELS.tolist(), pa.string()), pa.array(chan[order])),
            "outcome": pc.take(
                pa.array(outcomes.tolist(), pa.string()), pa.array(outcome_code[case_of][order])
            ),
            "value": pa.array(value[order], pa.float64(), from_pandas=True),
        }
    ), n_cases


def generate(
    n_events: int,
    out: Path,
    seed: int = 7,
    n_activities: int = 300,
    chunk_events: int = 2_000_000,
    csv: Path | None = None,
    quiet: bool = False,
) -> dict:
    model = Model(n_activities, seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    writer = None
    csv_writer = None
    done, cases, chunk_no = 0, 0, 0
    t0 = time.perf_counter()
    try:
        while done < n_events:
            size = min(chunk_events, n_events - done)
            rng = np.random.default_rng([seed, 2, chunk_no])
            table, n_cases = generate_chunk(model, rng, cases, size)
            if writer is None:
                writer = pq.ParquetWriter(out, table.schema, compression="snappy")
            writer.write_table(table, row_group_size=1_000_000)
            if csv is not None:
                if csv_writer is None:
                    csv_writer = pacsv.CSVWriter(csv, table.schema)
                csv_writer.write_table(table)
            done += size
            cases += n_cases
            chunk_no += 1
            if not quiet:
                print(f"\r{done:,} / {n_events:,} events", end="", file=sys.stderr)
    finally:
        if writer is not None:
            writer.close()
        if csv_writer is not None:
            csv_writer.close()
    if not quiet:
        print(
            f"\r{done:,} events, {cases:,} cases -> {out} in {time.perf_counter() - t0:.1f} s",
            file=sys.stderr,
        )
    return {"events": done, "cases": cases, "path": str(out)}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--events", type=int, required=True, help="number of events (rows)")
    p.add_argument("--out", type=Path, required=True, help="Parquet file to write")
    p.add_argument("--csv", type=Path, help="also write this CSV file")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--activities", type=int, default=300)
    p.add_argument(
        "--chunk-events", type=int, default=2_000_000, help="events generated at once (memory)"
    )
    a = p.parse_args(argv)
    generate(a.events, a.out, a.seed, a.activities, a.chunk_events, a.csv)


if __name__ == "__main__":
    main()
