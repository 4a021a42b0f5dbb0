"""Time ``discover``, ``overlay`` and ``compare`` on a synthetic log (docs/benchmarks.md).

    python bench/datamaps_bench.py --events 1000000 [--runs 3] [--log F] [--before DIR]

Writes the log with ``bench/synthlog.py`` (seed 7) to a temporary folder (or reads
``--log``), then runs, each time in a fresh process: read the Parquet log, ``discover`` a
map from it, ``overlay`` the log on that map, ``compare`` the map and the log; prints the
median of each stage over the runs and the peak memory (max RSS) of the processes, and
writes ``bench/results/datamaps.json`` (``--out`` to name another file).

``--before DIR``: a checkout of an earlier parcours (e.g. ``git archive REV parcours | tar
-x -C DIR``) run alternately with this one, run for run; each run prints a digest of the
three answers (the discovered map, the overlaid map, the comparison), and the bench stops
when the two versions' digests differ. The result then holds the ratios after / before.
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
from typing import Any

HERE = Path(__file__).resolve().parent
CHILD = """
import hashlib, json, resource, sys, time
from parcours.analytics import read_events
from parcours.analytics.compare import compare
from parcours.analytics.discover import discover
from parcours.analytics.overlay import overlay
t0 = time.perf_counter(); log = read_events(sys.argv[1])
t1 = time.perf_counter(); j = discover(log)
t2 = time.perf_counter(); o = overlay(j, log)
t3 = time.perf_counter(); c = compare(j, log)
t4 = time.perf_counter()
print(json.dumps({"read": t1 - t0, "discover": t2 - t1, "overlay": t3 - t2, "compare": t4 - t3,
                  "steps": len(j.steps()), "cases": c["n_cases"], "following": c["cases_following"],
                  "answer": hashlib.sha256((j.model_dump_json() + o.model_dump_json()
                            + json.dumps(c, sort_keys=True, default=str)).encode()).hexdigest()[:16],
                  "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


STAGES = ("read", "discover", "overlay", "compare", "max_rss_mib")


def _run(log: Path, code: Path) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(code))
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(log)], check=True, env=env, capture_output=True,
        text=True, cwd=tempfile.gettempdir(),
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def _median(runs: list[dict[str, Any]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in STAGES}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--log", type=Path, help="an existing Parquet log (else synthlog.py's)")
    p.add_argument("--before", type=Path, help="an earlier parcours checkout, run A/B")
    p.add_argument("--out", type=Path, default=HERE / "results" / "datamaps.json")
    args = p.parse_args()
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    with tempfile.TemporaryDirectory() as tmp:
        log = args.log.resolve() if args.log else Path(tmp) / "synth.parquet"
        if args.log is None:
            subprocess.run(
                [sys.executable, str(HERE / "synthlog.py"), "--events", str(args.events),
                 "--out", str(log)],
                check=True, env=env, capture_output=True,
            )  # fmt: skip
        runs: list[dict[str, Any]] = []
        before: list[dict[str, Any]] = []
        loads = []
        for _ in range(args.runs):
            if args.before is not None:
                loads.append(os.getloadavg()[0])
                before.append(_run(log, args.before))
                print("before", before[-1], file=sys.stderr)
            loads.append(os.getloadavg()[0])
            runs.append(_run(log, HERE.parent))
            print("after" if args.before else "run", runs[-1], file=sys.stderr)
            if before and before[-1]["answer"] != runs[-1]["answer"]:
                sys.exit(f"the answers differ: {before[-1]['answer']} before, "
                         f"{runs[-1]['answer']} after")  # fmt: skip
    result: dict[str, Any] = {
        "events": args.events if args.log is None else str(args.log.name),
        "runs": runs,
        "median": _median(runs),
        "load_average_before_each_run": loads,
        "load_average": os.getloadavg(),
    }
    if before:
        result["before"] = {"runs": before, "median": _median(before)}
        result["ratio_after_before"] = {
            k: round(result["median"][k] / result["before"]["median"][k], 2) for k in STAGES
        }
        result["same_answers"] = True
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps({k: result[k] for k in ("median", "ratio_after_before") if k in result},
                     indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
