"""Contender: PM4Py (peer; AGPL, runs ONLY in bench/.peers/venv), DFG + variants.

    bench/.peers/venv/bin/python bench/contenders/pm4py_peer.py LOG.parquet [--top 100]

pandas.read_parquet, then pm4py.format_dataframe + discover_dfg + get_variants, as an
analyst would. Prints one JSON line: stage timings (s) and the summary all contenders
must agree on.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings

warnings.filterwarnings("ignore")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("log")
    p.add_argument("--top", type=int, default=100)
    a = p.parse_args()
    t0 = time.perf_counter()
    stages: dict[str, float] = {}
    clock = [t0]

    def mark(name: str) -> None:
        now = time.perf_counter()
        stages[name] = round(now - clock[0], 4)
        clock[0] = now

    import pandas as pd
    import pm4py

    mark("import")
    df = pd.read_parquet(a.log, columns=["case_id", "activity", "timestamp"])
    mark("load")
    df = pm4py.format_dataframe(
        df, case_id="case_id", activity_key="activity", timestamp_key="timestamp"
    )
    mark("format_dataframe")
    dfg, _start, _end = pm4py.discover_dfg(df)
    mark("dfg")
    variants = pm4py.get_variants(df)
    top = sorted(variants.items(), key=lambda kv: (-kv[1], kv[0]))[: a.top]
    mark("variants")
    stages["total"] = round(time.perf_counter() - t0, 4)
    print(
        json.dumps(
            {
                "contender": "pm4py",
                "pm4py": pm4py.__version__,
                "stages": stages,
                "summary": {
                    "n_events": len(df),
                    "n_cases": int(sum(variants.values())),
                    "n_edges": len(dfg),
                    "dfg_total": int(sum(dfg.values())),
                    "n_variants": len(variants),
                    "top_variant_count": int(top[0][1]) if top else 0,
                },
            }
        )
    )


if __name__ == "__main__":
    main()
