"""Fuzz the map readers (YAML, JSON, workspace folders, themes, workbooks) with generated inputs.

    PYTHONPATH=. .venv/bin/python bench/fuzz_maps.py [--inputs 100000] [--only yaml,json]
        [--seed 0] [--findings bench/data/fuzz-map-findings] [--every 1000] [--minutes 90]
        [--input-seconds 60] [--start 0] [--results bench/results]

Each input is made by ``tests/fileformat/fuzz_inputs.py`` (a plausible document with
hostile values, or a seed mutated at the byte or XML level), written to a temporary file
or folder and read in this process as the CLI reads it. An input is *read* or *refused*
(a ``ParcoursError`` with its located problems); any other exception is a *bug*, saved
under ``--findings`` for the corpus. Also recorded: the slowest input and the inputs per
second. Input ``i`` of a reader comes from ``random.Random(f"{seed}:{reader}:{i}")``.
A progress line goes to stderr every ``--every`` inputs (count, rate, bugs so far, elapsed
time, load); ``--minutes`` is a time budget per reader, and Ctrl-C or SIGTERM stops the
run with its figures so far. Prints one JSON line per reader and a Markdown table for
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.fuzz_loop import fuzz, table
from tests.fileformat.fuzz_inputs import READERS, attempt, generate


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
    with tempfile.TemporaryDirectory(prefix="parcours-fuzz-") as tmp:

        def make(i: int) -> bytes | dict[str, bytes]:
            return generate(reader, random.Random(f"{seed}:{reader}:{i}"))

        def one(data: bytes | dict[str, bytes]) -> str:
            folder = Path(tmp) / "input"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            return attempt(reader, data, folder)

        def save(i: int, data: bytes | dict[str, bytes]) -> None:
            findings.mkdir(parents=True, exist_ok=True)
            blob = (
                data
                if isinstance(data, bytes)
                else json.dumps({k: v.decode("latin-1") for k, v in data.items()}).encode()
            )
            (findings / f"{reader}-{seed}-{i}").write_bytes(blob)

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
            partial=results / f"fuzz-maps-{reader}-seed{seed}-from{start}.json"
            if results
            else None,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--only", default=",".join(READERS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--findings", type=Path, default=Path("bench/data/fuzz-map-findings"))
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
