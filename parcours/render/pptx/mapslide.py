"""A map slide painted from the :class:`~parcours.render.layout.Layout`, as real shapes.

Stage bands, step boxes, lane titles, cards, pain point and opportunity badges, KPI chips,
the emotion curves as freeform lines with a smiley face at each point, branch connectors
with arrow heads and labels, entry and end markers: each a shape with editable text, drawn
where the :class:`~parcours.render.pptx.plan.View` puts the slide's steps and lanes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parcours.render.fonts import text_width
from parcours.render.geometry import Legend, Rect, TextBlock, TextLine
from parcours.render.layout import Layout
from parcours.render.pptx.drawing import Drawing, Run
from parcours.render.pptx.plan import View, clip, strip_height
from parcours.render.pptx.units import points

SMILE = 0.04653  # the smiley's mouth: +SMILE smiles, -SMILE frowns
DARK = "#334155"


class Index:
    """The layout's cards and connectors by column, so that a slide looks only at its own."""

    def __init__(self, g: Layout) -> None:
        self.cards: dict[str, list[Any]] = {}
        for card in g.cards:
            self.cards.setdefault(card.step_id, []).append(card)
        self.spans = [
            (min(x for x, _ in c.points), max(x for x, _ in c.points), c)
            for c in g.flow.connectors
            if c.points
        ]

    def connectors(self, left: float, right: float) -> list[Any]:
        return [c for lo, hi, c in self.spans if hi >= left and lo <= right]


