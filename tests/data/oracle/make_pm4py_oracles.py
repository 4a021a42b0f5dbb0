"""Write ``<log>.pm4py.json`` expected files with PM4Py, the process-mining reference.

PM4Py is AGPL: this script runs ONLY in the peer environment, never in the project venv,
and nothing under ``parcours/`` or in the pytest suite imports it (the file name does not
start with ``test_``, so pytest does not collect it)::

    bench/.peers/venv/bin/python tests/data/oracle/make_pm4py_oracles.py

For every event log of this folder (and of ``public/``) it writes, with PM4Py's own
functions, exactly the keys and shapes that ``parcours analyze --format json`` prints:
n_events, n_cases, n_activities, dfg, start_activities, end_activities, n_variants,
variants, edge_durations_seconds. How each value is derived is in README.md.

Each result is also recomputed by a small independent reference (standard library:
xml.etree + datetime.fromisoformat) that applies the ordering rule of issue 4 — order by
(case, instant, position in the file). The script fails if PM4Py and the reference
disagree, so an expected file is never a PM4Py quirk in disguise.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import statistics
import sys
import warnings
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from datetime import datetime
from importlib.metadata import version
from itertools import pairwise
from pathlib import Path

warnings.filterwarnings("ignore")

import pandas as pd  # noqa: E402
import pm4py  # noqa: E402
from pm4py.algo.discovery.dfg.adapters.pandas import df_statistics  # noqa: E402

HERE = Path(__file__).resolve().parent
CASE, ACT, TS = "case:concept:name", "concept:name", "time:timestamp"
REL = 1e-9  # relative tolerance of the self-checks


# ---------------------------------------------------------------------------- loading
def load_xes(path: Path) -> pd.DataFrame:
    # PM4Py's own reader (default variant), then format_dataframe, which sorts by
    # (case, timestamp, original row position): the ordering rule of issue 4.
    df = pm4py.read_xes(str(path))
    return pm4py.format_dataframe(df, case_id=CASE, activity_key=ACT, timestamp_key=TS)


def load_csv(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    # Mixed UTC offsets: convert explicitly to UTC instants (pandas refuses, or keeps
    # object dtype, for mixed offsets without utc=True).
    df["timestamp"] = pd.to_datetime(df["timestamp"], utc=True, format="ISO8601")
    return pm4py.format_dataframe(
        df, case_id="case_id", activity_key="activity", timestamp_key="timestamp"
    )


# -------------------------------------------------------------------- PM4Py expected
def _num(x: float) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x


def pm4py_expected(df: pd.DataFrame) -> dict:
    dfg, start, end = pm4py.discover_dfg(df, case_id_key=CASE, activity_key=ACT, timestamp_key=TS)
    perf, _, _ = pm4py.discover_performance_dfg(
        df, perf_aggregation_key="all", case_id_key=CASE, activity_key=ACT, timestamp_key=TS
    )
    # PM4Py's own per-edge duration lists (the values its aggregations are made of)
    raw = df_statistics.get_dfg_graph(
        df.copy(),
        measure="performance",
        perf_aggregation_key="raw_values",
        activity_key=ACT,
        case_id_glue=CASE,
        timestamp_key=TS,
    )
    variants = pm4py.get_variants(df, case_id_key=CASE, activity_key=ACT, timestamp_key=TS)
    # start/end activities straight from PM4Py's statistics functions too
    start2 = pm4py.get_start_activities(df, case_id_key=CASE, activity_key=ACT, timestamp_key=TS)
    end2 = pm4py.get_end_activities(df, case_id_key=CASE, activity_key=ACT, timestamp_key=TS)
    assert dict(start) == dict(start2) and dict(end) == dict(end2)

    durations = []
    for (a, b), values in sorted(raw.items()):
        values = [float(v) for v in values]
        agg = perf[(a, b)]
        stdev = statistics.stdev(values) if len(values) > 1 else None
        row = {
            "a": a,
            "b": b,
            "mean": statistics.fmean(values),
            "median": float(statistics.median(values)),
            "min": min(values),
            "max": max(values),
            "sum": math.fsum(values),
            "stdev": stdev,
        }
        # PM4Py's "all" aggregation is pandas' groupby mean/median/max/min/sum/std; its
        # 'stdev' is Series.std(), i.e. the SAMPLE stdev (ddof=1), NaN for one value.
        for key in ("mean", "median", "min", "max", "sum", "stdev"):
            mine, theirs = row[key], _num(agg[key])
            if mine is None or theirs is None:
                assert mine is None and theirs is None, (a, b, key, mine, theirs)
            else:
                assert math.isclose(mine, theirs, rel_tol=REL, abs_tol=1e-6), (
                    a,
                    b,
                    key,
                    mine,
                    theirs,
                )
        assert len(values) == dfg[(a, b)], (a, b)
        durations.append(row)
    assert set(raw) == set(dfg)

    return {
        "n_events": len(df),
        "n_cases": int(df[CASE].nunique()),
        "n_activities": int(df[ACT].nunique()),
        "dfg": sorted(
            ([a, b, int(n)] for (a, b), n in dfg.items()), key=lambda r: (-r[2], r[0], r[1])
        ),
        "start_activities": {k: int(v) for k, v in sorted(start.items())},
        "end_activities": {k: int(v) for k, v in sorted(end.items())},
        "n_variants": len(variants),
        "variants": sorted(
            ({"activities": list(v), "count": int(n)} for v, n in variants.items()),
            key=lambda r: (-r["count"], r["activities"]),
        ),
        "edge_durations_seconds": durations,
    }


# ----------------------------------------------------------- independent reference
def _parse_ts(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def reference_events(path: Path) -> list[tuple[str, str, datetime, int]]:
    """(case, activity, instant, position in file) with the standard library only."""
    name = path.name
    if name.endswith(".csv"):
        import csv

        with open(path, newline="", encoding="utf-8") as f:
            return [
                (r["case_id"], r["activity"], _parse_ts(r["timestamp"]), i)
                for i, r in enumerate(csv.DictReader(f))
            ]
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rb") as f:
        root = ET.parse(f).getroot()
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    out, pos = [], 0
    for trace in root.iter(f"{ns}trace"):
        case = next(
            c.get("value") for c in trace if c.tag == f"{ns}string" and c.get("key") == CASE[5:]
        )
        for event in trace.iter(f"{ns}event"):
            attrs = {c.get("key"): c.get("value") for c in event}
            out.append((case, attrs[ACT], _parse_ts(attrs[TS]), pos))
            pos += 1
    return out


def reference_expected(events: list[tuple[str, str, datetime, int]]) -> dict:
    by_case: dict[str, list] = defaultdict(list)
    for e in events:
        by_case[e[0]].append(e)
    traces = {c: sorted(evs, key=lambda e: (e[2], e[3])) for c, evs in by_case.items()}
    dfg: Counter = Counter()
    durs: dict[tuple[str, str], list[float]] = defaultdict(list)
    for evs in traces.values():
        for x, y in pairwise(evs):
            dfg[(x[1], y[1])] += 1
            durs[(x[1], y[1])].append((y[2] - x[2]).total_seconds())
    variants = Counter(tuple(e[1] for e in evs) for evs in traces.values())
    return {
        "n_events": len(events),
        "n_cases": len(traces),
        "n_activities": len({e[1] for e in events}),
        "dfg": sorted(([a, b, n] for (a, b), n in dfg.items()), key=lambda r: (-r[2], r[0], r[1])),
        "start_activities": dict(sorted(Counter(evs[0][1] for evs in traces.values()).items())),
        "end_activities": dict(sorted(Counter(evs[-1][1] for evs in traces.values()).items())),
        "n_variants": len(variants),
        "variants": sorted(
            ({"activities": list(v), "count": n} for v, n in variants.items()),
            key=lambda r: (-r["count"], r["activities"]),
        ),
        "durations": dict(sorted(durs.items())),
    }


def check_against_reference(name: str, got: dict, ref: dict) -> None:
    for key in (
        "n_events",
        "n_cases",
        "n_activities",
        "dfg",
        "start_activities",
        "end_activities",
        "n_variants",
        "variants",
    ):
        if got[key] != ref[key]:
            sys.exit(f"{name}: PM4Py and the reference disagree on {key}:\n{got[key]}\n{ref[key]}")
    for row in got["edge_durations_seconds"]:
        values = ref["durations"][(row["a"], row["b"])]
        assert math.isclose(row["sum"], math.fsum(values), rel_tol=REL, abs_tol=1e-6), (name, row)
        assert math.isclose(row["median"], statistics.median(values), rel_tol=REL, abs_tol=1e-6), (
            name,
            row,
        )


# ------------------------------------------------------------------------------ main
def logs() -> list[Path]:
    found = []
    for folder in (HERE, HERE / "public"):
        if folder.is_dir():
            found += sorted(
                p
                for p in folder.iterdir()
                if p.name.endswith((".xes", ".xes.gz", ".csv")) and ".pm4py." not in p.name
            )
    return found


def main() -> None:
    manifest = {
        "generator": "tests/data/oracle/make_pm4py_oracles.py",
        "pm4py": version("pm4py"),
        "pandas": version("pandas"),
        "python": sys.version.split()[0],
        "xes_reader": "pm4py.read_xes default variant, then pm4py.format_dataframe",
        "csv_reader": "pandas.read_csv(dtype=str) + to_datetime(utc=True, format='ISO8601'), then pm4py.format_dataframe",
        "logs": {},
    }
    for path in logs():
        name = path.name
        base = name[: -len(".xes.gz")] if name.endswith(".xes.gz") else path.stem
        df = load_csv(path) if name.endswith(".csv") else load_xes(path)
        got = pm4py_expected(df)
        check_against_reference(name, got, reference_expected(reference_events(path)))
        out = path.with_name(f"{base}.pm4py.json")
        out.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        manifest["logs"][str(path.relative_to(HERE))] = {
            "expected": str(out.relative_to(HERE)),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "n_events": got["n_events"],
            "n_cases": got["n_cases"],
            "n_variants": got["n_variants"],
        }
        print(
            f"{name}: {got['n_events']} events, {got['n_cases']} cases, {len(got['dfg'])} edges, "
            f"{got['n_variants']} variants -> {out.name}"
        )
    (HERE / "manifest.pm4py.json").write_text(
        json.dumps(manifest, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
