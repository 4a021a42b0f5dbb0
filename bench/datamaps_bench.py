"""Time ``discover``, ``overlay`` and ``compare`` on a synthetic log (docs/benchmarks.md).

    python bench/datamaps_bench.py --events 1000000 [--runs 3]

Writes the log with ``bench/synthlog.py`` (seed 7) to a temporary folder, then runs, each
time in a fresh process: read the Parquet log, ``discover`` a map from it, ``overlay`` the
log on that map, ``compare`` the map and the log; prints the median of each stage over the
runs and the peak memory (max RSS) of the processes, and writes ``bench/results/datamaps.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHILD = """
import json, resource, sys, time
from parcours.analytics import read_events
from parcours.analytics.compare import compare
from parcours.analytics.discover import discover
from parcours.analytics.overlay import overlay
t0 = time.perf_counter(); log = read_events(sys.argv[1])
t1 = time.perf_counter(); j = discover(log)
t2 = time.perf_counter(); overlay(j, log)
t3 = time.perf_counter(); c = compare(j, log)
t4 = time.perf_counter()
print(json.dumps({"read": t1 - t0, "discover": t2 - t1, "overlay": t3 - t2, "compare": t4 - t3,
                  "steps": len(j.steps()), "cases": c["n_cases"],
                  "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "synth.parquet"
        subprocess.run(
            [sys.executable, str(HERE / "synthlog.py"), "--events", str(args.events), "--out",
             str(log)],
            check=True, env=env, capture_output=True,
        )  # fmt: skip
        runs = []
        for _ in range(args.runs):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(log)],
                check=True,
                env=env,
                capture_output=True,
                text=True,
            )
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(runs[-1], file=sys.stderr)
    result = {
        "events": args.events,
        "runs": runs,
        "median": {
            k: statistics.median(r[k] for r in runs)
            for k in ("read", "discover", "overlay", "compare", "max_rss_mib")
        },
        "load_average": os.getloadavg(),
    }
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "datamaps.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result["median"], indent=1))


if __name__ == "__main__":
    main()
