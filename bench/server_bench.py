"""Load generator for the workspace server: operation apply and journey read under editors.

    .venv/bin/python bench/server_bench.py [--db sqlite|postgresql] [--editors 1,10,50]
                                           [--seconds 10] [--out bench/results/server.json]

Loopback only and bounded: it starts ``parcours serve`` on 127.0.0.1 with a fresh database
(a SQLite file in a temporary folder, or a new PostgreSQL database on 127.0.0.1:5432 that
it drops at the end), signs nobody in through the web (an API token made with the store),
and for each number of editors runs that many concurrent clients against one journey for
``--seconds`` (at most ``--max-requests`` requests per level). Each editor loops: read the
journey (GET, ETag), apply one operation with ``If-Match`` on its own step (a 412 is
retried with the new version and counted), then pauses ``--think`` seconds on average (a
person typing; 0 = as fast as the server answers, which measures saturation). A co-editor's
event stream records when each acknowledged edit became visible to it (from the moment the
edit was sent). It reports p50 / p99 latency and requests per
second of reads and of operations, the retries, the errors (non-2xx other than 412), and
the machine load (``os.getloadavg``) before each level.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def prepare(url: str) -> tuple[str, str, list[str]]:
    """A workspace with one journey and an editor's token; returns (journey id, token, steps)."""
    from parcours.catalog import new_from_template
    from parcours.web.server import open_store

    store = open_store(url)
    try:
        user = store.users.add("bench@example.org", uuid.uuid4().hex)
        token = store.tokens.create(user.id)[0]
        atlas = new_from_template("bank-account-opening", "fr")
        ws = store.workspaces.create("Bench", owner_id=user.id, atlas=atlas)
        journey = atlas.standalone(atlas.journeys[0].id)
        info = store.journeys.create(ws.id, journey, author_id=user.id)
        steps = [s.id for s in journey.steps()]
        return str(info.id), token, steps
    finally:
        store.close()


async def editor(
    rng: random.Random,
    think: float,
    client: httpx.AsyncClient,
    jid: str,
    step: str,
    n: int,
    stop: float,
    budget: list[int],
    out: dict[str, Any],
) -> None:
    count = 0
    if think > 0:  # people do not all press a key at the same millisecond: starts spread
        await asyncio.sleep(rng.uniform(0, think))
    while time.perf_counter() < stop and budget[0] > 0:
        budget[0] -= 2
        t0 = time.perf_counter()
        try:
            r = await client.get(f"/api/journeys/{jid}")
        except httpx.HTTPError as exc:
            out["errors"].append(f"GET {type(exc).__name__}")
            continue
        out["read"].append(time.perf_counter() - t0)
        if r.status_code != 200:
            out["errors"].append(f"GET {r.status_code}")
            continue
        version = r.headers["etag"]
        count += 1
        body = [
            {
                "op": "set_step",
                "step": step,
                "field": "description",
                "value": f"édité par l'éditeur {n}, passage {count}",
            }
        ]
        for _ in range(20):
            t0 = time.perf_counter()
            key = uuid.uuid4().hex
            out["sent"][key] = t0
            try:
                w = await client.post(
                    f"/api/journeys/{jid}/operations",
                    json=body,
                    headers={"If-Match": version, "Idempotency-Key": key},
                )
            except httpx.HTTPError as exc:
                out["errors"].append(f"POST {type(exc).__name__}")
                break
            out["write"].append(time.perf_counter() - t0)
            if w.status_code == 412:
                out["retries"] += 1
                version = w.headers["etag"]
                continue
            if w.status_code != 200:
                out["errors"].append(f"POST {w.status_code}: {w.text[:200]}")
            break
        if think > 0:
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))


async def level(
    base: str,
    token: str,
    jid: str,
    steps: list[str],
    editors: int,
    seconds: float,
    max_requests: int,
    think: float,
) -> dict[str, Any]:
    rng = random.Random(editors)
    out: dict[str, Any] = {
        "read": [],
        "write": [],
        "retries": 0,
        "errors": [],
        "sent": {},
        "seen": {},
    }
    limits = httpx.Limits(max_connections=editors, max_keepalive_connections=editors)
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, limits=limits, timeout=30
    ) as client:
        budget = [max_requests]
        ready = asyncio.Event()
        watcher = asyncio.create_task(watch(base, token, jid, out, ready))
        await asyncio.wait_for(ready.wait(), 30)
        start = time.perf_counter()
        stop = start + seconds
        await asyncio.gather(
            *(
                editor(rng, think, client, jid, steps[i % len(steps)], i, stop, budget, out)
                for i in range(editors)
            )
        )
        elapsed = time.perf_counter() - start
        await asyncio.sleep(1.0)  # the last events arrive
        watcher.cancel()
    delays = [out["seen"][k] - out["sent"][k] for k in out["seen"] if k in out["sent"]]
    ms = 1000.0
    return {
        "editors": editors,
        "think_s": think,
        "seconds": round(elapsed, 2),
        "reads": len(out["read"]),
        "writes": len(out["write"]),
        "read_p50_ms": round(percentile(out["read"], 0.5) * ms, 1),
        "read_p99_ms": round(percentile(out["read"], 0.99) * ms, 1),
        "write_p50_ms": round(percentile(out["write"], 0.5) * ms, 1),
        "write_p99_ms": round(percentile(out["write"], 0.99) * ms, 1),
        "requests_per_s": round((len(out["read"]) + len(out["write"])) / elapsed, 1),
        "writes_per_s": round(len(out["write"]) / elapsed, 1),
        "retries_412": out["retries"],
        "errors": len(out["errors"]),
        "first_errors": out["errors"][:3],
        "mean_write_ms": round(statistics.fmean(out["write"]) * ms, 1) if out["write"] else None,
        "events": len(delays),
        "visible_p50_ms": round(percentile(delays, 0.5) * ms, 1),
        "visible_p99_ms": round(percentile(delays, 0.99) * ms, 1),
    }


