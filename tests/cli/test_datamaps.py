"""``parcours discover``, ``overlay`` and ``compare`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcours.cli import app
from parcours.files import load, load_journey
from parcours.model.items import LaneKind
from parcours.model.journey import Journey
from parcours.model.operations import operation_from_json

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
EVENTS = str(ROOT / "parcours" / "examples" / "events" / "events.csv")
VOICE = ROOT / "parcours" / "examples" / "voice"
DEMO = str(ROOT / "parcours" / "examples" / "demo")


def test_discover_writes_a_valid_map(tmp_path: Path) -> None:
    out = tmp_path / "observed.yaml"
    result = runner.invoke(app, ["discover", EVENTS, "-o", str(out), "--lang", "fr"])
    assert result.exit_code == 0, result.output
    journey = load(out)
    assert isinstance(journey, Journey) and journey.lang == "fr"
    assert all(len(s.observed_as) == 1 for s in journey.steps())


def test_discover_with_a_stage_column(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "case,event,stage,time\n"
        "1,a,Avant,2026-01-01T10:00:00\n1,b,Avant,2026-01-01T10:01:00\n1,c,Après,2026-01-01T10:02:00\n"
        "2,a,Avant,2026-01-02T10:00:00\n2,b,Avant,2026-01-02T10:01:00\n2,c,Après,2026-01-02T10:02:00\n",
        encoding="utf-8",
    )
    out = tmp_path / "m.json"
    result = runner.invoke(
        app, ["discover", str(log), "-o", str(out), "--stage", "stage", "--activity", "event"]
    )
    assert result.exit_code == 0, result.output
    journey = load(out)
    assert isinstance(journey, Journey)
    assert [(st.name, [s.name for s in st.steps]) for st in journey.stages] == [
        ("Avant", ["a", "b"]),
        ("Après", ["c"]),
    ]


def test_overlay_writes_the_map_and_its_operations(tmp_path: Path) -> None:
    out, ops = tmp_path / "measured.yaml", tmp_path / "ops.json"
    result = runner.invoke(
        app,
        ["overlay", DEMO, EVENTS, "-j", "achat-en-ligne", "-o", str(out), "--operations",
         str(ops), "--surveys", str(VOICE / "surveys.csv"), "--verbatims",
         str(VOICE / "verbatims.csv")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    measured = load(out)
    assert isinstance(measured, Journey)
    assert measured.lanes_of(LaneKind.metrics)
    edits = [operation_from_json(json.dumps(x)) for x in json.loads(ops.read_text("utf-8"))]
    before = load_journey(DEMO, "achat-en-ligne")
    for op in edits:
        before = before.apply(op)
    assert before == measured


@pytest.mark.parametrize("fmt", ["json", "table", "md"])
def test_compare_prints_every_format(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"cmp.{fmt}"
    result = runner.invoke(
        app,
        ["compare", DEMO, EVENTS, "-j", "achat-en-ligne", "--format", fmt, "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    if fmt == "json":
        assert json.loads(text)["n_cases"] == 300
    else:
        assert "checks-stock" in text


def test_compare_without_a_journey_on_a_workspace_says_which_to_choose() -> None:
    result = runner.invoke(app, ["compare", DEMO, EVENTS])
    assert result.exit_code == 1
    assert "choose one with --journey" in result.output
