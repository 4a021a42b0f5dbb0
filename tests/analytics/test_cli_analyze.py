"""``parcours analyze``: stable JSON keys, --top, table output, one-sentence errors."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from parcours.cli import app

runner = CliRunner()
ORACLE = Path(__file__).parent.parent / "data" / "oracle"
KEYS = [
    "n_events",
    "n_cases",
    "n_activities",
    "dfg",
    "start_activities",
    "end_activities",
    "n_variants",
    "variants",
    "edge_durations_seconds",
    "case_length",
    "load",
]


def run(*args: str) -> Any:
    return runner.invoke(app, ["analyze", *map(str, args)])


def test_json_keys_and_top(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    res = run(ORACLE / "loops.xes.gz", "--format", "json", "--top", "2", "-o", out)
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert list(doc) == KEYS
    assert len(doc["variants"]) == 2
    assert doc["n_variants"] > 2
    counts = [e[2] for e in doc["dfg"]]
    assert counts == sorted(counts, reverse=True)
    assert set(doc["edge_durations_seconds"][0]) == {
        "a", "b", "mean", "median", "min", "max", "sum", "stdev"
    }  # fmt: skip


def test_mapping_options_and_table_output(write: Any) -> None:
    path = write(
        "e.csv",
        "who;what;when\nk1;Visite;2026-01-31T10:00:00Z\nk1;Achat;2026-01-31T10:05:00Z\n",
    )
    res = run(path, "--case", "who", "--activity", "what", "--timestamp", "when")
    assert res.exit_code == 0, res.output
    assert "Visite" in res.stdout and "Achat" in res.stdout
    assert "Directly-follows" in res.stdout


def test_bad_rows_fail_then_skip(write: Any) -> None:
    path = write("e.csv", "case,activity,timestamp\nc,A,2026-01-31T10:00:00Z\nc,B,never\n")
    res = run(path, "--format", "json")
    assert res.exit_code == 1
    assert "e.csv:3: timestamp 'never' is not a date" in res.stderr
    assert "Traceback" not in res.output
    res = run(path, "--format", "json", "--on-error", "skip")
    assert res.exit_code == 0
    assert json.loads(res.stdout)["load"]["n_skipped"] == 1
    assert "warning: 1 bad rows skipped" in res.stderr


def test_errors_are_one_sentence(tmp_path: Path) -> None:
    for args, message in [
        ((tmp_path / "missing.csv",), "no such file"),
        ((ORACLE / "mixed_offsets.csv", "--engine", "oracle"), "unknown engine 'oracle'"),
        ((ORACLE / "mixed_offsets.csv", "--case", "nope"), "column 'nope'"),
    ]:
        res = run(*args)
        assert res.exit_code == 1, args
        assert res.stderr.startswith("error: ") and message in res.stderr
        assert "Traceback" not in res.output
    res = run(ORACLE / "mixed_offsets.csv", "--format", "xml")  # refused by the parser
    assert res.exit_code == 2
    said = " ".join(re.sub("[│╭╮╰╯─]", " ", res.output).split())
    assert "Invalid value for '--format'" in said and "'table', 'json'" in said
