"""Fuzz the map readers (YAML, JSON, workspace folders, themes, workbooks) with generated inputs.

    PYTHONPATH=. .venv/bin/python bench/fuzz_maps.py [--inputs 100000] [--only yaml,json]
        [--seed 0] [--findings bench/data/fuzz-map-findings]

Each input is made by ``tests/fileformat/fuzz_inputs.py`` (a plausible document with
hostile values, or a seed mutated at the byte or XML level), written to a temporary file
or folder and read in this process as the CLI reads it. An input is *read* or *refused*
(a ``ParcoursError`` with its located problems); any other exception is a *bug*, saved
under ``--findings`` for the corpus. Also recorded: the slowest input and the inputs per
second. Input ``i`` of a reader comes from ``random.Random(f"{seed}:{reader}:{i}")``.
Prints one JSON line per reader and a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fileformat.fuzz_inputs import READERS, attempt, generate


def run(reader: str, inputs: int, seed: int, findings: Path) -> dict[str, object]:
    counts = {"ok": 0, "refused": 0, "bug": 0}
    slowest = (0.0, -1)
    bugs: list[str] = []
    with tempfile.TemporaryDirectory(prefix="parcours-fuzz-") as tmp:
        start = time.perf_counter()
        for i in range(inputs):
            data = generate(reader, random.Random(f"{seed}:{reader}:{i}"))
            folder = Path(tmp) / str(i % 2)
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            t0 = time.perf_counter()
            try:
                counts[attempt(reader, data, folder)] += 1
            except Exception as exc:  # a bug: keep the input for the corpus
                counts["bug"] += 1
                findings.mkdir(parents=True, exist_ok=True)
                blob = (
                    data
                    if isinstance(data, bytes)
                    else json.dumps({k: v.decode("latin-1") for k, v in data.items()}).encode()
                )
                (findings / f"{reader}-{seed}-{i}").write_bytes(blob)
                if len(bugs) < 5:
                    bugs.append(f"{i}: {type(exc).__name__}: {str(exc)[:200]}")
                    traceback.print_exc(limit=4, file=sys.stderr)
            took = time.perf_counter() - t0
            if took > slowest[0]:
                slowest = (took, i)
        total = time.perf_counter() - start
    return {
        "reader": reader,
        "inputs": inputs,
        **counts,
        "seconds": round(total, 1),
        "per_second": round(inputs / total, 1),
        "slowest_s": round(slowest[0], 3),
        "slowest_input": slowest[1],
        "bugs": bugs,
        "load": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--only", default=",".join(READERS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--findings", type=Path, default=Path("bench/data/fuzz-map-findings"))
    args = parser.parse_args()
    rows = []
    for reader in args.only.split(","):
        result = run(reader, args.inputs, args.seed, args.findings)
        print(json.dumps(result), flush=True)
        rows.append(result)
    print("\n| reader | inputs | read | refused | bugs | inputs/s | slowest | load |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['reader']} | {r['inputs']:,} | {r['ok']:,} | {r['refused']:,} | {r['bug']} | "
            f"{r['per_second']} | {r['slowest_s']} s | {r['load']:.1f} |"
        )


if __name__ == "__main__":
    main()
