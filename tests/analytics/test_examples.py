"""The example event logs shipped in the package: deterministic, realistic, consistent."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcours.analytics.examples import (
    FILES,
    example_logs_folder,
    render_files,
    write_example_logs,
)
from parcours.cli import app


def invoke(*args: object) -> dict:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_shipped_files_are_what_the_generator_writes() -> None:
    for name, text in render_files().items():
        shipped = (example_logs_folder() / name).read_text(encoding="utf-8")
        assert shipped == text, f"{name} differs: run python -m parcours.analytics.examples"


def test_the_log_looks_like_real_journeys() -> None:
    with (example_logs_folder() / "events.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    cases = {r["case_id"] for r in rows}
    assert 250 <= len(cases) <= 400
    assert len({r["customer_id"] for r in rows}) < len(cases)  # some customers come back
    assert {r["channel"] for r in rows} == {"web", "app", "email", "phone", "chat", "shop", ""}
    assert {r["outcome"] for r in rows} == {"converted", "abandoned", ""}
    values = [float(r["value"]) for r in rows if r["value"]]
    assert len(values) == sum(r["outcome"] == "converted" for r in rows)
    assert min(values) > 20 and max(values) < 2000
    assert {r["timestamp"][-6:] for r in rows} == {"+02:00", "+01:00"}  # Paris, both sides of DST


def test_csv_and_xes_give_the_same_analysis() -> None:
    folder = example_logs_folder()
    from_csv = invoke("analyze", folder / "events.csv", "--format", "json")
    from_xes = invoke("analyze", folder / "events.xes", "--format", "json")
    assert from_csv.pop("load")["format"] == "csv"
    assert from_xes.pop("load")["format"] == "xes"
    # the sample standard deviation is a float sum whose order the engine chooses
    stdevs = [
        [e.pop("stdev") for e in doc["edge_durations_seconds"]] for doc in (from_csv, from_xes)
    ]
    for a, b in zip(*stdevs, strict=True):
        assert a == b or a == pytest.approx(b, rel=1e-12)
    assert from_csv == from_xes


def test_the_paths_file_is_the_event_log_aggregated() -> None:
    folder = example_logs_folder()
    events = invoke("attribution", folder / "events.csv", "--format", "json")
    paths = invoke("attribution", folder / "paths.csv", "--format", "json")
    for key in ("total_conversions", "total_value", "n_paths", "heuristics"):
        assert paths[key] == events[key], key
    assert paths["markov"] == events["markov"]
    assert events["conversion"]["events"] == {"order_placed": 145, "pos_transaction": 15}


def test_write_example_logs(tmp_path: Path) -> None:
    written = write_example_logs(tmp_path / "demo")
    assert [p.name for p in written] == list(FILES)
    for p in written:
        assert p.read_bytes() == (example_logs_folder() / p.name).read_bytes()
