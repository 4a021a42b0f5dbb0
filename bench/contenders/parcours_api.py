"""Contender: parcours through its Python API, with the time of each stage.

    .venv/bin/python bench/contenders/parcours_api.py LOG.parquet [--top 100]

``read_events`` then ``analyze`` (the same work as ``parcours analyze``), timing the
stages the engine reports through its progress callback. Prints one JSON line: stage
timings (s) and the summary all contenders must agree on. If the API is missing or
fails, prints {"contender": ..., "error": "..."}.
"""

from __future__ import annotations

import argparse
import json
import time


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("log")
    p.add_argument("--top", type=int, default=100)
    a = p.parse_args()
    t0 = time.perf_counter()
    stages: dict[str, float] = {}
    clock = [t0, "import"]

    def mark(next_name: str) -> None:
        now = time.perf_counter()
        stages[clock[1]] = round(now - clock[0], 4)
        clock[0], clock[1] = now, next_name

    try:
        from parcours.analytics import analyze, read_events

        mark("read_events")
        events = read_events(a.log)
        mark("analyze:start")
        result = analyze(events, top=a.top, progress=lambda stage: mark(f"analyze:{stage}"))
        mark("end")
        stages.pop("end", None)
    except Exception as exc:  # report, do not crash the harness
        print(json.dumps({"contender": "parcours-api", "error": f"{type(exc).__name__}: {exc}"}))
        return
    stages["total"] = round(time.perf_counter() - t0, 4)
    print(
        json.dumps(
            {
                "contender": "parcours-api",
                "stages": stages,
                "summary": summary(result),
            }
        )
    )


def summary(result: dict) -> dict:
    return {
        "n_events": result["n_events"],
        "n_cases": result["n_cases"],
        "n_edges": len(result["dfg"]),
        "dfg_total": int(sum(e[2] for e in result["dfg"])),
        "n_variants": result["n_variants"],
        "top_variant_count": result["variants"][0]["count"] if result["variants"] else 0,
    }


if __name__ == "__main__":
    main()
