"""Benchmark: applying operations to one journey with 1, 10 and 50 concurrent writers.

    .venv/bin/python bench/store_bench.py [--seconds 10] [--writers 1,10,50]
        [--backends sqlite,postgresql] [--pg postgresql://postgres@127.0.0.1:5432/test]
        [--out bench/results/store.json] [--render]

Store level (no HTTP; the web benchmark measures that): each writer is a thread that acts
like an editor: it reads the journey's version, applies one operation made on it (an
emotion or a name on its own step of the demo journey "achat-en-ligne", 19 steps), and on a
version conflict reads again and retries. Reported per backend × writers: apply latency
p50 / p99 (every call, conflicts included), acknowledged operations per second, conflicts,
errors, and the read (whole journey) latency p50 / p99. SQLite runs on a file in a temporary
folder with the server's settings (WAL, synchronous=FULL); PostgreSQL in a fresh database,
dropped afterwards. The load average is recorded before each run: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg

from parcours.model.operations import Operation, SetEmotion, SetStepField
from parcours.store import Store, VersionConflict, ensure_demo, open_store


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def run(store: Store, writers: int, seconds: float) -> dict[str, Any]:
    workspace = ensure_demo(store)
    jid = store.journeys.by_slug(workspace.id, "achat-en-ligne").id
    journey, _ = store.journeys.get(jid)
    steps = [s.id for s in journey.steps()]
    apply_ms: list[float] = []
    read_ms: list[float] = []
    counts = {"acked": 0, "conflicts": 0, "errors": 0}
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def writer(w: int) -> None:
        step = steps[w % len(steps)]
        n = 0
        while time.perf_counter() < stop:
            n += 1
            op: Operation
            if n % 2:
                op = SetEmotion(step=step, score=(n % 5) - 2)
            else:
                op = SetStepField(step=step, field="description", value=f"{w}-{n}")
            envelope_id = str(uuid.uuid4())
            while time.perf_counter() < stop:
                started = time.perf_counter()
                store.journeys.get(jid)
                read = time.perf_counter() - started
                version = store.journeys.info(jid).version
                started = time.perf_counter()
                try:
                    store.journeys.apply_operations(jid, [op], version, envelope_id, None)
                    outcome = "acked"
                except VersionConflict:
                    outcome = "conflicts"
                except Exception:
                    outcome = "errors"
                took = time.perf_counter() - started
                with lock:
                    apply_ms.append(took * 1000)
                    read_ms.append(read * 1000)
                    counts[outcome] += 1
                if outcome != "conflicts":
                    break

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "writers": writers,
        "seconds": round(elapsed, 2),
        "apply_p50_ms": round(percentile(apply_ms, 0.50), 2),
        "apply_p99_ms": round(percentile(apply_ms, 0.99), 2),
        "apply_mean_ms": round(statistics.fmean(apply_ms), 2) if apply_ms else None,
        "read_p50_ms": round(percentile(read_ms, 0.50), 2),
        "read_p99_ms": round(percentile(read_ms, 0.99), 2),
        "acked_per_s": round(counts["acked"] / elapsed, 1),
        **counts,
    }


def _pg_database(admin: str) -> tuple[str, str]:
    name = f"parcours_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
    return name, admin.rsplit("/", 1)[0] + "/" + name


def _drop(admin: str, name: str) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--writers", default="1,10,50")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--render", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    rows = []
    for backend in args.backends.split(","):
        for writers in [int(w) for w in args.writers.split(",")]:
            load = os.getloadavg()[0]
            if backend == "sqlite":
                with (
                    tempfile.TemporaryDirectory() as folder,
                    open_store(str(Path(folder) / "bench.db")) as store,
                ):
                    row = run(store, writers, args.seconds)
            else:
                name, url = _pg_database(args.pg)
                try:
                    with open_store(url) as store:
                        row = run(store, writers, args.seconds)
                finally:
                    _drop(args.pg, name)
            row = {"backend": backend, "load_before": round(load, 2), **row}
            rows.append(row)
            print(json.dumps(row), flush=True)
    if args.out:
        args.out.write_text(json.dumps({"cpus": os.cpu_count(), "rows": rows}, indent=1) + "\n")
    if args.render:
        print()
        print(
            "| backend | writers | apply p50 | apply p99 | acked/s | conflicts | errors | read p50 | read p99 | load before |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in rows:
            print(
                f"| {r['backend']} | {r['writers']} | {r['apply_p50_ms']} ms | "
                f"{r['apply_p99_ms']} ms | {r['acked_per_s']} | {r['conflicts']} | {r['errors']} | "
                f"{r['read_p50_ms']} ms | {r['read_p99_ms']} ms | {r['load_before']} |"
            )


if __name__ == "__main__":
    main()
