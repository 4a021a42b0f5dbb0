"""Which part of the map each slide shows: a window of steps and a window of lanes.

A slide shows the map at one scale for the whole deck, chosen so that the smallest text of
the layout is set at :data:`~parcours.render.pptx.units.FLOOR_PT` (card text is then about
10.8 pt). At that scale a slide holds a few steps (whole stages packed, a long stage cut)
and a few lanes: when the lanes do not fit, the next slide continues the same steps with
the next lanes (all the lanes of a step window, then the next steps). Every slide repeats
the stage band, the step header and the lane titles. On a branched map whose branch
diagram is tall, the first slide of a step window shows the diagram and the following ones
a strip of the step names (with their tags) over the lanes.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from parcours.render.geometry import TextLine
from parcours.render.layout import Layout
from parcours.render.pptx.units import BOLD_FIT, FIT, FLOOR_PT, SLIDE_H, SLIDE_W

MAX_STEPS_PER_SLIDE = 12
TOP = 36.0  # slide px: the slide's title line above the map
BOTTOM = 8.0  # slide px under the last lane
SHIFT = 16.0  # layout px the map moves left on a slide (half the map's margin)
RIGHT = 4.0  # layout px kept free at the slide's right edge
STRIP_PAD = 8.0  # under the step names in the strip


def clip(
    points: Sequence[tuple[float, float]], lo: float, hi: float
) -> list[list[tuple[float, float]]]:
    """The pieces of a polyline between ``x = lo`` and ``x = hi`` (a slide's columns)."""
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        t0, t1 = 0.0, 1.0
        dx = x2 - x1
        if dx == 0:
            if not lo <= x1 <= hi:
                t0, t1 = 1.0, 0.0
        else:
            ta, tb = (lo - x1) / dx, (hi - x1) / dx
            t0, t1 = max(t0, min(ta, tb)), min(t1, max(ta, tb))
        if t0 > t1:
            if len(current) > 1:
                runs.append(current)
            current = []
            continue
        start = (x1 + t0 * dx, y1 + t0 * (y2 - y1)) if t0 > 0 else (x1, y1)
        end = (x1 + t1 * dx, y1 + t1 * (y2 - y1)) if t1 < 1 else (x2, y2)
        if not current or current[-1] != start:
            if len(current) > 1:
                runs.append(current)
            current = [start]
        current.append(end)
        if t1 < 1:
            runs.append(current)
            current = []
    if len(current) > 1:
        runs.append(current)
    return runs


@dataclass(frozen=True)
class Window:
    """The columns a slide shows: the gutter, then columns ``first``…``stop - 1``."""

    first: int
    stop: int
    left: float  # layout x where the shown columns start
    right: float
    origin: float  # where the column area starts on the slide (right of the gutter)

    def x(self, x: float) -> float:
        return x if x < self.origin else x - self.left + self.origin

    def holds(self, x: float, w: float = 0.0) -> bool:
        return x < self.origin or (x >= self.left - 1 and x + w <= self.right + 1)

    @property
    def width(self) -> float:
        return self.origin + (self.right - self.left)


@dataclass(frozen=True)
class Band:
    """A horizontal stripe of the layout (``top``…``bottom``) drawn from slide y ``at``."""

    top: float
    bottom: float
    at: float


@dataclass(frozen=True)
class View:
    """One map slide: its columns, its lanes (``first_lane``…), the stripes it shows."""

    window: Window
    first_lane: int
    stop_lane: int
    part: int  # which window of lanes (0: the first, with the branch diagram)
    parts: int
    strip: bool  # the step names in a strip instead of the branch diagram
    scale: float
    bands: tuple[Band, ...]

    def x(self, x: float) -> float:
        return self.window.x(x) - SHIFT

    def y(self, y: float) -> float:
        """Where layout ``y`` is drawn on the slide (a hidden stripe folds to its edge)."""
        best = self.bands[0]
        for band in self.bands:
            if band.top <= y <= band.bottom:
                return band.at + y - band.top
            if y > band.bottom:
                best = band
        return best.at + min(max(y, best.top), best.bottom) - best.top

    def shows(self, top: float, bottom: float | None = None) -> bool:
        """Whether the layout stripe ``top``…``bottom`` is on this slide."""
        end = top if bottom is None else bottom
        return any(b.top - 1 <= top and end <= b.bottom + 1 for b in self.bands)

    @property
    def width(self) -> float:
        return self.window.width - SHIFT


def text_lines(g: Layout) -> list[TextLine]:
    """The text lines a map slide may draw (the header and legend go elsewhere)."""
    out: list[TextLine] = [s.name for s in g.stages]
    for lane in g.lanes:
        out += lane.title.lines
    for card in g.cards:
        out += card.text.lines
        if card.meta is not None:
            out += card.meta.lines
        if card.badge is not None:
            out.append(card.badge.text)
    for node in g.flow.nodes:
        out += node.title.lines
        out += [tag.text for tag in node.tags]
        for port in node.ports:
            out += port.text.lines
    out += [c.label_line for c in g.flow.connectors if c.label_line is not None]
    for face in g.faces:
        if face.label is not None:
            out += face.label.lines
    return out


def deck_scale(g: Layout) -> float:
    """The scale that sets the layout's smallest text at the floor (1 when none is smaller)."""
    smallest = min(
        (
            line.size * 0.75 * FIT * (BOLD_FIT if line.weight >= 600 else 1.0)
            for line in text_lines(g)
            if line.text.strip()
        ),
        default=FLOOR_PT,
    )
    return max(1.0, round(FLOOR_PT / smallest, 2))


def windows(g: Layout, per_piece: int) -> list[Window]:
    """The steps cut into windows of at most ``per_piece`` columns.

    Whole stages packed together when that takes no more slides than cutting the steps
    evenly; else even windows (a stage cut by a window shows its name on each slide).
    """
    columns = g.columns
    if not columns:
        return [Window(0, 0, g.grid.x, g.grid.x, g.grid.x)]
    origin = columns[0].x - g.theme.column_gap / 2
    n = len(columns)
    groups: list[tuple[int, int]] = []
    start = 0
    for stage in g.stages:  # whole stages together, up to a slide's columns
        count = sum(1 for c in columns if c.stage_id == stage.stage_id)
        if count == 0:
            continue
        if groups and groups[-1][1] == start and start - groups[-1][0] + count <= per_piece:
            groups[-1] = (groups[-1][0], start + count)
        else:
            for offset in range(0, count, per_piece):
                groups.append((start + offset, start + min(count, offset + per_piece)))
        start += count
    pieces = -(-n // per_piece)
    if len(groups) > pieces:
        bounds = [round(k * n / pieces) for k in range(pieces + 1)]
        groups = list(itertools.pairwise(bounds))
    out = []
    for first, stop in groups:
        left, right = g.slot(first, stop)
        out.append(Window(first, stop, left, right, origin))
    return out


def columns_per_slide(g: Layout, scale: float) -> int:
    """How many columns fit a slide's width at ``scale`` (at least one)."""
    columns = g.columns
    if not columns:
        return 1
    pitch = columns[1].x - columns[0].x if len(columns) > 1 else columns[0].w
    origin = columns[0].x - g.theme.column_gap / 2 - SHIFT
    room = SLIDE_W / scale - origin - RIGHT
    return max(1, min(MAX_STEPS_PER_SLIDE, int(room // max(pitch, 1.0))))


def strip_height(g: Layout) -> float:
    """The height of the step names and tags of the tallest step node."""
    tallest = 0.0
    for node in g.flow.nodes:
        bottom = max((line.y + line.size * 0.4 for line in node.title.lines), default=0.0)
        bottom = max([bottom] + [tag.rect.bottom for tag in node.tags])
        tallest = max(tallest, bottom - node.rect.y)
    return tallest + STRIP_PAD


def _spans(g: Layout) -> list[float]:
    """Each lane's height with the gap under it."""
    lanes = g.lanes
    return [
        (lanes[n + 1].rect.y if n + 1 < len(lanes) else lane.rect.bottom) - lane.rect.y
        for n, lane in enumerate(lanes)
    ]


def _greedy(spans: Sequence[float], room: float) -> list[tuple[int, int]]:
    groups: list[tuple[int, int]] = []
    start, used = 0, 0.0
    for n, span in enumerate(spans):
        if n > start and used + span > room:
            groups.append((start, n))
            start, used = n, 0.0
        used += span
    if start < len(spans):
        groups.append((start, len(spans)))
    return groups


def _balanced(spans: Sequence[float], room: float) -> list[tuple[int, int]]:
    """As few windows as the greedy cut, their tallest as low as can be."""
    if not spans:
        return []
    count = len(_greedy(spans, room))
    lo, hi = max(spans), max(room, max(spans))
    for _ in range(30):  # bisect the tallest window's height
        mid = (lo + hi) / 2
        if len(_greedy(spans, mid)) <= count:
            hi = mid
        else:
            lo = mid
    return _greedy(spans, hi)


def _lane_windows(
    g: Layout, scale: float, heads: tuple[float, float, float], strip: bool
) -> list[tuple[int, int]]:
    """The lanes cut into windows that fit a slide at ``scale`` (``heads``: the heights
    of the stage band, the branch diagram and the strip of step names)."""
    stage_h, flow_h, strip_h = heads
    room = (SLIDE_H - TOP - BOTTOM) / scale - stage_h
    spans = _spans(g)
    if not strip:
        return _balanced(spans, room - flow_h) or [(0, 0)]
    first = _greedy(spans, room - flow_h)[:1]
    if first and sum(spans[first[0][0] : first[0][1]]) > room - flow_h:
        first = [(0, 0)]  # the branch diagram alone: no lane fits beside it
    rest = _balanced(spans[first[0][1] :], room - strip_h)
    return first + [(a + first[0][1], b + first[0][1]) for a, b in rest]


def views(g: Layout) -> list[View]:
    """Every map slide, in reading order: all the lanes of a step window, then the next."""
    scale = deck_scale(g)
    if g.columns:  # a theme with very wide columns: one column must still fit
        one = g.columns[0].x + g.columns[0].w + g.theme.column_gap / 2 - SHIFT + RIGHT
        scale = min(scale, SLIDE_W / one)
    steps = windows(g, columns_per_slide(g, scale))
    top = g.grid.y
    flow_top = g.flow.rect.y
    lanes_top = g.lanes[0].rect.y if g.lanes else g.flow.rect.bottom + 12
    stage_h = flow_top - top
    flow_h = lanes_top - flow_top
    strip_h = strip_height(g) + (lanes_top - g.flow.rect.bottom)
    strip = not g.linear and flow_h > strip_h + 40
    heads = (stage_h, flow_h, strip_h)
    lane_windows = _lane_windows(g, scale, heads, strip)
    # larger text when the slide's width has room and the lanes take no more slides
    wide = SLIDE_W / (max(w.width for w in steps) - SHIFT + RIGHT)
    if wide > scale * 1.01 and len(_lane_windows(g, wide, heads, strip)) == len(lane_windows):
        scale = wide
        lane_windows = _lane_windows(g, scale, heads, strip)
    spans = _spans(g)
    out = []
    for window in steps:
        for part, (a, b) in enumerate(lane_windows):
            shows_strip = strip and part > 0
            head_h = strip_h if shows_strip else flow_h
            lanes_h = sum(spans[a:b])
            fit = (SLIDE_H - TOP - BOTTOM) / max(stage_h + head_h + lanes_h, 1.0)
            s = min(scale, fit, SLIDE_W / max(window.width - SHIFT + RIGHT, 1.0))
            at = TOP / s
            bands = [Band(top, flow_top, at), Band(flow_top, flow_top + head_h, at + stage_h)]
            if b > a:
                y0 = g.lanes[a].rect.y
                bands.append(Band(y0, y0 + lanes_h, at + stage_h + head_h))
            out.append(View(window, a, b, part, len(lane_windows), shows_strip, s, tuple(bands)))
    return out