async def watch(base: str, token: str, jid: str, out: dict[str, Any], ready: asyncio.Event) -> None:
    """One co-editor's event stream: when each acknowledged edit became visible to it."""
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        httpx.AsyncClient(base_url=base, headers=headers, timeout=None) as client,
        client.stream("GET", f"/api/journeys/{jid}/events") as stream,
    ):
        async for line in stream.aiter_lines():
            if line.startswith("event: ready"):
                ready.set()
            elif line.startswith("data:") and '"operations"' in line:
                key = json.loads(line[5:])["id"]
                out["seen"][key] = time.perf_counter()


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its finished children."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(x) for x in fields[11:15]) / ticks


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped at start (exit {proc.returncode})")
        try:
            if httpx.get(base + "/openapi.json", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer within 60 s")


def run(
    db: str,
    editors: list[int],
    seconds: float,
    max_requests: int,
    workers: int,
    thinks: list[float],
) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="parcours-bench-"))
    dbname = None
    if db == "sqlite":
        url = f"sqlite:///{folder / 'bench.db'}"
    else:
        import sqlalchemy as sa

        dbname = f"parcours_bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{dbname}"'))
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{dbname}"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    try:
        jid, token, steps = prepare(url)
        log = (folder / "server.log").open("wb")
        print(f"server log: {folder / 'server.log'}", flush=True)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "parcours",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--db",
                url,
                "--workers",
                str(workers),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_ready(base, proc)
            levels = []
            for think in thinks:
                for n in editors:
                    load = os.getloadavg()
                    cpu0, mine0 = process_cpu(proc.pid), time.process_time()
                    result = asyncio.run(
                        level(base, token, jid, steps, n, seconds, max_requests, think)
                    )
                    requests = max(1, result["reads"] + result["writes"])
                    result["server_cpu_ms_per_request"] = round(
                        (process_cpu(proc.pid) - cpu0) * 1000 / requests, 2
                    )
                    result["client_cpu_ms_per_request"] = round(
                        (time.process_time() - mine0) * 1000 / requests, 2
                    )
                    result["load_before"] = [round(x, 2) for x in load]
                    print(json.dumps({"db": db, **result}), flush=True)
                    levels.append(result)
        finally:
            proc.terminate()
            proc.wait(30)
            log.close()
    finally:
        if dbname is not None:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
    return {"db": db, "workers": workers, "levels": levels}


def render(results: dict[str, Any]) -> str:
    """The Markdown table of a results file (docs/benchmarks.md)."""
    lines = [
        f"Run {results['when']} on {results['machine']['cpus']} cores, load at start "
        f"{results['machine']['load_at_start']}.",
        "",
        "| database | editors | pause (s) | operation p50 / p99 (ms) | read p50 / p99 (ms) "
        "| edit visible p50 / p99 (ms) | requests/s | operations/s | 412 retries | errors "
        "| load before |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for run in results["runs"]:
        for lv in run["levels"]:
            lines.append(
                f"| {run['db']} | {lv['editors']} | {lv['think_s']:g} "
                f"| {lv['write_p50_ms']} / {lv['write_p99_ms']} "
                f"| {lv['read_p50_ms']} / {lv['read_p99_ms']} "
                f"| {lv.get('visible_p50_ms', '–')} / {lv.get('visible_p99_ms', '–')} "
                f"| {lv['requests_per_s']} "
                f"| {lv['writes_per_s']} | {lv['retries_412']} | {lv['errors']} "
                f"| {', '.join(str(x) for x in lv['load_before'])} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument("--editors", default="1,10,50")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--think", default="1,0", help="mean pauses between an editor's edits, seconds (0: none)"
    )
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "server.json")
    parser.add_argument("--render", type=Path, help="print the Markdown table of a results file")
    args = parser.parse_args()
    if args.render:
        print(render(json.loads(args.render.read_text(encoding="utf-8"))))
        return
    editors = [int(x) for x in args.editors.split(",")]
    thinks = [float(x) for x in args.think.split(",")]
    if max(editors) > 200 or args.seconds > 120:
        raise SystemExit("bounded: at most 200 editors and 120 seconds per level")
    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "runs": [
            run(db, editors, args.seconds, args.max_requests, args.workers, thinks)
            for db in args.db.split(",")
        ],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
