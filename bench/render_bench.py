"""Rendering benchmark: SVG, PNG, PDF and PPTX of a 30-step × 10-lane map and a 200-step map.

Every measurement runs in its own process so that its peak memory (``ru_maxrss``, read
with ``os.wait4``) is its own. In that process the map is generated, then rendered once
cold (the first render pays for the font tables) and ``--repeat`` times warm; the table
shows the median warm time, the cold time and the peak memory, side by side::

    .venv/bin/python bench/render_bench.py                 # prints the Markdown table
    .venv/bin/python bench/render_bench.py --json out.json

The maps are generated (seeded, deterministic): French texts of varied length with
accents and emoji, every lane kind, moments of truth, KPIs and opportunities.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
KINDS = ["touchpoints", "actions", "thoughts", "emotions", "pain_points",
         "opportunities", "kpis", "backstage", "notes", "metrics"]  # fmt: skip
TEXT = (
    "client compare les offres puis remplit le formulaire en ligne et attend une réponse "
    "du conseiller pendant que l'application envoie une notification à propos du dossier "
    "incomplet 😤 justificatif refusé délai trop long"
)
WORDS = TEXT.split()


def generate(steps: int, lanes: int = 10) -> Any:
    """A journey of ``steps`` steps over ``lanes`` lanes, deterministic."""
    import random

    from parcours import files

    rnd = random.Random(steps * 1000 + lanes)

    def text(lo: int, hi: int) -> str:
        return " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(lo, hi))).capitalize()

    kinds = KINDS[:lanes]
    stages = []
    for s in range(0, steps, 6):
        stage_steps = []
        for i in range(s, min(s + 6, steps)):
            cells: dict[str, Any] = {
                "id": f"s{i}", "touchpoints": ["web", "phone"][: 1 + i % 2],
                "moment_of_truth": i % 9 == 4,
                "actions": [text(2, 9), text(2, 6)], "thoughts": [f"« {text(3, 12)} ? »"],
                "emotion": rnd.randint(-2, 2),
                "pain_points": [{"text": text(4, 18), "severity": rnd.choice(["irritant", "blocker", "rupture"]),
                                 "evidence": text(3, 8)}],
                "opportunities": [{"text": text(3, 10), "owner": "Équipe produit",
                                   "priority": rnd.choice(["low", "medium", "high", "critical"])}],
                "kpis": [{"kpi": "conv", "target": 50, "measured": rnd.randint(20, 80)}],
                "backstage": [text(2, 6)], "notes": [text(1, 20)],
                "metrics": [{"name": "Volume", "value": rnd.randint(100, 99999), "unit": "clients"}],
            }  # fmt: skip
            step = {k: v for k, v in cells.items()
                    if k in ("id", "moment_of_truth") or (k if k != "emotion" else "emotions") in kinds}  # fmt: skip
            stage_steps.append({f"Étape {i + 1} : {text(2, 6)}": step})
        stages.append({f"Phase {s // 6 + 1}": stage_steps})
    doc = {
        "parcours": 1, "journey": f"Carte de {steps} étapes × {lanes} couloirs", "id": "bench",
        "lang": "fr", "lanes": kinds,
        "channels": [{"id": "w", "name": "Site web", "kind": "digital"},
                     {"id": "p", "name": "Téléphone", "kind": "human"}],
        "touchpoints": [{"id": "web", "name": "Espace client", "channel": "w"},
                        {"id": "phone", "name": "Centre d'appels", "channel": "p"}],
        "kpis": [{"id": "conv", "name": "Conversion", "unit": "%"}],
        "stages": stages,
    }  # fmt: skip
    return files.loads(json.dumps(doc, ensure_ascii=False), "bench.json")


def measure(fmt: str, steps: int, lanes: int, repeat: int) -> dict[str, Any]:
    """Runs inside the child: render ``repeat`` + 1 times, report the times and sizes."""
    journey = generate(steps, lanes)
    from parcours.render import layout, to_pdf, to_png, to_svg
    from parcours.render.pptx import pptx_bytes

    def once() -> bytes:
        if fmt == "svg":
            return to_svg(journey).encode("utf-8")
        if fmt == "png":
            return to_png(journey)
        if fmt == "layout":
            layout(journey)
            return b""
        if fmt == "pptx":
            return pptx_bytes(journey)
        return to_pdf(journey)

    import resource

    def cpu_time() -> float:  # this process and the children it waited for (PNG bands)
        mine = resource.getrusage(resource.RUSAGE_SELF)
        theirs = resource.getrusage(resource.RUSAGE_CHILDREN)
        return mine.ru_utime + mine.ru_stime + theirs.ru_utime + theirs.ru_stime

    start = time.perf_counter()
    data = once()
    cold = time.perf_counter() - start
    warm, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), cpu_time()
        data = once()
        warm.append(time.perf_counter() - start)
        cpu.append(cpu_time() - start_cpu)
    out: dict[str, Any] = {
        "format": fmt, "steps": steps, "lanes": lanes, "cold_s": cold,
        "warm_s": statistics.median(warm) if warm else cold,
        "cpu_s": statistics.median(cpu) if cpu else cold,
        "bytes": len(data),
        # the largest child (a PNG band drawn in a forked process), beside this process' own
        "children_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }  # fmt: skip
    if fmt == "png":
        import struct

        out["pixels"] = list(struct.unpack(">II", data[16:24]))
    if fmt == "pptx":
        import io
        import zipfile

        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        out["slides"] = sum(1 for n in names if n.startswith("ppt/slides/slide"))
    if fmt == "pdf":
        import io

        from pypdf import PdfReader  # in the test extra

        out["pages"] = len(PdfReader(io.BytesIO(data)).pages)
    return out


def run_child(fmt: str, steps: int, lanes: int, repeat: int) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", fmt, str(steps), str(lanes), str(repeat)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"child {cmd} failed with status {status}")
    result: dict[str, Any] = json.loads(output)
    result["peak_mib"] = usage.ru_maxrss / 1024
    return result


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
            f"load average {load:.1f} at start")  # fmt: skip


def table(results: list[dict[str, Any]]) -> str:
    rows = ["| map | format | time (median) | CPU time (median) | first in process | peak memory | output |",
            "| --- | --- | ---: | ---: | ---: | ---: | --- |"]  # fmt: skip
    for r in results:
        out = f"{r['bytes'] / 1024:,.0f} KiB" if r["bytes"] else "(geometry only)"
        if "pixels" in r:
            out += f", {r['pixels'][0]} × {r['pixels'][1]} px"
        if "pages" in r:
            out += f", {r['pages']} pages"
        if "slides" in r:
            out += f", {r['slides']} slides"
        rows.append(
            f"| {r['steps']} steps × {r['lanes']} lanes | {r['format'].upper()} | "
            f"{_t(r['warm_s'])} | {_t(r['cpu_s'])} | {_t(r['cold_s'])} | {_peak(r)} | {out} |"
        )
    return "\n".join(rows)


def _peak(r: dict[str, Any]) -> str:
    """The process' peak, and its largest child's when it forked (PNG bands)."""
    child = r.get("children_peak_mib", 0)
    return f"{r['peak_mib']:,.0f} MiB" + (f" (+ {child:,.0f} MiB a band)" if child else "")


def _t(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        fmt, numbers = sys.argv[2], [int(a) for a in sys.argv[3:6]]
        sys.stdout.write(json.dumps(measure(fmt, *numbers)))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="warm renders per measurement")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument(
        "--only", nargs="*", help="only these formats (layout, svg, png, pdf, pptx)"
    )
    args = parser.parse_args()
    plan = [("layout", 30, 10), ("svg", 30, 10), ("png", 30, 10), ("pdf", 30, 10), ("pptx", 30, 10),
            ("layout", 200, 10), ("svg", 200, 10), ("png", 200, 10), ("pdf", 200, 10),
            ("pptx", 200, 10)]  # fmt: skip
    if args.only:
        plan = [p for p in plan if p[0] in args.only]
    print(f"# {machine()}", file=sys.stderr)
    results = []
    for fmt, steps, lanes in plan:
        slow = fmt in ("pdf", "pptx") and steps > 100
        repeat = args.repeat if not slow else max(1, args.repeat // 3)
        result = run_child(fmt, steps, lanes, repeat)
        print(f"  {fmt} {steps}: {result['warm_s']:.3f} s, CPU {result['cpu_s']:.3f} s, "
              f"{result['peak_mib']:.0f} MiB", file=sys.stderr)  # fmt: skip
        results.append(result)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "results": results}, indent=2))
    print(table(results))


if __name__ == "__main__":
    main()
