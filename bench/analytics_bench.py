"""Analytics engine benchmark: parcours vs PM4Py vs DuckDB SQL vs Polars, side by side.

    .venv/bin/python bench/analytics_bench.py [--sizes 1M,5M] [--repeat 1] [--only NAME,...]
    .venv/bin/python bench/analytics_bench.py --render bench/results/analytics.json

Runs in the project venv. For every size it generates (once, into the ignored
bench/data/) a deterministic synthetic log with bench/synthlog.py, then runs every
contender as a separate subprocess on the same Parquet file and records:
- wall time end to end (process start to exit: interpreter, imports, reading, computing),
- peak RSS of that process (os.wait4's ru_maxrss),
- the contender's own stage timings (one JSON line on its stdout),
- a summary (events, cases, edges, DFG total, variants, top variant count) that must be
  equal across contenders: a contender that disagrees is flagged, not silently timed.

Contenders: ``parcours`` (the CLI, ``parcours analyze LOG --format json --top 100``; "not
available" if the command does not exist yet), ``parcours-api`` (same work through the
Python API, with the engine's stage times), ``pm4py`` (peer venv: format_dataframe +
discover_dfg + get_variants), ``duckdb-sql`` / ``duckdb-sql-encoded`` /
``duckdb-sql-encoded-hash`` (hand-written SQL, see contenders/duckdb_sql.py), ``polars``
and ``polars-categorical`` (peer venv). PM4Py and Polars run in bench/.peers/venv
(PM4Py is AGPL: never in the project venv); make it with bench/peers.sh.

Results go to bench/results/analytics.json (small; committed) and, with --render, to a
Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"
RESULTS = BENCH / "results"
PROJECT_PY = Path(sys.executable)
PEER_PY = BENCH / ".peers" / "venv" / "bin" / "python"
PARCOURS = PROJECT_PY.parent / "parcours"
TOP = 100


def contenders(log: Path, out_dir: Path) -> dict[str, dict]:
    c = BENCH / "contenders"
    return {
        "parcours": {
            "cmd": [
                str(PARCOURS),
                "analyze",
                str(log),
                "--format",
                "json",
                "--top",
                str(TOP),
                "-o",
                str(out_dir / f"parcours_{log.stem}.json"),
            ],
            "output": out_dir / f"parcours_{log.stem}.json",
        },
        "parcours-api": {
            "cmd": [str(PROJECT_PY), str(c / "parcours_api.py"), str(log), "--top", str(TOP)]
        },
        "pm4py": {
            "cmd": [str(PEER_PY), str(c / "pm4py_peer.py"), str(log), "--top", str(TOP)],
            "peer": True,
        },
        "duckdb-sql": {
            "cmd": [str(PROJECT_PY), str(c / "duckdb_sql.py"), str(log), "--top", str(TOP)]
        },
        "duckdb-sql-encoded": {
            "cmd": [
                str(PROJECT_PY),
                str(c / "duckdb_sql.py"),
                str(log),
                "--encode",
                "--top",
                str(TOP),
            ]
        },
        "duckdb-sql-encoded-hash": {
            "cmd": [
                str(PROJECT_PY),
                str(c / "duckdb_sql.py"),
                str(log),
                "--hash-variants",
                "--top",
                str(TOP),
            ]
        },
        "polars": {
            "cmd": [str(PEER_PY), str(c / "polars_peer.py"), str(log), "--top", str(TOP)],
            "peer": True,
        },
        "polars-categorical": {
            "cmd": [
                str(PEER_PY),
                str(c / "polars_peer.py"),
                str(log),
                "--categorical",
                "--top",
                str(TOP),
            ],
            "peer": True,
        },
    }


def run_measured(cmd: list[str], timeout: float) -> dict:
    """Run cmd with a timeout; its exit code, wall time and output."""
    env = dict(os.environ, PYTHONWARNINGS="ignore", POLARS_MAX_THREADS="2")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        return {"status": "timeout", "wall_s": round(time.perf_counter() - t0, 3)}
    # the peak RSS of the contender alone comes from a fresh wrapper process that waits
    # for it with os.wait4 (see WRAPPER / measure)
    wall = time.perf_counter() - t0
    return {
        "returncode": proc.returncode,
        "wall_s": round(wall, 3),
        "stdout": out.decode(),
        "stderr": err.decode(),
    }


WRAPPER = r"""
import json, os, subprocess, sys, threading, time
limit = float(os.environ.get("BENCH_MAX_RSS_GIB", "0")) * 2**30
t0 = time.perf_counter()
p = subprocess.Popen(sys.argv[1:])
killed = []