class Painter:
    """Draws the part of the layout that ``view`` shows into ``drawing``."""

    def __init__(self, drawing: Drawing, g: Layout, view: View, index: Index | None = None) -> None:
        self.d = drawing
        self.g = g
        self.v = view
        self.index = index or Index(g)
        self.dy = 0.0  # moves the step nodes into the strip

    # -- primitives ---------------------------------------------------------------------
    def y(self, y: float) -> float:
        return self.v.y(y + self.dy)

    def box(
        self,
        rect: Rect,
        fill: str | None,
        stroke: str | None,
        *,
        prst: str = "rect",
        clip: bool = False,
        dashed: bool = False,
        line_width: float = 0.75,
        name: str | None = None,
        body: str | None = None,
        adjust: float | None = None,
        top: float | None = None,
    ) -> None:
        """``rect`` on the slide (``clip``: cut at the window's edges; ``top``: slide y)."""
        window = self.v.window
        x, w = rect.x, rect.w
        if clip:
            lo, hi = max(x, window.left), min(x + w, window.right)
            if x < window.origin:
                right = self.v.x(min(x + w, window.right)) if x + w > window.origin else x + w
                left = self.v.x(x)
            else:
                if hi <= lo:
                    return
                left, right = self.v.x(lo), self.v.x(hi)
        else:
            left, right = self.v.x(x), self.v.x(x) + w
        if prst == "roundRect" and adjust is None:
            radius = min(8.0, rect.h / 2, (right - left) / 2)
            adjust = radius / max(min(rect.h, right - left), 1)
        self.d.shape(
            prst,
            left,
            self.y(rect.y) if top is None else top,
            max(right - left, 1),
            max(rect.h, 1),
            fill=fill,
            stroke=stroke,
            line_width=line_width,
            dashed=dashed,
            adjust=adjust,
            name=name,
            body=body,
        )

    def body(
        self,
        block: TextBlock | Sequence[TextLine],
        rect: Rect | None = None,
        *,
        extra: TextBlock | None = None,
        wrap: bool = True,
    ) -> str | None:
        """A text body for a shape, insets taken from where the layout placed its lines."""
        lines = block.lines if isinstance(block, TextBlock) else tuple(block)
        text = block.text if isinstance(block, TextBlock) else " ".join(line.text for line in lines)
        if not lines or not text:
            return None
        first = lines[0]
        # one line in the layout stays one line: the deck's font is never wider than the layout's
        word_wrap = wrap and (len(lines) > 1 or extra is not None)
        insets = (4.0, 0.0, 0.0, 0.0)
        shrink = 1.0
        if rect is not None:
            left = max(first.x - rect.x if first.anchor == "start" else 4, 0)
            insets = (left, first.y - first.size * 1.02 - rect.y, 2 if wrap else 0, 0)
            if not word_wrap:  # a line the layout let touch the edge
                wide = max(text_width(text, first.size, first.weight), first.width, 1.0)
                shrink = min(1.0, (rect.w - left - 2) / wide)
        paragraphs = [(first.anchor, [self.run(text, first, shrink)])]
        if extra is not None and extra.lines and extra.text:
            paragraphs.append(("start", [self.run(extra.text, extra.lines[0])]))
        return self.d.body(paragraphs, wrap=word_wrap, insets=insets)

    def run(self, text: str, line: TextLine, shrink: float = 1.0) -> Run:
        bold = line.weight >= 600
        size = points(line.size * shrink, bold, self.d.scale)
        return Run(text, size, bold, line.italic, line.color)

    def label(self, line: TextLine, width: float | None = None) -> None:
        """A free text box for one line, placed where the layout put it."""
        w = width if width is not None else line.width + 8
        x = line.x - (w / 2 if line.anchor == "middle" else w if line.anchor == "end" else 0)
        if not self.v.window.holds(x, w) or not self.v.shows(line.y + self.dy - line.size):
            return
        self.d.textbox(
            self.v.x(x),
            self.y(line.y - line.size * 1.15),
            w,
            line.size * 1.5,
            [(line.anchor, [self.run(line.text, line)])],
        )

    def polyline(
        self,
        pts: Sequence[tuple[float, float]],
        colour: str,
        width: float,
        *,
        dashed: bool = False,
        arrow: bool = False,
        name: str | None = None,
    ) -> None:
        mapped = [(self.v.x(x), self.y(y)) for x, y in pts]
        self.d.freeform(mapped, colour, width, dashed=dashed, arrow=arrow, name=name)

    def dot(
        self, cx: float, cy: float, r: float, colour: str | None, name: str | None = None
    ) -> None:
        self.d.shape(
            "ellipse", self.v.x(cx) - r, self.y(cy) - r, 2 * r, 2 * r, fill=colour, name=name
        )

    # -- the map ------------------------------------------------------------------------
    def paint(self) -> None:
        g, v = self.g, self.v
        lanes = g.lanes[v.first_lane : v.stop_lane]
        for lane in lanes:
            self.box(lane.rect, lane.fill, None, clip=True)
            self.box(
                Rect(lane.rect.x, lane.rect.y, lane.rect.w, 0.01), None, g.theme.grid, clip=True
            )
        self._highlights()
        for lane in lanes:
            tr = lane.title_rect
            rect = Rect(tr.x, tr.y + 3, tr.w, tr.h - 6)
            self.box(
                rect,
                g.theme.lane_title_fill,
                None,
                prst="roundRect",
                name=f"lane {lane.lane_id}",
                body=self.body(lane.title, rect),
            )
            self.box(Rect(tr.x, tr.y + 3, 4, tr.h - 6), lane.accent, None)
        self._stages()
        if v.strip:
            self._strip()
        else:
            self._flow()
        shown = {lane.lane_id for lane in lanes}
        for column in g.columns[v.window.first : v.window.stop]:
            for card in self.index.cards.get(column.step_id, ()):
                if card.lane_id in shown and v.window.holds(card.rect.x, card.rect.w):
                    self._card(card)
        self._curves(shown)
        self._measured(shown)

    def _highlights(self) -> None:
        bottom = self.v.bands[-1].at + self.v.bands[-1].bottom - self.v.bands[-1].top
        for rect in self.g.highlights:
            if not self.v.window.holds(rect.x, rect.w):
                continue
            top = self.y(rect.y)
            self.box(
                Rect(rect.x, rect.y, rect.w, bottom - top),
                self.g.theme.moment_of_truth_fill,
                self.g.theme.moment_of_truth,
                clip=True,
                dashed=True,
                prst="roundRect",
                line_width=1.2,
                top=top,
            )

    def _stages(self) -> None:
        window = self.v.window
        for stage in self.g.stages:
            if stage.rect.x + stage.rect.w <= window.left or stage.rect.x >= window.right:
                continue
            name, rect = stage.name, stage.rect
            if rect.x < window.left:  # a stage cut by the window: its name at the window's left
                name = TextLine(
                    name.text, window.left + 12, name.y, name.size, name.width, name.weight,
                    name.color, name.anchor, name.italic,
                )  # fmt: skip
                rect = Rect(window.left, rect.y, rect.w, rect.h)
            self.box(stage.rect, stage.fill, None, clip=True, body=self.body([name], rect))

    def _node(self, node: Any, height: float | None = None) -> None:
        rect = node.rect if height is None else Rect(node.rect.x, node.rect.y, node.rect.w, height)
        self.box(
            rect,
            node.fill,
            node.stroke,
            prst="roundRect",
            line_width=2.0 if node.moment_of_truth else 0.75,
            body=self.body(node.title, rect),
        )
        self.box(Rect(rect.x, rect.y + 4, 4, max(rect.h - 8, 1)), node.accent, None)
        for tag in node.tags:
            self.badge(tag)

    def _strip(self) -> None:
        """The step names (and tags) in one row, over lanes that follow the branch diagram."""
        g, v = self.g, self.v
        top = g.flow.rect.y
        if g.flow.title is not None and g.flow.title.lines:
            line = g.flow.title.lines[0]
            self.dy = top + line.size * 1.2 + 4 - line.y
            self.label(line)
        height = strip_height(g) - 4
        for node in g.flow.nodes:
            if v.window.holds(node.rect.x, node.rect.w) and node.rect.x >= v.window.origin:
                self.dy = top - node.rect.y
                self._node(node, height)
        self.dy = 0.0

    def _flow(self) -> None:
        g, v = self.g, self.v
        flow = g.flow
        for track in flow.tracks:
            self.box(track.rect, None, g.theme.grid, clip=True)
            if track.name is not None:
                rect = Rect(g.gutter.x, track.rect.y, g.gutter.w, track.rect.h)
                self.box(rect, None, None, body=self.body(track.name, rect))
                self.box(Rect(g.gutter.x, track.rect.y, 4, track.rect.h), track.color, None)
        for connector in self.index.connectors(v.window.left, v.window.right):
            runs = clip(connector.points, v.window.left, v.window.right)
            for run in runs:  # a connector leaving the slide is cut at its edge
                self.polyline(
                    run,
                    connector.color,
                    connector.width,
                    dashed=connector.dashed or connector.kind == "loop",
                    arrow=run[-1] == connector.points[-1],
                )
            if connector.label_line is not None and runs:
                self.label(connector.label_line)
        for node in flow.nodes:
            if not v.window.holds(node.rect.x, node.rect.w) or node.rect.x < v.window.origin:
                continue
            self._node(node)
            for port in node.ports:
                if port.text.lines:
                    first = port.text.lines[0]
                    self.d.textbox(
                        v.x(first.x),
                        self.y(first.y - first.size * 1.15),
                        node.rect.w,
                        first.size * 1.5 * len(port.text.lines),
                        [("start", [self.run(port.text.text, first)])],
                        wrap=True,
                    )
        for marker in flow.markers:
            column = next((c for c in g.columns if c.step_id == marker.step_id), None)
            if column is None or not v.window.first <= column.index < max(v.window.stop, 1):
                continue
            self.dot(
                marker.cx, marker.cy, marker.r, marker.color, f"{marker.kind} {marker.step_id}"
            )

    def _card(self, card: Any) -> None:
        self.box(
            card.rect,
            card.fill,
            card.stroke,
            prst="roundRect",
            dashed=card.dashed,
            name=card.id,
            body=self.body(card.text, card.rect, extra=card.meta),
        )
        if card.accent:
            self.box(
                Rect(card.rect.x, card.rect.y + 3, 4, max(card.rect.h - 6, 1)), card.accent, None
            )
        if card.badge is not None:
            self.badge(card.badge)
        if card.icon is not None and card.icon.emoji:
            icon = card.icon
            self.label(
                TextLine(icon.emoji, icon.x, icon.y + icon.size * 0.85, icon.size * 0.8, icon.size, 400, icon.color)
            )  # fmt: skip

    def badge(self, badge: Any) -> None:
        """A pill with its text, and a dot where the picture draws the badge's icon."""
        self.box(
            badge.rect,
            badge.fill,
            badge.stroke,
            prst="roundRect",
            adjust=0.5,
            body=self.body([badge.text], badge.rect, wrap=False),
        )
        if badge.icon:
            r = min(4.5, badge.rect.h / 3)
            cx, cy = badge.rect.x + 10, badge.rect.y + badge.rect.h / 2
            self.dot(cx, cy, r, badge.text.color or DARK)

    def smiley(
        self, x: float, y: float, size: float, score: int, colour: str, name: str | None = None
    ) -> None:
        """A face at slide position (``x``, ``y``), smiling with the score."""
        self.d.shape(
            "smileyFace", x, y, size, size, fill=colour, stroke=DARK, adjust=SMILE * score / 2, name=name
        )  # fmt: skip

    def _curves(self, shown: set[str]) -> None:
        g, v = self.g, self.v
        window = v.window
        neutral_done: set[str] = set()
        for curve in g.curves:
            if curve.lane_id not in shown:
                continue
            runs = clip([(p.x, p.y) for p in curve.points], window.left, window.right)
            if curve.lane_id not in neutral_done and runs:
                xs = [x for run in runs for x, _ in run]
                lo, hi = max(min(xs) - 20, window.left), min(max(xs) + 20, window.right)
                self.polyline(
                    [(lo, curve.neutral_y), (hi, curve.neutral_y)], g.theme.faint, 1.0, dashed=True
                )
                neutral_done.add(curve.lane_id)
            for run in runs:
                self.polyline(
                    run, curve.color, curve.width, dashed=curve.dashed, name=f"curve {curve.id}"
                )
        drawn: set[tuple[float, float]] = set()
        radius = g.curves[0].face_radius if g.curves else 14.0
        for face in g.faces:
            if not window.holds(face.x) or face.x < window.origin or not v.shows(face.y):
                continue
            if (face.x, face.y) in drawn:
                continue
            drawn.add((face.x, face.y))
            name = f"emotion {face.step_id} {face.score:+d}"
            self.smiley(
                v.x(face.x) - radius,
                self.y(face.y) - radius,
                2 * radius,
                face.score,
                face.color,
                name,
            )
            if face.label is not None and face.label.lines:
                self.label(face.label.lines[0], width=max(face.label.lines[0].width + 10, 60))
            if face.emoji:
                self.label(
                    TextLine(
                        face.emoji,
                        face.x + radius + 2,
                        face.y + radius * 0.4,
                        radius * 1.1,
                        radius * 1.4,
                    )
                )

    def _measured(self, shown: set[str]) -> None:
        """The measured emotions beside the designed faces, as the SVG draws them: a dashed
        line per path, a diamond per step with its 95 % interval as a whisker, its value."""
        g, v = self.g, self.v
        window = v.window
        curves = [c for c in g.measured if c.lane_id in shown]
        if not curves:
            return
        for curve in curves:
            for run in clip([(p.x, p.y) for p in curve.points], window.left, window.right):
                self.polyline(
                    run, curve.color, curve.width, dashed=True, name=f"measured {curve.id}"
                )
        colour, d = curves[0].color, 5.5
        for q in g.measured_points:
            if not window.holds(q.x) or q.x < window.origin or not v.shows(q.y):
                continue
            if q.low_y is not None and q.high_y is not None:
                whisker = [(q.x, q.high_y), (q.x, q.low_y)]
                self.polyline(whisker, colour, 1.4, name=f"interval {q.step_id}")
            name = f"measured {q.step_id} {q.value:+.2f}"
            x, y = v.x(q.x) - d, self.y(q.y) - d
            self.d.shape("diamond", x, y, 2 * d, 2 * d, fill="#ffffff", stroke=colour, name=name)
            if q.label is not None:
                self.label(q.label)

    def legend(self, legend: Legend) -> None:
        """Every entry of the legend with its label (on the title slide)."""
        for heading in (legend.title, *legend.headings):
            if heading is not None:
                self.label(heading)
        for item in legend.items:
            r = item.rect
            if item.kind == "face":
                self.smiley(self.v.x(r.x), self.y(r.y), r.w, item.score or 0, item.color)
            elif item.kind == "line":
                y = r.y + r.h / 2
                self.polyline([(r.x, y), (r.x + r.w, y)], item.color, 2.5, dashed=item.dashed)
            elif item.kind == "marker":
                self.box(r, item.color, None, prst="ellipse")
            else:
                self.box(r, item.color, None, prst="roundRect")
            self.label(item.label)

    def chips(self, chips: Sequence[Any]) -> None:
        """The header's chips (state, evidence, status, review date), on the title slide."""
        for chip in chips:
            body = self.body([chip.text], chip.rect, wrap=False)
            self.box(chip.rect, chip.fill, chip.stroke, prst="roundRect", body=body)
