"""Cost of applying one operation to a journey in the model, as the server does per edit.

    .venv/bin/python bench/ops_bench.py [--ops 500]

Applies ``--ops`` single-field edits (a description on a step, in turn on every step) to
the demo journey "achat-en-ligne" (19 steps, 10 lanes) with ``apply_with_inverse`` and the
workspace's library, each on the state the previous one left, as the store does for every
acknowledged edit. Prints one JSON line: the edits, the median and mean milliseconds per
edit in this process, and a check figure (the last state's JSON length) that must be
equal across versions of the code.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=500)
    args = parser.parse_args()

    from parcours.catalog import load_demo
    from parcours.model.apply import apply_with_inverse
    from parcours.model.operations import SetStepField

    atlas = load_demo()
    journey = next(j for j in atlas.journeys if j.id == "achat-en-ligne")
    steps = [s.id for s in journey.steps()]
    times = []
    state = journey
    for i in range(args.ops):
        op = SetStepField(step=steps[i % len(steps)], field="description", value=f"edit {i}")
        start = time.perf_counter()
        state, _undo = apply_with_inverse(state, op, library=atlas.library)
        times.append(time.perf_counter() - start)
    print(
        json.dumps(
            {
                "ops": args.ops,
                "median_ms": round(statistics.median(times) * 1000, 3),
                "mean_ms": round(statistics.fmean(times) * 1000, 3),
                "check": len(state.model_dump_json()),
            }
        )
    )


if __name__ == "__main__":
    main()
