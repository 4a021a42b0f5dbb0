"""Shared segments and crossings of the connectors, on every built-in template."""

from __future__ import annotations

import pytest

from parcours.catalog import templates
from parcours.files import load_atlas
from parcours.render.geometry import Connector
from parcours.render.layout import layout
from parcours.render.routing import count

# measured on the router as of 2026-12-04: (shared segments, crossings)
# (before each link got its own entry port and descent track: bank 1/11, telecom 2/27)
BASELINE = {
    "bank-account-opening": (0, 10),
    "telecom-after-sales": (0, 23),
}

TEMPLATES = sorted({(t.id, t.lang) for t in templates()})


def _counts(tid: str, lang: str):
    t = next(t for t in templates() if (t.id, t.lang) == (tid, lang))
    return count(layout(load_atlas(t.path).journeys[0]).flow.connectors)


@pytest.mark.parametrize("template", TEMPLATES)
def test_routing_no_worse_than_baseline(template: tuple[str, str]) -> None:
    c = _counts(*template)
    shared, crossings = BASELINE.get(template[0], (0, 0))
    assert c.shared_segments <= shared
    assert c.crossings <= crossings


@pytest.mark.parametrize("template", [t for t in TEMPLATES if t[0] in BASELINE])
def test_no_shared_segments(template: tuple[str, str]) -> None:
    assert _counts(*template).shared_segments == 0


def _conn(cid: str, src: str, dst: str, pts: list[tuple[float, float]]) -> Connector:
    return Connector(cid, src, dst, "branch", tuple(pts), "#000")


def test_count_sees_a_shared_stretch_and_a_crossing() -> None:
    a = _conn("a", "s1", "t1", [(0, 0), (0, 10), (50, 10), (50, 20)])
    b = _conn("b", "s2", "t2", [(10, -5), (10, 10), (40, 10), (40, 30)])
    c = _conn("c", "s3", "t3", [(-5, 5), (60, 5)])
    got = count([a, b, c])
    assert got.shared_segments == 1  # a and b on y=10 between x=10 and 40
    assert got.crossings == 2  # c cuts a at (0, 5) and b at (10, 5)


def test_path_curves_follow_their_path_only() -> None:
    t = next(t for t in templates() if (t.id, t.lang) == ("telecom-after-sales", "en"))
    journey = load_atlas(t.path).journeys[0]
    lay = layout(journey)
    lane = next(c.lane_id for c in lay.curves)
    by_path = lay.path_curves(lane)
    assert {p.path_id for p in lay.paths} <= set(by_path)
    for p in lay.paths:
        steps = {s.id for s in journey.path_steps(p.path_id)}
        for curve in by_path[p.path_id]:
            xs = [pt.x for pt in curve.points]
            assert xs == sorted(xs)
            assert {pt.step_id for pt in curve.points} <= steps
