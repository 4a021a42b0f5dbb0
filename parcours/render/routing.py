"""How well the connectors of a branched map read: shared segments and crossings.

Pure geometry over a :class:`~parcours.render.layout.Layout`'s connectors, so tests and
benchmarks can count what a reader sees: two links drawn on the same stretch of line
(``shared_segments``) and two links crossing each other (``crossings``).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from parcours.render.geometry import Connector

Point = tuple[float, float]
Segment = tuple[Point, Point]

_EPS = 0.5  # px: closer than this counts as the same line


@dataclass(frozen=True)
class RoutingCounts:
    """Shared segments and crossings between the connectors of one map."""

    shared_segments: int
    crossings: int


def _segments(c: Connector) -> list[Segment]:
    pts = c.points
    return [(pts[i], pts[i + 1]) for i in range(len(pts) - 1) if pts[i] != pts[i + 1]]


def _overlap(a: Segment, b: Segment) -> bool:
    """Two axis-parallel segments on the same line sharing more than a point."""
    (ax1, ay1), (ax2, ay2) = a
    (bx1, by1), (bx2, by2) = b
    if abs(ay1 - ay2) < _EPS and abs(by1 - by2) < _EPS and abs(ay1 - by1) < _EPS:
        lo, hi = max(min(ax1, ax2), min(bx1, bx2)), min(max(ax1, ax2), max(bx1, bx2))
        return hi - lo > _EPS
    if abs(ax1 - ax2) < _EPS and abs(bx1 - bx2) < _EPS and abs(ax1 - bx1) < _EPS:
        lo, hi = max(min(ay1, ay2), min(by1, by2)), min(max(ay1, ay2), max(by1, by2))
        return hi - lo > _EPS
    return False


def _cross(a: Segment, b: Segment) -> bool:
    """Proper crossing: the segments cut each other away from both ends."""
    (x1, y1), (x2, y2) = a
    (x3, y3), (x4, y4) = b
    d = (x2 - x1) * (y4 - y3) - (y2 - y1) * (x4 - x3)
    if abs(d) < 1e-9:
        return False
    t = ((x3 - x1) * (y4 - y3) - (y3 - y1) * (x4 - x3)) / d
    u = ((x3 - x1) * (y2 - y1) - (y3 - y1) * (x2 - x1)) / d
    return 1e-6 < t < 1 - 1e-6 and 1e-6 < u < 1 - 1e-6


def count(connectors: tuple[Connector, ...] | list[Connector]) -> RoutingCounts:
    """Count pairs of links sharing a stretch of line, and pairs of segments crossing.

    Links leaving the same step or arriving at the same step may share their first or last
    segment (the port); that stretch is not counted.
    """
    shared = crossings = 0
    for a, b in combinations(connectors, 2):
        sa, sb = _segments(a), _segments(b)
        same_port = a.source == b.source or a.target == b.target
        if same_port:
            sa_in, sb_in = sa[1:-1], sb[1:-1]
        else:
            sa_in, sb_in = sa, sb
        if any(_overlap(x, y) for x in sa_in for y in sb_in):
            shared += 1
        crossings += sum(1 for x in sa for y in sb if _cross(x, y))
    return RoutingCounts(shared, crossings)
