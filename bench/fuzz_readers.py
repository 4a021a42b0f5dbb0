"""Fuzz the four event-log readers (CSV, XES, Parquet, Excel) with generated inputs.

    PYTHONPATH=. .venv/bin/python bench/fuzz_readers.py [--inputs 100000] [--only csv,xes]
        [--seed 0] [--findings bench/data/fuzz-findings] [--every 1000] [--minutes 90]
        [--input-seconds 60] [--start 0] [--results bench/results]

Each input is a seed log of the reader's format, mutated three times in four (see
``tests/analytics/fuzz_inputs.py``), written to a temporary file and read by
``parcours.analytics.read_events`` in this process under small caps. An input is *read*
(an event table came out) or *refused* (a ``ParcoursError``: a located message); any
other exception is a *bug*: the input is saved under ``--findings`` for the corpus, and
counted. Also recorded: the slowest input and the inputs per second. A progress line goes
to stderr every ``--every`` inputs; ``--minutes`` is a time budget per reader, and Ctrl-C
or SIGTERM stops the run with its figures so far. Prints one JSON line per reader, and a
Markdown table at the end for docs/benchmarks.md.

The inputs are the same for the same ``--seed``: input ``i`` of a reader is generated
from ``random.Random(f"{seed}:{reader}:{i}")``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.fuzz_loop import fuzz, table
from tests.analytics.fuzz_inputs import SEEDS, attempt, generate


def run(
    reader: str,
    inputs: int,
    seed: int,
    findings: Path,
    every: int,
    budget: float | None,
    input_seconds: int,
    start: int,
    results: Path | None = None,
) -> dict[str, object]:
    name = SEEDS[reader][0]
    with tempfile.TemporaryDirectory(prefix="parcours-fuzz-") as tmp:
        path = Path(tmp) / name

        def make(i: int) -> bytes:
            return generate(reader, random.Random(f"{seed}:{reader}:{i}"))

        def one(data: bytes) -> str:
            path.write_bytes(data)
            return attempt(path)

        def save(i: int, data: bytes) -> None:
            findings.mkdir(parents=True, exist_ok=True)
            (findings / f"{reader}-{seed}-{i}-{name}").write_bytes(data)

        return fuzz(
            reader,
            inputs,
            make,
            one,
            save,
            every=every,
            budget=budget,
            input_seconds=input_seconds,
            start_at=start,
            partial=results / f"fuzz-logs-{reader}-seed{seed}-from{start}.json"
            if results
            else None,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--only", default=",".join(SEEDS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--findings", type=Path, default=Path("bench/data/fuzz-findings"))
    parser.add_argument("--every", type=int, default=1_000, help="progress line every N inputs")
    parser.add_argument("--minutes", type=float, help="time budget per reader")
    parser.add_argument("--start", type=int, default=0, help="first input number (to resume)")
    parser.add_argument(
        "--input-seconds", type=int, default=60, help="an input running longer is a hang (a bug)"
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=Path("bench/results"),
        help="folder of the figures so far, rewritten at every progress line",
    )
    args = parser.parse_args()
    budget = args.minutes * 60 if args.minutes else None
    rows = []
    for reader in args.only.split(","):
        result = run(
            reader,
            args.inputs,
            args.seed,
            args.findings,
            args.every,
            budget,
            args.input_seconds,
            args.start,
            args.results,
        )
        print(json.dumps(result), flush=True)
        rows.append(result)
    print("\n" + table(rows))


if __name__ == "__main__":
    main()
