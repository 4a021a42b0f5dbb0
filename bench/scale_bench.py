"""Scale: 100M events from Parquet, out of core (DuckDB with a memory limit and a temp dir).

    .venv/bin/python bench/scale_bench.py [--events 100M] [--memory-limit 4GB] [--timeout 3600]

Runs in the project venv. Generates bench/data/synth_100M.parquet once (~1 GB, in chunks
of 2M events, bounded memory), then runs as separate measured subprocesses:
- ``duckdb-sql-encoded-hash`` with ``SET memory_limit`` and ``SET temp_directory``
  (bench/data/tmp): DuckDB spills sorts / hash tables to disk past the limit;
- ``parcours analyze`` (the CLI, as a user would run it) when it exists.
Records wall time and peak RSS (os.wait4) into bench/results/scale.json. PM4Py and
Polars are not run here: both load the whole log in memory (PM4Py needs ~0.5 GiB per
million events in the 5M run, so ~50 GiB for 100M: beyond this 24 GiB machine).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import analytics_bench as ab  # noqa: E402
import synthlog  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--events", default="100M")
    p.add_argument("--memory-limit", default="4GB")
    p.add_argument("--timeout", type=float, default=3600)
    p.add_argument(
        "--max-rss-gib",
        type=float,
        default=14,
        help="kill a contender above this RSS (shared machine)",
    )
    p.add_argument("--only", help="comma-separated: duckdb-sql-encoded-hash,parcours")
    p.add_argument("--out", type=Path, default=BENCH / "results" / "scale.json")
    a = p.parse_args()
    os.environ["BENCH_MAX_RSS_GIB"] = str(a.max_rss_gib)
    n = ab.parse_size(a.events)
    log = ab.DATA / f"synth_{ab.label(n)}.parquet"
    if not log.exists():
        synthlog.generate(n, log)
    tmp = ab.DATA / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    out_dir = ab.DATA / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    specs = {
        "duckdb-sql-encoded-hash": {
            "cmd": [
                str(ab.PROJECT_PY),
                str(BENCH / "contenders" / "duckdb_sql.py"),
                str(log),
                "--hash-variants",
                "--memory-limit",
                a.memory_limit,
                "--temp-dir",
                str(tmp),
                "--top",
                str(ab.TOP),
            ],
        },
        "parcours": {
            "cmd": [
                str(ab.PARCOURS),
                "analyze",
                str(log),
                "--format",
                "json",
                "--top",
                str(ab.TOP),
                "-o",
                str(out_dir / f"parcours_{log.stem}.json"),
            ],
            "output": out_dir / f"parcours_{log.stem}.json",
        },
    }
    only = a.only.split(",") if a.only else None
    doc = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": ab.machine(),
        "events": n,
        "log": str(log.relative_to(ab.ROOT)),
        "log_bytes": log.stat().st_size,
        "memory_limit": a.memory_limit,
        "runs": {},
    }
    for name, spec in specs.items():
        if only and name not in only:
            continue
        rec = ab.run_one(name, spec, a.timeout)
        print(
            f"{ab.label(n)} {name}: {rec.get('status')} {rec.get('wall_s', '')} s "
            f"{rec.get('peak_rss_mib', '')} MiB {rec.get('error', '')}",
            file=sys.stderr,
        )
        doc["runs"][name] = rec
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(json.dumps(doc, indent=1) + "\n")
    print(json.dumps(doc, indent=1))


if __name__ == "__main__":
    main()
