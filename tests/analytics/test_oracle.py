"""Our analytics equal PM4Py's on the oracle logs, on every engine.

``tests/data/oracle/<log>`` and ``<log-stem>.pm4py.json`` are produced by PM4Py in a
separate environment (PM4Py is AGPL, never a dependency): see ``make_pm4py_oracles.py``
there. Every expected file present is compared; floats to 1e-6 relative.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from parcours.analytics import analyze, read_events
from parcours.analytics.engine import Engine

ORACLE = Path(__file__).parent.parent / "data" / "oracle"
KEYS = ("dfg", "start_activities", "end_activities", "variants", "edge_durations_seconds")
STATS = ("mean", "median", "min", "max", "sum", "stdev")


def oracle_logs() -> list[tuple[Path, Path]]:
    """(log, expected) pairs: every ``*.pm4py.json`` but the manifest, with its log."""
    pairs = []
    for expected in sorted(ORACLE.glob("*.pm4py.json")):
        if expected.name == "manifest.pm4py.json":
            continue
        stem = expected.name.removesuffix(".pm4py.json")
        logs = [
            p
            for p in ORACLE.iterdir()
            if p.is_file() and p.name.startswith(stem + ".") and not p.name.endswith(".json")
        ]
        assert len(logs) == 1, f"{expected.name}: expected one log named {stem}.*, found {logs}"
        pairs.append((logs[0], expected))
    return pairs


PAIRS = oracle_logs()


def test_oracle_logs_are_present() -> None:
    assert PAIRS, f"no PM4Py oracle files in {ORACLE}"
    manifest = ORACLE / "manifest.pm4py.json"
    if manifest.exists():
        listed = set(json.loads(manifest.read_text())["logs"])
        assert listed == {log.name for log, _ in PAIRS}


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def assert_same(result: dict[str, Any], expected: dict[str, Any], name: str) -> None:
    for key in ("n_events", "n_cases", "n_activities", "n_variants"):
        if key in expected:
            assert result[key] == expected[key], f"{name}: {key}"
    for key in KEYS[:4]:
        assert result[key] == expected[key], f"{name}: {key}"
    ours = {(e["a"], e["b"]): e for e in result["edge_durations_seconds"]}
    theirs = {(e["a"], e["b"]): e for e in expected["edge_durations_seconds"]}
    assert ours.keys() == theirs.keys(), f"{name}: duration edges"
    for edge, want in theirs.items():
        for stat in STATS:
            assert close(ours[edge][stat], want[stat]), (
                f"{name}: {edge} {stat}: {ours[edge][stat]} != {want[stat]}"
            )


@pytest.mark.parametrize(("log", "expected"), PAIRS, ids=[log.name for log, _ in PAIRS])
def test_equals_pm4py(log: Path, expected: Path, engine: Engine) -> None:
    result = analyze(read_events(log, engine=engine))
    assert_same(result, json.loads(expected.read_text()), log.name)
