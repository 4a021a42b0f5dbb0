"""Peer: PM4Py token-based replay of a log on a journey map (AGPL, ONLY in bench/.peers/venv).

    bench/.peers/venv/bin/python bench/contenders/pm4py_replay.py LOG.parquet MAP.json

``MAP.json`` (written by ``bench/conformance_bench.py``) holds the journey map that
``parcours compare`` checks: its steps with their ``observed_as`` event names, its entry
steps and each step's designed ways out. It becomes a Petri net that accepts exactly the
cases that *follow the map* in ``parcours compare``'s sense:

- a source place ``i`` and a sink ``o``; per step ``s`` a place ``ready_s`` and a place
  ``done_s``, and one visible transition per event name of ``s`` (``ready_s → done_s``);
- a silent transition ``i → ready_e`` per entry step ``e``, ``done_s → ready_t`` per
  designed way ``s → t``, ``done_s → ready_s`` (repeated events of one step are one
  visit, as ``compare`` collapses them) and ``done_s → o`` (a case may end at any step:
  ``compare`` does not judge where it ends);
- an event that observes no step has no transition: its case does not fit.

Prints one JSON line: stage times (s), peak RSS, the share of fitting cases, the mean trace
fitness, the log fitness, and a histogram of the trace fitness.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")


def petri_net(spec: dict):  # type: ignore[no-untyped-def]
    from pm4py.objects.petri_net.obj import Marking, PetriNet
    from pm4py.objects.petri_net.utils.petri_utils import add_arc_from_to

    net = PetriNet("journey")
    source, sink = PetriNet.Place("i"), PetriNet.Place("o")
    net.places.update((source, sink))
    ready, done = {}, {}
    for sid, names in spec["steps"].items():
        ready[sid], done[sid] = PetriNet.Place(f"ready_{sid}"), PetriNet.Place(f"done_{sid}")
        net.places.update((ready[sid], done[sid]))
        for name in names:
            t = PetriNet.Transition(f"t_{sid}_{name}", name)
            net.transitions.add(t)
            add_arc_from_to(ready[sid], t, net)
            add_arc_from_to(t, done[sid], net)
    silent = 0

    def tau(a, b) -> None:  # type: ignore[no-untyped-def]
        nonlocal silent
        silent += 1
        t = PetriNet.Transition(f"tau_{silent}", None)
        net.transitions.add(t)
        add_arc_from_to(a, t, net)
        add_arc_from_to(t, b, net)

    for e in spec["entries"]:
        tau(source, ready[e])
    for sid in spec["steps"]:
        tau(done[sid], ready[sid])
        tau(done[sid], sink)
        for to in spec["next"].get(sid, []):
            if to != sid:
                tau(done[sid], ready[to])
    return net, Marking({source: 1}), Marking({sink: 1})


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("log")
    p.add_argument("map")
    a = p.parse_args()
    t0 = time.perf_counter()
    stages: dict[str, float] = {}
    clock = [t0]

    def mark(name: str) -> None:
        now = time.perf_counter()
        stages[name] = round(now - clock[0], 3)
        clock[0] = now

    import pandas as pd
    import pm4py

    mark("import")
    spec = json.loads(Path(a.map).read_text(encoding="utf-8"))
    net, im, fm = petri_net(spec)
    df = pd.read_parquet(a.log, columns=["case_id", "activity", "timestamp"])
    df = pm4py.format_dataframe(
        df, case_id="case_id", activity_key="activity", timestamp_key="timestamp"
    )
    mark("load")
    os.environ.setdefault("TQDM_DISABLE", "1")  # no progress bar on stderr
    diag = pm4py.conformance_diagnostics_token_based_replay(df, net, im, fm)
    mark("replay")
    n = len(diag)
    fit = sum(1 for d in diag if d["trace_is_fit"])
    m = sum(d["missing_tokens"] for d in diag)
    c = sum(d["consumed_tokens"] for d in diag)
    r = sum(d["remaining_tokens"] for d in diag)
    pr = sum(d["produced_tokens"] for d in diag)
    fitness = [d["trace_fitness"] for d in diag]
    buckets = {"[0, 0.5)": 0, "[0.5, 0.8)": 0, "[0.8, 1)": 0, "1": 0}
    for f in fitness:
        key = (
            "1" if f >= 1 else "[0.8, 1)" if f >= 0.8 else "[0.5, 0.8)" if f >= 0.5 else "[0, 0.5)"
        )
        buckets[key] += 1
    stages["total"] = round(time.perf_counter() - t0, 3)
    print(
        json.dumps(
            {
                "tool": f"pm4py {pm4py.__version__}",
                "stages": stages,
                "cases": n,
                "cases_fit": fit,
                "share_fit": round(fit / n, 4) if n else None,
                "mean_trace_fitness": round(sum(fitness) / n, 4) if n else None,
                "log_fitness": round(0.5 * (1 - m / c) + 0.5 * (1 - r / pr), 4) if c else None,
                "buckets": buckets,
                "transitions": len(net.transitions),
                "places": len(net.places),
                "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


if __name__ == "__main__":
    main()
