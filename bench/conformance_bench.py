"""``parcours compare`` against PM4Py's token-based replay, same log, same map (docs/benchmarks.md).

    python bench/conformance_bench.py --log LOG.parquet [--runs 3] [--peer-runs 1]

1. ``discover`` a map from the log (in a child process); the map is the model both
   tools check the log against: ``parcours compare`` reads it as it is, PM4Py as the
   Petri net that ``bench/contenders/pm4py_replay.py`` builds from its steps, entries
   and ways out (the net accepts exactly the cases that follow the map).
2. Alternately, each in a fresh process: read the log and ``compare`` (parcours, project
   venv), read the log and replay it (PM4Py, ``bench/.peers/venv``, made by
   ``bash bench/peers.sh``); wall time and peak RSS, and the answers: cases that follow
   the map / fitting traces, mean conformance / mean trace fitness, and the histograms.

Writes ``bench/results/conformance.json`` (``--out``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PEER = HERE / ".peers" / "venv" / "bin" / "python"
MAKE_MAP = """
import json, sys
from parcours.analytics import read_events
from parcours.analytics.discover import discover
j = discover(read_events(sys.argv[1]))
open(sys.argv[2], "w").write(j.model_dump_json())
spec = {"steps": {s.id: list(s.observed_as) for s in j.steps()},
        "entries": list(j.entry_steps()),
        "next": {sid: [ln.to for ln in links] for sid, links in j.successor_map().items()}}
open(sys.argv[3], "w").write(json.dumps(spec))
"""
COMPARE = """
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from parcours.analytics import read_events
from parcours.analytics.compare import compare
from parcours.model.journey import Journey
j = Journey.model_validate_json(Path(sys.argv[2]).read_text())
c = compare(j, read_events(sys.argv[1]))
t1 = time.perf_counter()
print(json.dumps({"total": t1 - t0, "cases": c["n_cases"], "cases_fit": c["cases_following"],
                  "share_fit": c["share_following"], "mean": c["conformance"]["mean"],
                  "median": c["conformance"]["median"], "buckets": c["conformance"]["buckets"],
                  "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _child(cmd: list[str], env: dict[str, str]) -> dict[str, Any]:
    t0 = time.perf_counter()
    out = subprocess.run(
        cmd, check=True, env=env, capture_output=True, text=True, cwd=tempfile.gettempdir()
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - t0
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--log", type=Path, required=True)
    p.add_argument("--runs", type=int, default=3, help="parcours compare runs")
    p.add_argument("--peer-runs", type=int, default=1, help="PM4Py runs (0: none)")
    p.add_argument("--out", type=Path, default=HERE / "results" / "conformance.json")
    args = p.parse_args()
    env = dict(os.environ, PYTHONPATH=str(HERE.parent), TQDM_DISABLE="1")
    log = args.log.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        journey, spec = Path(tmp) / "map.json", Path(tmp) / "spec.json"
        subprocess.run(
            [sys.executable, "-c", MAKE_MAP, str(log), str(journey), str(spec)],
            check=True, env=env, cwd=tmp,
        )  # fmt: skip
        ours: list[dict[str, Any]] = []
        peer: list[dict[str, Any]] = []
        for i in range(max(args.runs, args.peer_runs)):
            if i < args.runs:
                load = os.getloadavg()[0]
                ours.append(_child([sys.executable, "-c", COMPARE, str(log), str(journey)], env))
                ours[-1]["load_before"] = load
                print("parcours", ours[-1], file=sys.stderr)
            if i < args.peer_runs:
                load = os.getloadavg()[0]
                script = str(HERE / "contenders" / "pm4py_replay.py")
                peer.append(_child([str(PEER), script, str(log), str(spec)], env))
                peer[-1]["load_before"] = load
                print("pm4py", peer[-1], file=sys.stderr)
        model = json.loads(spec.read_text())
    result = {
        "log": log.name,
        "map": {
            "steps": len(model["steps"]),
            "entries": len(model["entries"]),
            "ways_out": sum(len(v) for v in model["next"].values()),
        },
        "parcours": {
            "runs": ours,
            "median_wall": statistics.median(r["wall"] for r in ours) if ours else None,
        },
        "pm4py": {
            "runs": peer,
            "median_wall": statistics.median(r["wall"] for r in peer) if peer else None,
        },
        "same_fitting_cases": bool(peer and ours and peer[0]["cases_fit"] == ours[0]["cases_fit"]),
    }
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps({k: result[k] for k in ("map", "same_fitting_cases")}, indent=1))


if __name__ == "__main__":
    main()
