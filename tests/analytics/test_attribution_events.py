"""From an event log to paths, heuristics and Markov attribution, on every engine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pytest

from parcours.analytics.attribution import (
    attribution_report,
    heuristic_attribution,
    markov_attribution,
    paths_from_events,
    read_paths_file,
    to_arrow,
)
from parcours.analytics.engine import Engine
from parcours.errors import BadData

T0 = datetime(2024, 5, 1, tzinfo=UTC)

# (case, activity, channel, outcome, value, minutes after T0)
LOG = [
    ("a", "ad_click", "social", None, None, 0),
    ("a", "visit", "web", None, None, 5),
    ("a", "purchase", "web", "Converted", 120.0, 9),
    ("a", "visit", "email", None, None, 30),  # after the conversion: ignored
    ("b", "visit", "web", None, None, 0),
    ("b", "login", None, None, None, 1),  # no channel: left out of the path
    ("b", "visit", "web", None, None, 2),
    ("c", "newsletter", "email", None, None, 0),
    ("c", "visit", "web", None, None, 3),
    ("c", "purchase", "web", "converted", 80.0, 4),
    ("d", "newsletter", "email", None, None, 3),  # same timestamp: source order
    ("d", "ad_click", "social", None, None, 3),
]


def events(engine: Engine) -> object:
    data = pa.table(
        {
            "case_id": [r[0] for r in LOG],
            "activity": [r[1] for r in LOG],
            "channel": pa.array([r[2] for r in LOG], pa.string()),
            "outcome": pa.array([r[3] for r in LOG], pa.string()),
            "value": pa.array([r[4] for r in LOG], pa.float64()),
            "timestamp": pa.array(
                [T0 + timedelta(minutes=r[5]) for r in LOG], pa.timestamp("us", tz="UTC")
            ),
            "position": pa.array(range(len(LOG)), pa.int64()),
        }
    )
    return engine.from_arrow(data)


def _paths(expr) -> dict[tuple[str, ...], tuple[float, float, float]]:
    return {
        tuple(r["path"]): (r["conversions"], r["value"], r["nulls"])
        for r in to_arrow(expr).to_pylist()
    }


def test_paths_from_outcome(engine: Engine) -> None:
    got = _paths(paths_from_events(events(engine)))
    assert got == {
        ("social", "web", "web"): (1.0, 120.0, 0.0),
        ("web", "web"): (0.0, 0.0, 1.0),
        ("email", "web", "web"): (1.0, 80.0, 0.0),
        ("email", "social"): (0.0, 0.0, 1.0),
    }


def test_paths_from_conversion_activity(engine: Engine) -> None:
    got = _paths(paths_from_events(events(engine), by="activity", conversion_activity="purchase"))
    assert got == {
        ("ad_click", "visit"): (1.0, 120.0, 0.0),
        ("visit", "login", "visit"): (0.0, 0.0, 1.0),
        ("newsletter", "visit"): (1.0, 80.0, 0.0),
        ("newsletter", "ad_click"): (0.0, 0.0, 1.0),
    }


def test_outcome_repeated_on_every_event_keeps_the_whole_path(engine: Engine) -> None:
    """Exports often repeat the case's outcome on every event (a case attribute), with the
    value on the converting event only: the conversion is at the last converting event."""
    rows = [
        ("x", "social", "converted", None, 0),
        ("x", "web", "converted", None, 1),
        ("x", "phone", "converted", 50.0, 2),
        ("y", "web", "abandoned", None, 0),
        ("y", "email", "abandoned", None, 1),
    ]
    data = pa.table(
        {
            "case_id": [r[0] for r in rows],
            "activity": ["step"] * len(rows),
            "channel": [r[1] for r in rows],
            "outcome": [r[2] for r in rows],
            "value": pa.array([r[3] for r in rows], pa.float64()),
            "timestamp": pa.array(
                [T0 + timedelta(minutes=r[4]) for r in rows], pa.timestamp("us", tz="UTC")
            ),
            "position": pa.array(range(len(rows)), pa.int64()),
        }
    )
    got = _paths(paths_from_events(engine.from_arrow(data)))
    assert got == {
        ("social", "web", "phone"): (1.0, 50.0, 0.0),
        ("web", "email"): (0.0, 0.0, 1.0),
    }


def test_paths_need_a_conversion_rule(engine: Engine) -> None:
    t = events(engine).drop("outcome")
    with pytest.raises(BadData, match="no 'outcome' column"):
        paths_from_events(t)


def test_event_log_and_paths_file_agree(engine: Engine, tmp_path) -> None:
    report = attribution_report(paths_from_events(events(engine)))
    f = tmp_path / "paths.csv"
    f.write_text(
        "path,total_conversions,total_conversion_value,total_null\n"
        "social > web > web,1,120,0\nweb > web,0,0,1\nemail > web > web,1,80,0\nemail > social,0,0,1\n",
        encoding="utf-8",
    )
    from_file = attribution_report(read_paths_file(f))
    assert report["heuristics"] == from_file["heuristics"]
    for key in ("removal_effects", "conversions", "value"):
        assert report["markov"][key] == pytest.approx(from_file["markov"][key], abs=1e-12)
    # hand check: first touch social 1, email 1; last touch web 2; linear thirds
    h = report["heuristics"]
    assert (h["social"]["first"], h["email"]["first"], h["web"]["last"]) == (1.0, 1.0, 2.0)
    assert h["web"]["linear"] == pytest.approx(4 / 3)
    assert h["web"]["linear_value"] == pytest.approx(2 / 3 * 200)
    # Markov: web is on every converting path → removal effect 1
    assert report["markov"]["removal_effects"]["web"] == pytest.approx(1.0)
    assert sum(report["markov"]["conversions"].values()) == pytest.approx(2.0)
    assert sum(report["markov"]["value"].values()) == pytest.approx(200.0)


def test_heuristics_count_every_touch(engine: Engine) -> None:
    paths = paths_from_events(events(engine))
    rows = {r["channel"]: r for r in to_arrow(heuristic_attribution(paths)).to_pylist()}
    assert rows["web"]["linear"] == pytest.approx(2 / 3 + 2 / 3)
    assert rows["email"]["linear"] == pytest.approx(1 / 3)
    assert markov_attribution(paths).p_conversion == pytest.approx(0.5)


def test_paths_file_errors(tmp_path) -> None:
    f = tmp_path / "p.csv"
    f.write_text("path;total_conversions\nA > B;two\n", encoding="utf-8")
    with pytest.raises(BadData, match=r"p\.csv:2: total_conversions is 'two', not a number"):
        read_paths_file(f)
    f.write_text("path;total_conversions\nA > B;-1\n", encoding="utf-8")
    with pytest.raises(BadData, match=r"p\.csv:2: total_conversions is '-1'"):
        read_paths_file(f)
    f.write_text("path;total_conversions\nA;1;3\n", encoding="utf-8")
    with pytest.raises(BadData, match=r"p\.csv:2: expected 2 fields"):
        read_paths_file(f)
