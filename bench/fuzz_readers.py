"""Fuzz the four event-log readers (CSV, XES, Parquet, Excel) with generated inputs.

    PYTHONPATH=. .venv/bin/python bench/fuzz_readers.py [--inputs 100000] [--only csv,xes]
        [--seed 0] [--findings bench/data/fuzz-findings]

Each input is a seed log of the reader's format, mutated three times in four (see
``tests/analytics/fuzz_inputs.py``), written to a temporary file and read by
``parcours.analytics.read_events`` in this process under small caps. An input is *read*
(an event table came out) or *refused* (a ``ParcoursError``: a located message); any
other exception is a *bug*: the input is saved under ``--findings`` for the corpus, and
counted. Also recorded: the slowest input and the inputs per second. Prints one JSON line
per reader, and a Markdown table at the end for docs/benchmarks.md.

The inputs are the same for the same ``--seed``: input ``i`` of a reader is generated
from ``random.Random(f"{seed}:{reader}:{i}")``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.analytics.fuzz_inputs import SEEDS, attempt, generate


def run(reader: str, inputs: int, seed: int, findings: Path) -> dict[str, object]:
    name = SEEDS[reader][0]
    counts = {"ok": 0, "refused": 0, "bug": 0}
    slowest = (0.0, -1)
    bugs: list[str] = []
    with tempfile.TemporaryDirectory(prefix="parcours-fuzz-") as tmp:
        path = Path(tmp) / name
        start = time.perf_counter()
        for i in range(inputs):
            data = generate(reader, random.Random(f"{seed}:{reader}:{i}"))
            path.write_bytes(data)
            t0 = time.perf_counter()
            try:
                counts[attempt(path)] += 1
            except Exception as exc:  # a bug: keep the input for the corpus
                counts["bug"] += 1
                findings.mkdir(parents=True, exist_ok=True)
                (findings / f"{reader}-{seed}-{i}-{name}").write_bytes(data)
                if len(bugs) < 5:
                    bugs.append(f"{i}: {type(exc).__name__}: {str(exc)[:200]}")
                    traceback.print_exc(limit=3, file=sys.stderr)
            took = time.perf_counter() - t0
            if took > slowest[0]:
                slowest = (took, i)
            if (i + 1) % 2_000 == 0:
                rate = (i + 1) / (time.perf_counter() - start)
                print(f"{reader}: {i + 1:,} inputs, {counts}, {rate:.0f}/s", file=sys.stderr)
        total = time.perf_counter() - start
    return {
        "reader": reader,
        "inputs": inputs,
        **counts,
        "seconds": round(total, 1),
        "inputs_per_second": round(inputs / total, 1),
        "slowest_seconds": round(slowest[0], 3),
        "slowest_input": slowest[1],
        "bugs_first": bugs,
        "load_before": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--only", default=",".join(SEEDS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--findings", type=Path, default=Path("bench/data/fuzz-findings"))
    args = parser.parse_args()
    rows = []
    for reader in args.only.split(","):
        result = run(reader, args.inputs, args.seed, args.findings)
        print(json.dumps(result), flush=True)
        rows.append(result)
    print("\n| reader | inputs | read | refused | bugs | inputs/s | slowest (s) | load |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['reader']} | {r['inputs']:,} | {r['ok']:,} | {r['refused']:,} | {r['bug']} "
            f"| {r['inputs_per_second']} | {r['slowest_seconds']} | {r['load_before']:.1f} |"
        )


if __name__ == "__main__":
    main()
