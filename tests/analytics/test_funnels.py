"""Funnels on hand-built logs, on every engine (``engine`` fixture: DuckDB and Spark)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pytest

from parcours.analytics.attribution import to_arrow
from parcours.analytics.engine import Engine
from parcours.analytics.funnels import (
    funnel,
    funnel_cases,
    parse_duration,
    parse_stages,
    time_to_convert,
)
from parcours.errors import BadData

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def events(engine: Engine, rows: list[tuple[str, str, float]]) -> object:
    """Standard event table from (case, activity, hours after T0), in source order."""
    data = pa.table(
        {
            "case_id": [r[0] for r in rows],
            "activity": [r[1] for r in rows],
            "timestamp": pa.array(
                [T0 + timedelta(hours=r[2]) for r in rows], pa.timestamp("us", tz="UTC")
            ),
            "position": pa.array(range(len(rows)), pa.int64()),
        }
    )
    return engine.from_arrow(data)


LOG = [
    # c1: visit → signup → buy, 48 h to convert
    ("c1", "visit", 0),
    ("c1", "signup", 1),
    ("c1", "buy", 48),
    # c2: visit, noise, signup; never buys
    ("c2", "visit", 0),
    ("c2", "other", 0.5),
    ("c2", "signup", 1),
    # c3: ad (alternative of stage 1) → signup → buy, but 19 days later
    ("c3", "ad", 0),
    ("c3", "signup", 456),
    ("c3", "buy", 458),
    # c4: never enters
    ("c4", "other", 0),
    # c5: signup BEFORE visit: only the visit counts as entry
    ("c5", "signup", 0),
    ("c5", "visit", 1),
    # c6: an early visit, then a second visit from which the funnel completes within 7 d
    ("c6", "visit", 0),
    ("c6", "visit", 400),
    ("c6", "signup", 401),
    ("c6", "buy", 402),
]
STAGES = [frozenset({"visit", "ad"}), frozenset({"signup"}), frozenset({"buy"})]


def _rows(expr) -> list[dict]:
    return to_arrow(expr).to_pylist()


def _counts(expr) -> list[int]:
    return [r["cases"] for r in _rows(expr)]


def test_parse_stages_and_durations() -> None:
    assert parse_stages("A|B, C ,D") == [frozenset({"A", "B"}), frozenset({"C"}), frozenset({"D"})]
    assert parse_duration("7d") == timedelta(days=7)
    assert parse_duration("12h") == timedelta(hours=12)
    assert parse_duration("90") == timedelta(seconds=90)
    with pytest.raises(BadData, match="stage 2 of 'A,,B' is empty"):
        parse_stages("A,,B")
    with pytest.raises(BadData, match="bad duration 'soon'"):
        parse_duration("soon")


def test_eventually_without_window(engine: Engine) -> None:
    t = events(engine, LOG)
    cases = funnel_cases(t, STAGES).cache()  # as the CLI does: one computation, two reports
    rows = _rows(funnel(t, STAGES, cases=cases))
    assert [r["cases"] for r in rows] == [5, 4, 3]  # c1 c2 c3 c5 c6 / c1 c2 c3 c6 / c1 c3 c6
    assert [r["previous"] for r in rows] == [6, 5, 4]
    assert [r["drop_off"] for r in rows] == [1, 1, 1]
    assert rows[2]["conversion_from_previous"] == pytest.approx(3 / 4)
    assert rows[2]["conversion_from_start"] == pytest.approx(3 / 5)
    assert rows[0]["activities"] == "ad|visit"
    ttc = _rows(time_to_convert(t, STAGES, cases=cases))[0]
    # best attempts: c1 48 h, c3 458 h, c6 (earliest start of depth 3: first visit) 402 h
    assert ttc["count"] == 3
    assert ttc["min"] == pytest.approx(48 * 3600)
    assert ttc["max"] == pytest.approx(458 * 3600)
    assert ttc["p50"] == pytest.approx(402 * 3600)


def test_window_keeps_the_best_attempt(engine: Engine) -> None:
    t = events(engine, LOG)
    week = timedelta(days=7)
    cached = funnel_cases(t, STAGES, window=week).cache()
    assert _counts(funnel(t, STAGES, window=week, cases=cached)) == [5, 3, 2]
    cases = {r["case_id"]: r for r in _rows(cached)}
    assert cases["c6"]["depth"] == 3  # from the second visit
    assert cases["c6"]["seconds_to_stage_3"] == pytest.approx(2 * 3600)
    assert cases["c3"]["depth"] == 1  # signup 19 days after the ad
    assert cases["c5"]["depth"] == 1
    ttc = _rows(time_to_convert(t, STAGES, window=week, cases=cached))[0]
    assert ttc["count"] == 2
    assert sorted([ttc["min"], ttc["max"]]) == pytest.approx([2 * 3600, 48 * 3600])


def test_strict_needs_consecutive_events(engine: Engine) -> None:
    t = events(engine, LOG)
    # c2 has "other" between visit and signup; c6's first visit is followed by a visit
    cases = {r["case_id"]: r["depth"] for r in _rows(funnel_cases(t, STAGES, mode="strict"))}
    assert cases == {"c1": 3, "c2": 1, "c3": 3, "c5": 1, "c6": 3}
    assert _counts(funnel(t, STAGES, mode="strict")) == [5, 3, 3]


def test_equal_timestamps_keep_source_order(engine: Engine) -> None:
    t = events(engine, [("a", "visit", 0), ("a", "buy", 0), ("b", "buy", 0), ("b", "visit", 0)])
    stages = [frozenset({"visit"}), frozenset({"buy"})]
    assert _counts(funnel(t, stages, mode="strict")) == [2, 1]
    assert _counts(funnel(t, stages)) == [2, 1]


def test_single_stage_and_unknown_mode(engine: Engine) -> None:
    t = events(engine, LOG)
    assert _counts(funnel(t, [frozenset({"buy"})])) == [3]
    with pytest.raises(BadData, match="unknown funnel mode 'loose'"):
        funnel(t, STAGES, mode="loose")
