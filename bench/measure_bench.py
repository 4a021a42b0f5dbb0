"""What a measurement costs the server: ``parcours serve`` on the demo workspace, the demo
journey measured through ``POST /api/journeys/ID/measure`` with a demo event log of N
events, side by side for each log size.

    .venv/bin/python bench/measure_bench.py [--events 50k,1M] [--repeat 3] [--out FILE]

For each size it reports the request's wall time (median of ``--repeat``), the server
process's resident memory before the first measurement and its high-water mark after the
last one (``VmRSS``, ``VmHWM`` of /proc), and the machine's load average before. Run it
with ``PYTHONPATH`` pointing at the code to measure (the server is started with the same
interpreter and path), once per version, and compare the two results.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from tests.web.test_serve import serve  # noqa: E402


def sizes(text: str) -> list[int]:
    scale = {"k": 1_000, "M": 1_000_000}
    return [
        int(float(p[:-1]) * scale[p[-1]]) if p[-1] in scale else int(p) for p in text.split(",")
    ]


def server_pid(port: str) -> int:
    """The process of ``parcours serve --port PORT`` (found by its command line)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"serve" in argv and port.encode() in argv:
                return int(entry.name)
    raise SystemExit(f"no parcours serve on port {port}")


def memory(pid: int) -> dict[str, int]:
    status = (Path("/proc") / str(pid) / "status").read_text()
    return {
        k: int(re.search(rf"{k}:\s+(\d+)", status).group(1)) // 1024 for k in ("VmRSS", "VmHWM")
    }  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="50k,1M")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--visit",
        action="store_true",
        help="open the measure page first and wait 3 s (a person choosing files)",
    )
    args = parser.parse_args()
    from parcours.analytics.demo_data import write_demo_data

    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "code": os.environ.get("PYTHONPATH", str(ROOT)),
        "runs": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        logs = {}
        for n in sizes(args.events):
            folder = Path(tmp) / f"demo-{n}"
            write_demo_data(folder, n, 7, False)
            logs[n] = folder / "events.parquet"
        with serve([], {"XDG_DATA_HOME": tmp}) as (base, lines):
            found = re.search(r"sign in as (\S+) with password (\S+)", "\n".join(lines))
            assert found, lines
            pid = server_pid(base.rsplit(":", 1)[1])
            client = httpx.Client(base_url=base, timeout=600)
            email, password = found.groups()
            me = client.post("/api/session", json={"email": email, "password": password})
            me.raise_for_status()
            csrf = {"X-CSRF-Token": me.json()["csrf_token"]}
            workspaces = client.get("/api/workspaces").json()
            first = workspaces["items"][0] if isinstance(workspaces, dict) else workspaces[0]
            journeys = client.get(f"/api/workspaces/{first['id']}/journeys").json()
            items = journeys["items"] if isinstance(journeys, dict) else journeys
            jid = items[0]["id"]
            if args.visit:
                client.get(f"/journeys/{jid}/measure").raise_for_status()
                time.sleep(3)
            start = memory(pid)
            for n, path in logs.items():
                times = []
                load = os.getloadavg()[0]
                for _ in range(args.repeat):
                    began = time.perf_counter()
                    with path.open("rb") as f:
                        r = client.post(
                            f"/api/journeys/{jid}/measure",
                            headers=csrf,
                            files={"log": (path.name, f, "application/octet-stream")},
                        )
                    times.append(time.perf_counter() - began)
                    assert r.status_code == 200, r.text
                run = {
                    "events": n,
                    "load_before": round(load, 2),
                    "seconds": [round(t, 3) for t in times],
                    "median_s": round(statistics.median(times), 3),
                    "cases": r.json()["cases"],
                    "server_mib": memory(pid),
                }
                results["runs"].append(run)
                print(json.dumps(run))
            results["server_mib_at_start"] = start
    print(json.dumps(results, indent=1))
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