def watch():
    # guard for the shared machine: kill the contender if its RSS passes the limit
    while p.poll() is None:
        try:
            with open(f"/proc/{p.pid}/status") as f:
                rss = next(int(x.split()[1]) * 1024 for x in f if x.startswith("VmRSS:"))
        except (OSError, StopIteration):
            rss = 0
        if rss > limit:
            killed.append(rss)
            p.kill()
            return
        time.sleep(0.2)

if limit:
    threading.Thread(target=watch, daemon=True).start()
_, status, ru = os.wait4(p.pid, 0)
wall = time.perf_counter() - t0
sys.stderr.write("\n@@measure " + json.dumps({"wall_s": round(wall, 3), "peak_rss_bytes": ru.ru_maxrss * 1024,
    "returncode": os.waitstatus_to_exitcode(status), "killed_over_rss_gib": bool(killed)}) + "\n")
"""


def measure(cmd: list[str], timeout: float) -> dict:
    r = run_measured([sys.executable, "-c", WRAPPER, *cmd], timeout)
    if r.get("status") == "timeout":
        return r
    lines = r["stderr"].splitlines()
    m = next(
        (json.loads(x[len("@@measure ") :]) for x in reversed(lines) if x.startswith("@@measure ")),
        None,
    )
    if m is None:
        return {"status": "error", "error": r["stderr"][-2000:]}
    m["stdout"] = r["stdout"]
    m["stderr"] = "\n".join(x for x in lines if not x.startswith("@@measure "))[-2000:]
    return m


def summary_of_cli_output(path: Path) -> dict:
    result = json.loads(path.read_text())
    return {
        "n_events": result["n_events"],
        "n_cases": result["n_cases"],
        "n_edges": len(result["dfg"]),
        "dfg_total": int(sum(e[2] for e in result["dfg"])),
        "n_variants": result["n_variants"],
        "top_variant_count": result["variants"][0]["count"] if result["variants"] else 0,
    }


def loadavg() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def run_one(name: str, spec: dict, timeout: float) -> dict:
    if spec.get("peer") and not PEER_PY.exists():
        return {"status": "not available", "why": "peer venv missing (bench/peers.sh)"}
    if name == "parcours" and not PARCOURS.exists():
        return {"status": "not available", "why": "no parcours executable in the venv"}
    before = loadavg()
    m = measure(spec["cmd"], timeout)
    rec: dict = {"loadavg_before": before}
    if m.get("status") in ("timeout", "error"):
        rec.update(m)
        return rec
    rec.update({"wall_s": m["wall_s"], "peak_rss_mib": round(m["peak_rss_bytes"] / 2**20, 1)})
    if m.get("killed_over_rss_gib"):
        rec.update(
            {
                "status": "killed",
                "error": f"RSS above BENCH_MAX_RSS_GIB={os.environ.get('BENCH_MAX_RSS_GIB')}",
            }
        )
        return rec
    if m["returncode"] != 0:
        text = m["stderr"].strip().splitlines()
        not_there = any("No such command" in x or "unknown command" in x.lower() for x in text)
        rec.update(
            {"status": "not available" if not_there else "failed", "error": "\n".join(text[-5:])}
        )
        return rec
    if "output" in spec:
        rec["summary"] = summary_of_cli_output(spec["output"])
        rec["status"] = "ok"
        return rec
    line = next((x for x in reversed(m["stdout"].splitlines()) if x.startswith("{")), None)
    if line is None:
        rec.update({"status": "failed", "error": m["stderr"][-500:]})
        return rec
    doc = json.loads(line)
    if "error" in doc:
        rec.update({"status": "failed", "error": doc["error"]})
        return rec
    rec.update({"status": "ok", "stages": doc.get("stages", {}), "summary": doc["summary"]})
    for k in ("duckdb", "polars", "pm4py"):
        if k in doc:
            rec["version"] = doc[k]
    return rec


def machine() -> dict:
    info: dict = {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        cpu = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(
            x.split(":", 1)[1].strip() for x in cpu.splitlines() if x.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    try:
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        info["mem_gib"] = round(int(mem) / 2**20, 1)
    except (OSError, IndexError):
        pass
    versions = {}
    for py, pkgs in (
        (PROJECT_PY, ["duckdb", "ibis-framework", "pyarrow", "numpy", "parcours"]),
        (PEER_PY, ["pm4py", "pandas", "polars"]),
    ):
        if not Path(py).exists():
            continue
        code = (
            "import json, importlib.metadata as m\nv = {}\n"
            f"for p in {pkgs!r}:\n    try:\n        v[p] = m.version(p)\n"
            "    except Exception:\n        pass\nprint(json.dumps(v))"
        )
        out = subprocess.run([str(py), "-c", code], capture_output=True, text=True, check=False)
        if out.returncode == 0:
            versions.update(json.loads(out.stdout))
    info["versions"] = versions
    git = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h %cI"],
        capture_output=True,
        text=True,
        check=False,
    )
    if git.returncode == 0:
        info["parcours_commit"] = git.stdout.strip()
    return info


def parse_size(text: str) -> int:
    text = text.strip().upper()
    mult = {"K": 1_000, "M": 1_000_000, "G": 1_000_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("KMG")) * mult)


def label(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n:,}"


def bench(sizes: list[int], only: list[str] | None, repeat: int, timeout: float, out: Path) -> dict:
    sys.path.insert(0, str(BENCH))
    import synthlog

    doc = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "top": TOP,
        "sizes": {},
    }
    (DATA / "out").mkdir(parents=True, exist_ok=True)
    for n in sizes:
        log = DATA / f"synth_{label(n)}.parquet"
        if not log.exists():
            synthlog.generate(n, log)
        runs: dict = {}
        for name, spec in contenders(log, DATA / "out").items():
            if only and name not in only:
                continue
            best = None
            for _ in range(repeat):
                rec = run_one(name, spec, timeout)
                print(
                    f"{label(n)} {name}: {rec.get('status')} {rec.get('wall_s', '')} s "
                    f"{rec.get('peak_rss_mib', '')} MiB {rec.get('error', '')}",
                    file=sys.stderr,
                )
                if best is None or (
                    rec.get("status") == "ok" and rec["wall_s"] < best.get("wall_s", float("inf"))
                ):
                    best = rec
                if rec.get("status") != "ok":
                    break
            runs[name] = best
        ref = next(
            (
                r["summary"]
                for k, r in runs.items()
                if k.startswith("duckdb-sql") and r.get("status") == "ok"
            ),
            None,
        )
        for r in runs.values():
            if ref is not None and r.get("status") == "ok":
                r["agrees"] = r["summary"] == ref
        pm = runs.get("pm4py", {})
        for r in runs.values():
            if r.get("status") == "ok" and pm.get("status") == "ok":
                r["speedup_vs_pm4py"] = round(pm["wall_s"] / r["wall_s"], 2)
        doc["sizes"][label(n)] = {
            "log": str(log.relative_to(ROOT)),
            "reference_summary": ref,
            "runs": runs,
        }
        out.write_text(json.dumps(doc, indent=1) + "\n")
    return doc


def render(doc: dict) -> str:
    m = doc["machine"]
    v = m.get("versions", {})
    lines = [
        f"Run {doc['date']} on {m.get('nproc')} cores ({m.get('cpu', '?')}), {m.get('mem_gib', '?')} GiB RAM, "
        f"Python {m.get('python')}; "
        + ", ".join(f"{k} {x}" for k, x in sorted(v.items()))
        + (f"; parcours at commit {m['parcours_commit']}" if m.get("parcours_commit") else "")
        + ".",
        "",
        "| events | contender | end to end (s) | × vs PM4Py | peak RSS (MiB) | stages (s) | same answer |",
        "| ---: | --- | ---: | ---: | ---: | --- | :---: |",
    ]
    for size, block in doc["sizes"].items():
        for name, r in block["runs"].items():
            if r is None:
                continue
            if r.get("status") != "ok":
                lines.append(
                    f"| {size} | {name} | {r.get('status')} | | | {r.get('error', r.get('why', ''))[:80]} | |"
                )
                continue
            stages = ", ".join(
                f"{k} {x:.2f}"
                for k, x in r.get("stages", {}).items()
                if k != "total" and x >= 0.005
            )
            lines.append(
                f"| {size} | {name} | {r['wall_s']:.2f} | {r.get('speedup_vs_pm4py', '')} | {r['peak_rss_mib']:.0f} "
                f"| {stages} | {({True: 'yes', False: 'NO'}).get(r.get('agrees'), 'not checked')} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="1M,5M")
    p.add_argument("--only", help="comma-separated contender names")
    p.add_argument("--repeat", type=int, default=1, help="runs per contender; the fastest is kept")
    p.add_argument("--timeout", type=float, default=1800)
    p.add_argument("--out", type=Path, default=RESULTS / "analytics.json")
    p.add_argument(
        "--render", type=Path, help="print the Markdown table of a results file and exit"
    )
    a = p.parse_args()
    if a.render:
        sys.stdout.write(render(json.loads(a.render.read_text())))
        return
    a.out.parent.mkdir(parents=True, exist_ok=True)
    doc = bench(
        [parse_size(s) for s in a.sizes.split(",")],
        a.only.split(",") if a.only else None,
        a.repeat,
        a.timeout,
        a.out,
    )
    sys.stdout.write(render(doc))


if __name__ == "__main__":
    main()
