"""Contender: Polars (peer venv), DFG + variants from a Parquet event log.

    bench/.peers/venv/bin/python bench/contenders/polars_peer.py LOG.parquet [--categorical] [--top 100]

Order by (case, timestamp, file position); DFG by shifting within the sorted frame;
variants by grouping each case's activity list. --categorical casts case ids and
activities to Categorical (Polars' dictionary encoding) before sorting.
Prints one JSON line: stage timings (s) and the summary all contenders must agree on.
"""

from __future__ import annotations

import argparse
import json
import time


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("log")
    p.add_argument("--categorical", action="store_true")
    p.add_argument("--top", type=int, default=100)
    a = p.parse_args()
    t0 = time.perf_counter()
    stages: dict[str, float] = {}
    clock = [t0]

    def mark(name: str) -> None:
        now = time.perf_counter()
        stages[name] = round(now - clock[0], 4)
        clock[0] = now

    import polars as pl

    df = pl.read_parquet(a.log, columns=["case_id", "activity", "timestamp"]).with_row_index("pos")
    if a.categorical:
        df = df.with_columns(
            pl.col("case_id").cast(pl.Categorical), pl.col("activity").cast(pl.Categorical)
        )
    mark("load")
    s = df.sort(["case_id", "timestamp", "pos"])
    dfg = (
        s.select(
            pl.col("activity").alias("a"),
            pl.col("activity").shift(-1).alias("b"),
            (pl.col("case_id") == pl.col("case_id").shift(-1)).alias("same"),
        )
        .filter(pl.col("same"))
        .group_by("a", "b")
        .len()
        .sort(["len", "a", "b"], descending=[True, False, False])
    )
    mark("dfg")
    act = pl.col("activity").cast(pl.String) if a.categorical else pl.col("activity")
    var = (
        s.group_by("case_id", maintain_order=True)
        .agg(act.alias("v"))
        .group_by("v")
        .len()
        .sort("len", descending=True)
    )
    top = var.head(a.top).to_dicts()
    mark("variants")
    stages["total"] = round(time.perf_counter() - t0, 4)
    print(
        json.dumps(
            {
                "contender": "polars" + ("-categorical" if a.categorical else ""),
                "polars": pl.__version__,
                "stages": stages,
                "summary": {
                    "n_events": df.height,
                    "n_cases": int(var["len"].sum()),
                    "n_edges": dfg.height,
                    "dfg_total": int(dfg["len"].sum()),
                    "n_variants": var.height,
                    "top_variant_count": int(top[0]["len"]) if top else 0,
                },
            }
        )
    )


if __name__ == "__main__":
    main()
