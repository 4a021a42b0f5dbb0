"""An editable PowerPoint deck, painted from the map's :class:`~parcours.render.layout.Layout`.

Everything is a real shape with real text: stage bands, step boxes, lane titles, cards,
pain point and opportunity badges, KPI chips, the emotion curve as a freeform line with a
smiley face at each point, branch connectors with arrow heads and labels, entry and end
markers. No picture is ever pasted on a slide.

Every slide is 16:9 (13.33 x 7.5 in). A title slide comes first; then the map, one slide
for a short map, else whole stages packed per slide (long stages cut), each with the lane
titles on the left and the steps it shows in its speaker notes (with their descriptions).
The map is scaled to fit the slide with all its lanes (1 px of the layout = 1/96 inch
times that scale, fonts too). Persona slides follow when the workspace has the journey's
personas.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.shapes.shapetree import SlideShapes
from pptx.util import Emu, Pt

from parcours.atomic import producing, target_of, write_atomic
from parcours.escape.xml import plain as clean
from parcours.model.items import Opportunity
from parcours.model.library import Library
from parcours.render.fonts import text_width
from parcours.render.geometry import Rect, TextBlock, TextLine
from parcours.render.labels import label
from parcours.render.layout import Layout, layout
from parcours.render.office.sheets import WORDS

if TYPE_CHECKING:
    from parcours.model.atlas import Atlas
    from parcours.model.journey import Journey
    from parcours.model.persona import Persona

EMU_PER_PX = 9525  # 914400 EMU per inch / 96 px per inch
MAX_STEPS_PER_SLIDE = 12
MAX_COLUMNS_PER_PIECE = 8
MAX_SLIDE_PX = 56 * 96 - 1  # PowerPoint's largest slide side: 56 inches
SMILE = 0.04653  # the smiley's mouth: +SMILE smiles, -SMILE frowns


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


SLIDE_W = 1280.0  # 13.33 in: every slide is 16:9, as a presenter's screen expects
SLIDE_H = 720.0  # 7.5 in
_SCALE: ContextVar[float] = ContextVar("pptx_scale", default=1.0)
# The font the deck names: every Office has Arial, and LibreOffice maps it to Liberation Sans
# (metric-compatible) or, without it, to DejaVu Sans. Text is placed with the shipped Noto
# Sans metrics, as in the SVG; DejaVu Sans, the widest of these, runs up to 8% wider than
# Noto Sans, and its bold up to 17% wider than Noto Sans semibold, so sizes are set that much
# smaller and every text stays in its box.
DECK_FONT = "Arial"
FIT = 0.92
BOLD_FIT = 0.92  # on top of FIT for bold text


def _emu(px: float) -> Emu:
    return Emu(round(px * _SCALE.get() * EMU_PER_PX))


def _pt(points: float) -> Pt:
    """A font size in points, shrunk with the slide's scale, to the tenth of a point."""
    return Pt(max(1.0, round(points * FIT * _SCALE.get(), 1)))


def _rgb(colour: str | None) -> RGBColor | None:
    if not colour or not colour.startswith("#"):
        return None
    value = colour[1:]
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return RGBColor.from_string(value[:6].upper())


@dataclass(frozen=True)
class Window:
    """The part of the layout a slide shows: the gutter, then columns ``first``…``stop - 1``."""

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


def pptx_bytes(
    journey: Journey, *, library: Library | None = None, atlas: Atlas | None = None
) -> bytes:
    """``journey`` as the bytes of an editable deck; ``atlas`` brings the workspace's personas."""
    if library is None and atlas is not None:
        library = atlas.library
    personas = [p for p in atlas.personas if p.id in journey.personas] if atlas is not None else []
    geometry = layout(journey, library=library, personas=personas)
    buffer = io.BytesIO()
    build_deck(geometry, personas, journey).save(buffer)
    return buffer.getvalue()


def save_pptx(
    journey: Journey,
    path: str | Path,
    *,
    library: Library | None = None,
    atlas: Atlas | None = None,
) -> Path:
    """Write ``journey`` as an editable deck (see :func:`pptx_bytes`)."""
    path = Path(path)
    target_of(path)  # refuse a device or a folder before the work
    with producing(path):
        data = pptx_bytes(journey, library=library, atlas=atlas)
    write_atomic(path, data)
    return path


def windows(geometry: Layout, per_piece: int = MAX_COLUMNS_PER_PIECE) -> list[Window]:
    """One window for a short map; else whole stages packed up to ``per_piece`` columns."""
    columns = geometry.columns
    if not columns:
        return [Window(0, 0, geometry.grid.x, geometry.grid.x, geometry.grid.x)]
    half = geometry.theme.column_gap / 2
    origin = columns[0].x - half
    groups: list[tuple[int, int]] = []
    if len(columns) <= min(per_piece, MAX_STEPS_PER_SLIDE):
        groups.append((0, len(columns)))
    else:
        start = 0
        for stage in geometry.stages:  # whole stages together, up to a slide's columns
            count = sum(1 for c in columns if c.stage_id == stage.stage_id)
            if count == 0:
                continue
            if groups and groups[-1][1] == start and start - groups[-1][0] + count <= per_piece:
                groups[-1] = (groups[-1][0], start + count)
            else:
                for offset in range(0, count, per_piece):
                    groups.append((start + offset, start + min(count, offset + per_piece)))
            start += count
    out = []
    for first, stop in groups:
        left, right = geometry.slot(first, stop)
        out.append(Window(first, stop, left, right, origin))
    return out


def per_slide(geometry: Layout) -> tuple[int, float]:
    """How many columns a 16:9 slide shows, and the scale that fits them with every lane."""
    columns = geometry.columns
    margin = geometry.theme.margin
    scale = min(1.0, SLIDE_H / max(geometry.height, 1.0))
    if not columns:
        return 1, scale
    pitch = columns[1].x - columns[0].x if len(columns) > 1 else columns[0].w
    origin = columns[0].x - geometry.theme.column_gap / 2
    room = SLIDE_W / scale - origin - margin
    count = max(2, min(MAX_STEPS_PER_SLIDE, int(room // max(pitch, 1.0))))
    return count, scale


def build_deck(
    geometry: Layout, personas: Sequence[Persona] = (), journey: Journey | None = None
) -> Any:
    """A 16:9 deck: a title slide, the map cut into slides of whole stages, then personas."""
    deck = Presentation()
    count, fit = per_slide(geometry)
    views = windows(geometry, count)
    margin = geometry.theme.margin
    widest = max(v.width for v in views) + margin
    scale = min(fit, SLIDE_W / widest)
    deck.slide_width = Emu(round(SLIDE_W * EMU_PER_PX))
    deck.slide_height = Emu(round(SLIDE_H * EMU_PER_PX))
    blank = deck.slide_layouts[6]
    _title_slide(deck.slides.add_slide(blank), geometry, journey, len(views))
    token = _SCALE.set(scale)
    try:
        for n, view in enumerate(views, 1):
            slide = deck.slides.add_slide(blank)
            _Painter(slide, geometry, view, SLIDE_W / scale).paint()
            _notes(slide, geometry, view, journey, n, len(views))
    finally:
        _SCALE.reset(token)
    if journey is not None:
        _opportunity_slides(deck, blank, journey, geometry.lang)
    for persona in personas:
        _persona_slide(deck.slides.add_slide(blank), persona, geometry, SLIDE_W, SLIDE_H)
    deck.core_properties.title = geometry.title
    deck.core_properties.author = "parcours"
    return deck


def _title_slide(slide: Any, geometry: Layout, journey: Journey | None, pieces: int) -> None:
    """The journey's title, its description and what the deck holds."""
    font = DECK_FONT
    fr = geometry.lang == "fr"
    steps = len(geometry.columns)
    stages = len(
        [s for s in geometry.stages if any(c.stage_id == s.stage_id for c in geometry.columns)]
    )
    facts = (
        f"{stages} étapes · {steps} points de contact · {pieces} diapositive(s) de carte"
        if fr
        else f"{stages} stages · {steps} steps · {pieces} map slide(s)"
    )
    lines: list[tuple[str, float, bool, str]] = [(geometry.title, 36, True, "1F2933")]
    if journey is not None and journey.description:
        lines.append((journey.description, 18, False, "3E4C59"))
    lines.append((facts, 14, False, "5C6B7A"))
    box = slide.shapes.add_textbox(
        Emu(round(80 * EMU_PER_PX)),
        Emu(round(220 * EMU_PER_PX)),
        Emu(round((SLIDE_W - 160) * EMU_PER_PX)),
        Emu(round(300 * EMU_PER_PX)),
    )
    box.name = "title"
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    for n, (text, size, bold, colour) in enumerate(lines):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(size / 2)
        run = paragraph.add_run()
        run.text = clean(text)
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = font
        run.font.color.rgb = RGBColor.from_string(colour)


OPPORTUNITIES_PER_SLIDE = 8


def _opportunity_slides(deck: Any, blank: Any, journey: Journey, lang: str) -> None:
    """The journey's opportunities, by priority, in a table: what, at which step, who."""
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3}
    rows = [
        (order.get(item.priority.value, 9), n, item, step.name)
        for n, (_stage, step) in enumerate(journey.iter_steps())
        for lane in journey.lanes
        for item in journey.cell(lane.id, step.id)
        if isinstance(item, Opportunity)
    ]
    rows.sort(key=lambda r: (r[0], r[1]))
    header = [
        label("opportunities", lang),
        WORDS[lang]["step"],
        label("priority", lang).capitalize(),
        label("owner", lang),
    ]
    widths = [620.0, 280.0, 120.0, 180.0]
    for start in range(0, len(rows), OPPORTUNITIES_PER_SLIDE):
        part = rows[start : start + OPPORTUNITIES_PER_SLIDE]
        slide = deck.slides.add_slide(blank)
        title = slide.shapes.add_textbox(_emu(40), _emu(24), _emu(SLIDE_W - 80), _emu(48))
        title.name = "opportunities title"
        run = title.text_frame.paragraphs[0].add_run()
        run.text = clean(label("opportunities", lang))
        run.font.size, run.font.bold, run.font.name = Pt(24), True, DECK_FONT
        table = slide.shapes.add_table(
            len(part) + 1, 4, _emu(40), _emu(96), _emu(sum(widths)), _emu(64 * (len(part) + 1))
        ).table
        for c, w in enumerate(widths):
            table.columns[c].width = _emu(w)
        for r in range(len(part) + 1):
            table.rows[r].height = _emu(64)
        values = [header] + [
            [item.text, name, label("priority." + item.priority.value, lang), item.owner or ""]
            for _o, _n, item, name in part
        ]
        for r, line in enumerate(values):
            for c, value in enumerate(line):
                frame = table.cell(r, c).text_frame
                frame.word_wrap = True
                run = frame.paragraphs[0].add_run()
                run.text = clean(value)
                run.font.size, run.font.bold, run.font.name = Pt(11), r == 0, DECK_FONT


def _notes(
    slide: Any, geometry: Layout, view: Window, journey: Journey | None, n: int, total: int
) -> None:
    """Speaker notes: each step the slide shows, with its description."""
    steps = {s.id: s for s in journey.steps()} if journey is not None else {}
    said = [f"{geometry.title} ({n}/{total})"]
    for column in geometry.columns[view.first : view.stop]:
        step = steps.get(column.step_id)
        if step is None:
            continue
        said.append(f"{step.name}: {step.description}" if step.description else step.name)
    slide.notes_slide.notes_text_frame.text = clean("\n".join(said))


class _CountedShapes(SlideShapes):
    """python-pptx looks up every id of the slide for each new shape (quadratic); count instead."""

    _parcours_last_id: int

    @property
    def _next_shape_id(self) -> int:
        self._parcours_last_id += 1
        return self._parcours_last_id


def _fast_shapes(slide: Any) -> Any:
    shapes = slide.shapes
    last = max((int(v) for v in shapes._spTree.xpath("//@id") if str(v).isdigit()), default=0)
    shapes.__class__ = _CountedShapes
    shapes._parcours_last_id = last
    return shapes


NO_WINDOW = Window(0, 0, 0.0, 0.0, float("inf"))


class _Painter:
    def __init__(self, slide: Any, geometry: Layout, view: Window, width: float) -> None:
        self.slide = slide
        self.shapes = _fast_shapes(slide)
        self.g = geometry
        self.v = view
        self.width = width
        self.font = DECK_FONT

    # -- primitives ---------------------------------------------------------------------------
    def box(
        self,
        rect: Rect,
        fill: str | None,
        stroke: str | None = None,
        *,
        shape: Any = MSO_SHAPE.RECTANGLE,
        clip: bool = False,
        dashed: bool = False,
        line_width: float = 0.75,
    ) -> Any:
        x, w = rect.x, rect.w
        if clip:
            lo, hi = max(x, self.v.left), min(x + w, self.v.right)
            if x < self.v.origin:
                lo, hi = x, self.v.x(min(x + w, self.v.right)) if x + w > self.v.origin else x + w
                left, right = lo, hi
            else:
                if hi <= lo:
                    return None
                left, right = self.v.x(lo), self.v.x(hi)
        else:
            left, right = self.v.x(x), self.v.x(x) + w
        item = self.shapes.add_shape(
            shape, _emu(left), _emu(rect.y), _emu(max(right - left, 1)), _emu(max(rect.h, 1))
        )
        if shape == MSO_SHAPE.ROUNDED_RECTANGLE:
            radius = min(8.0, rect.h / 2, (right - left) / 2)
            item.adjustments[0] = radius / max(min(rect.h, right - left), 1)
        item.shadow.inherit = False
        if fill and _rgb(fill) is not None:
            item.fill.solid()
            item.fill.fore_color.rgb = _rgb(fill)
        else:
            item.fill.background()
        if stroke and _rgb(stroke) is not None:
            item.line.color.rgb = _rgb(stroke)
            item.line.width = Pt(line_width)
            if dashed:
                item.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        else:
            item.line.fill.background()
        return item

    def text(
        self,
        shape: Any,
        block: TextBlock | Sequence[TextLine],
        rect: Rect | None = None,
        *,
        extra: TextBlock | None = None,
        align: str | None = None,
        wrap: bool = True,
    ) -> None:
        """Put a text block in a shape, insets taken from where the layout placed its lines."""
        lines = block.lines if isinstance(block, TextBlock) else tuple(block)
        text = block.text if isinstance(block, TextBlock) else " ".join(line.text for line in lines)
        if not lines or not text:
            return
        first = lines[0]
        frame = shape.text_frame
        # one line in the layout stays one line: the deck's font is never wider than the layout's
        frame.word_wrap = wrap and (len(lines) > 1 or extra is not None)
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.vertical_anchor = MSO_ANCHOR.TOP
        if rect is not None:
            left = first.x - rect.x if first.anchor == "start" else 4
            top = first.y - first.size * 1.02 - rect.y
            frame.margin_left = _emu(max(left, 0))
            frame.margin_right = _emu(2 if wrap else 0)
            frame.margin_top = _emu(max(top, 0))
            frame.margin_bottom = _emu(0)
        shrink = 1.0
        if rect is not None and not frame.word_wrap:  # a line the layout let touch the edge
            room = rect.w - max(first.x - rect.x if first.anchor == "start" else 4, 0) - 2
            wide = max(text_width(text, first.size, first.weight), first.width, 1.0)
            shrink = min(1.0, room / wide)
        paragraph = frame.paragraphs[0]
        self._run(paragraph, text, first, shrink)
        paragraph.alignment = {"middle": PP_ALIGN.CENTER, "end": PP_ALIGN.RIGHT}.get(
            align or first.anchor, PP_ALIGN.LEFT
        )
        if extra is not None and extra.lines and extra.text:
            more = frame.add_paragraph()
            self._run(more, extra.text, extra.lines[0])

    def _run(self, paragraph: Any, text: str, line: TextLine, shrink: float = 1.0) -> None:
        run = paragraph.add_run()
        run.text = clean(text)
        font = run.font
        font.bold = line.weight >= 600
        font.size = _pt(line.size * 0.75 * shrink * (BOLD_FIT if font.bold else 1.0))
        font.italic = line.italic
        font.name = self.font
        colour = _rgb(line.color)
        if colour is not None:
            font.color.rgb = colour

    def label(self, line: TextLine, width: float | None = None) -> Any:
        """A free text box for one line, placed where the layout put it."""
        w = width if width is not None else line.width + 8
        x = line.x - (w / 2 if line.anchor == "middle" else w if line.anchor == "end" else 0)
        if not self.v.holds(x, 0):
            return None
        rect = Rect(x, line.y - line.size * 1.15, w, line.size * 1.5)
        item = self.shapes.add_textbox(
            _emu(self.v.x(rect.x)), _emu(rect.y), _emu(rect.w), _emu(rect.h)
        )
        frame = item.text_frame
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        frame.word_wrap = False
        self._run(frame.paragraphs[0], line.text, line)
        frame.paragraphs[0].alignment = {"middle": PP_ALIGN.CENTER, "end": PP_ALIGN.RIGHT}.get(
            line.anchor, PP_ALIGN.LEFT
        )
        return item

    def polyline(
        self,
        points: Sequence[tuple[float, float]],
        colour: str,
        width: float,
        *,
        dashed: bool = False,
        arrow: bool = False,
    ) -> Any:
        pts = [(_emu(self.v.x(x)), _emu(y)) for x, y in points]
        if len(pts) < 2:
            return None
        builder = self.shapes.build_freeform(pts[0][0], pts[0][1], scale=1.0)
        builder.add_line_segments(pts[1:], close=False)
        item = builder.convert_to_shape()
        item.fill.background()
        item.shadow.inherit = False
        item.line.color.rgb = _rgb(colour) or RGBColor(0x33, 0x41, 0x55)
        item.line.width = Pt(width * 0.75)
        if dashed:
            item.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        if arrow:
            ln = item.line._get_or_add_ln()
            ln.append(
                ln.makeelement(qn("a:tailEnd"), {"type": "triangle", "w": "med", "len": "med"})
            )
        return item

    # -- the map ------------------------------------------------------------------------------
    def paint(self) -> None:
        g, v = self.g, self.v
        self._header()
        for lane in g.lanes:
            self.box(lane.rect, lane.fill, None, clip=True)
            self.box(
                Rect(lane.rect.x, lane.rect.y, lane.rect.w, 0.01), None, g.theme.grid, clip=True
            )
            tr = lane.title_rect
            title = self.box(
                Rect(tr.x, tr.y + 3, tr.w, tr.h - 6),
                g.theme.lane_title_fill,
                None,
                shape=MSO_SHAPE.ROUNDED_RECTANGLE,
            )
            self.text(title, lane.title, Rect(tr.x, tr.y + 3, tr.w, tr.h - 6))
            title.name = f"lane {lane.lane_id}"
            self.box(Rect(tr.x, tr.y + 3, 4, tr.h - 6), lane.accent, None)
        for rect in g.highlights:
            self.box(
                rect,
                g.theme.moment_of_truth_fill,
                g.theme.moment_of_truth,
                clip=True,
                dashed=True,
                shape=MSO_SHAPE.ROUNDED_RECTANGLE,
                line_width=1.2,
            )
        for stage in g.stages:
            shape = self.box(stage.rect, stage.fill, None, clip=True)
            if shape is not None:
                name = stage.name
                if (
                    stage.rect.x < v.left
                ):  # a stage cut by the window: its name at the window's left
                    name = TextLine(
                        name.text,
                        v.left + 12,
                        name.y,
                        name.size,
                        name.width,
                        name.weight,
                        name.color,
                        name.anchor,
                        name.italic,
                    )
                    self.text(shape, [name], Rect(v.left, stage.rect.y, stage.rect.w, stage.rect.h))
                else:
                    self.text(shape, [name], stage.rect)
        self._flow()
        for card in g.cards:
            if not v.holds(card.rect.x, card.rect.w) or card.rect.x < v.origin:
                continue
            self._card(card)
        self._curves()
        if self.v.first == 0:  # the legend once, on the first map slide
            self._legend()

    def _header(self) -> None:
        view, self.v = self.v, NO_WINDOW
        try:
            self._header_shapes()
        finally:
            self.v = view

    def _header_shapes(self) -> None:
        g = self.g
        header = g.header
        for line in header.title.lines[:1]:
            self.label(
                TextLine(
                    header.title.text,
                    line.x,
                    line.y,
                    line.size,
                    min(self.width - 2 * line.x, max(line.width, 300)),
                    line.weight,
                    line.color,
                ),
                width=min(self.width - 2 * line.x, max(line.width + 40, 300)),
            )
        if header.subtitle is not None and header.subtitle.lines:
            line = header.subtitle.lines[0]
            box = self.shapes.add_textbox(
                _emu(line.x),
                _emu(line.y - line.size * 1.15),
                _emu(min(self.width - 2 * line.x, 1200)),
                _emu(line.size * 1.5 * len(header.subtitle.lines)),
            )
            frame = box.text_frame
            frame.word_wrap = True
            frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
            self._run(frame.paragraphs[0], header.subtitle.text, line)
        for badge in header.personas:
            if badge.cx + badge.r > self.width:
                continue
            circle = self.shapes.add_shape(
                MSO_SHAPE.OVAL,
                _emu(badge.cx - badge.r),
                _emu(badge.cy - badge.r),
                _emu(2 * badge.r),
                _emu(2 * badge.r),
            )
            circle.fill.solid()
            circle.fill.fore_color.rgb = _rgb(badge.fill)
            circle.line.fill.background()
            circle.shadow.inherit = False
            frame = circle.text_frame
            frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
            self._run(
                frame.paragraphs[0],
                badge.emoji or badge.initials,
                TextLine(badge.initials, 0, 0, badge.r * 0.9, 0, 700, "#1e293b"),
            )
            frame.paragraphs[0].alignment = PP_ALIGN.CENTER
            self.label(badge.name)
            if badge.detail is not None:
                self.label(badge.detail)
        for chip in header.chips:
            if chip.rect.x + chip.rect.w > self.width:
                continue
            shape = self.box(chip.rect, chip.fill, chip.stroke, shape=MSO_SHAPE.ROUNDED_RECTANGLE)
            self.text(shape, [chip.text], chip.rect, wrap=False)

    def _flow(self) -> None:
        g, v = self.g, self.v
        flow = g.flow
        for track in flow.tracks:
            rect = Rect(track.rect.x, track.rect.y, track.rect.w, track.rect.h)
            self.box(rect, None, g.theme.grid, clip=True)
            if track.name is not None:
                shape = self.box(
                    Rect(g.gutter.x, track.rect.y, g.gutter.w, track.rect.h), None, None
                )
                self.text(
                    shape, track.name, Rect(g.gutter.x, track.rect.y, g.gutter.w, track.rect.h)
                )
                self.box(Rect(g.gutter.x, track.rect.y, 4, track.rect.h), track.color, None)
        for connector in flow.connectors:
            runs = clip(connector.points, v.left, v.right)
            for run in runs:  # a connector leaving the slide is cut at its edge
                arrow = run[-1] == connector.points[-1]
                self.polyline(
                    run,
                    connector.color,
                    connector.width,
                    dashed=connector.dashed or connector.kind == "loop",
                    arrow=arrow,
                )
            if connector.label_line is not None and runs:
                self.label(connector.label_line)
        for node in flow.nodes:
            if not v.holds(node.rect.x, node.rect.w) or node.rect.x < v.origin:
                continue
            shape = self.box(
                node.rect,
                node.fill,
                node.stroke,
                shape=MSO_SHAPE.ROUNDED_RECTANGLE,
                line_width=2.0 if node.moment_of_truth else 0.75,
            )
            self.text(shape, node.title, node.rect)
            self.box(
                Rect(node.rect.x, node.rect.y + 4, 4, max(node.rect.h - 8, 1)), node.accent, None
            )
            for tag in node.tags:
                self.badge(tag)
            for port in node.ports:
                if port.text.lines:
                    box = self.shapes.add_textbox(
                        _emu(v.x(port.text.lines[0].x)),
                        _emu(port.text.lines[0].y - port.text.lines[0].size * 1.15),
                        _emu(node.rect.w),
                        _emu(port.text.lines[0].size * 1.5 * len(port.text.lines)),
                    )
                    box.text_frame.word_wrap = True
                    for margin in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
                        setattr(box.text_frame, margin, 0)
                    self._run(box.text_frame.paragraphs[0], port.text.text, port.text.lines[0])
        for marker in flow.markers:
            column = next((c for c in self.g.columns if c.step_id == marker.step_id), None)
            if column is None or not v.first <= column.index < max(v.stop, 1):
                continue
            dot = self.shapes.add_shape(
                MSO_SHAPE.OVAL,
                _emu(v.x(marker.cx) - marker.r),
                _emu(marker.cy - marker.r),
                _emu(2 * marker.r),
                _emu(2 * marker.r),
            )
            dot.fill.solid()
            dot.fill.fore_color.rgb = _rgb(marker.color)
            dot.line.fill.background()
            dot.shadow.inherit = False
            dot.name = f"{marker.kind} {marker.step_id}"

    def _card(self, card: Any) -> None:
        shape = self.box(
            card.rect, card.fill, card.stroke, shape=MSO_SHAPE.ROUNDED_RECTANGLE, dashed=card.dashed
        )
        shape.name = card.id
        self.text(shape, card.text, card.rect, extra=card.meta)
        if card.accent:
            self.box(
                Rect(card.rect.x, card.rect.y + 3, 4, max(card.rect.h - 6, 1)), card.accent, None
            )
        if card.badge is not None:
            self.badge(card.badge)
        if card.icon is not None and card.icon.emoji:
            self.label(
                TextLine(
                    card.icon.emoji,
                    card.icon.x,
                    card.icon.y + card.icon.size * 0.85,
                    card.icon.size * 0.8,
                    card.icon.size,
                    400,
                    card.icon.color,
                )
            )

    def badge(self, badge: Any) -> None:
        """A pill with its text, and a dot where the picture draws the badge's icon."""
        shape = self.box(badge.rect, badge.fill, badge.stroke, shape=MSO_SHAPE.ROUNDED_RECTANGLE)
        shape.adjustments[0] = 0.5
        self.text(shape, [badge.text], badge.rect, wrap=False)
        if badge.icon:
            r = min(4.5, badge.rect.h / 3)
            cx, cy = badge.rect.x + 10, badge.rect.y + badge.rect.h / 2
            dot = self.shapes.add_shape(
                MSO_SHAPE.OVAL, _emu(self.v.x(cx) - r), _emu(cy - r), _emu(2 * r), _emu(2 * r)
            )
            dot.fill.solid()
            dot.fill.fore_color.rgb = _rgb(badge.text.color) or RGBColor(0x33, 0x41, 0x55)
            dot.line.fill.background()
            dot.shadow.inherit = False

    def _curves(self) -> None:
        g, v = self.g, self.v
        for curve in g.curves:
            points = [p for p in curve.points if v.holds(p.x) and p.x >= v.origin]
            if points:
                xs = [v.x(p.x) for p in points]
                neutral = self.shapes.add_connector(
                    1,
                    _emu(min(xs) - 20),
                    _emu(curve.neutral_y),
                    _emu(max(xs) + 20),
                    _emu(curve.neutral_y),
                )
                neutral.line.color.rgb = _rgb(g.theme.faint) or RGBColor(0x94, 0xA3, 0xB8)
                neutral.line.dash_style = MSO_LINE_DASH_STYLE.DASH
                neutral.line.width = Pt(0.75)
            if len(points) >= 2:
                line = self.polyline(
                    [(p.x, p.y) for p in points], curve.color, curve.width, dashed=curve.dashed
                )
                line.name = f"curve {curve.id}"
        drawn: set[tuple[float, float]] = set()
        radius = g.curves[0].face_radius if g.curves else 14.0
        for face in g.faces:
            if not v.holds(face.x) or face.x < v.origin or (face.x, face.y) in drawn:
                continue
            drawn.add((face.x, face.y))
            smiley = self.shapes.add_shape(
                MSO_SHAPE.SMILEY_FACE,
                _emu(v.x(face.x) - radius),
                _emu(face.y - radius),
                _emu(2 * radius),
                _emu(2 * radius),
            )
            smiley.adjustments[0] = SMILE * face.score / 2
            smiley.fill.solid()
            smiley.fill.fore_color.rgb = _rgb(face.color)
            smiley.line.color.rgb = RGBColor(0x33, 0x41, 0x55)
            smiley.line.width = Pt(0.75)
            smiley.shadow.inherit = False
            smiley.name = f"emotion {face.step_id} {face.score:+d}"
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

    def _legend(self) -> None:
        legend = self.g.legend
        if legend is None:
            return
        for heading in (legend.title, *legend.headings):
            if heading is not None and heading.x + heading.width <= self.width:
                self.label(heading)
        for item in legend.items:
            if item.rect.x + item.rect.w + item.label.width > self.width:
                continue
            if item.kind == "face":
                smiley = self.shapes.add_shape(
                    MSO_SHAPE.SMILEY_FACE,
                    _emu(item.rect.x),
                    _emu(item.rect.y),
                    _emu(item.rect.w),
                    _emu(item.rect.h),
                )
                smiley.adjustments[0] = SMILE * (item.score or 0) / 2
                smiley.fill.solid()
                smiley.fill.fore_color.rgb = _rgb(item.color)
                smiley.shadow.inherit = False
            elif item.kind == "line":
                y = item.rect.y + item.rect.h / 2
                self.polyline(
                    [(item.rect.x, y), (item.rect.x + item.rect.w, y)],
                    item.color,
                    2.5,
                    dashed=item.dashed,
                )
            elif item.kind == "marker":
                self.box(item.rect, item.color, None, shape=MSO_SHAPE.OVAL)
            else:
                self.box(item.rect, item.color, None, shape=MSO_SHAPE.ROUNDED_RECTANGLE)
            self.label(item.label)


def _persona_slide(
    slide: Any, persona: Persona, geometry: Layout, width: float, height: float
) -> None:
    """A persona card: avatar, name and facts, summary, quote, then one box per list."""
    theme = geometry.theme
    lang = geometry.lang
    shapes = slide.shapes
    margin = 48.0
    usable = width - 2 * margin
    k = max(0.8, min(1.8, usable / 1100))  # text grows with the slide

    def px(points: float) -> float:
        return points / 0.75

    def text_box(
        x: float, y: float, w: float, paragraphs: list[tuple[str, float, bool, str]]
    ) -> float:
        """A wrapped text box; returns its estimated height in px."""
        lines = 0.0
        for text, size, _bold, _colour in paragraphs:
            per_line = max(10, int(w / (px(size * k) * 0.55)))
            lines += max(1, -(-len(text) // per_line)) * px(size * k) * 1.3
        box = shapes.add_textbox(_emu(x), _emu(y), _emu(w), _emu(lines + 8))
        frame = box.text_frame
        frame.word_wrap = True
        for n, (text, size, bold, colour) in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = clean(text)
            run.font.size = Pt(round(size * k * FIT))
            run.font.bold = bold
            run.font.name = DECK_FONT
            run.font.color.rgb = _rgb(colour)
        return lines + 8

    side = 110 * k
    circle = shapes.add_shape(MSO_SHAPE.OVAL, _emu(margin), _emu(margin), _emu(side), _emu(side))
    circle.fill.solid()
    circle.fill.fore_color.rgb = _rgb("#f7cfe1")
    circle.line.fill.background()
    circle.shadow.inherit = False
    circle.text_frame.text = (
        persona.emoji or "".join(w[0] for w in persona.name.split()[:2]).upper()
    )
    circle.text_frame.paragraphs[0].runs[0].font.size = Pt(round(36 * k))
    circle.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
    circle.name = f"persona {persona.id}"
    facts = [persona.segment, persona.age_range, persona.occupation, persona.location]
    name = f"{persona.emoji} {persona.name}" if persona.emoji else persona.name
    paragraphs: list[tuple[str, float, bool, str]] = [
        (name, 30, True, theme.ink),
        (" · ".join(f for f in facts if f), 15, False, theme.muted),
    ]
    if persona.summary:
        paragraphs.append((persona.summary, 15, False, theme.ink))
    used = text_box(margin + side + 24, margin, usable - side - 24, paragraphs)
    y = margin + max(side, used) + 16
    if persona.quote:
        quote = f"« {persona.quote} »" if lang == "fr" else f"“{persona.quote}”"
        y += text_box(margin, y, usable, [(quote, 17, False, theme.muted)]) + 12
    sections = [
        ("goals", persona.goals),
        ("needs", persona.needs),
        ("frustrations", persona.frustrations),
        ("motivations", persona.motivations),
        ("objections", persona.objections),
        ("channels", persona.channels),
    ]
    sections = [(key, values) for key, values in sections if values]
    titles = {
        "fr": {
            "goals": "Objectifs",
            "needs": "Besoins",
            "frustrations": "Frustrations",
            "motivations": "Motivations",
            "objections": "Objections",
            "channels": "Canaux",
        },
        "en": {
            "goals": "Goals",
            "needs": "Needs",
            "frustrations": "Frustrations",
            "motivations": "Motivations",
            "objections": "Objections",
            "channels": "Channels",
        },
    }
    per_row = 3 if usable >= 900 else 2
    col_w = usable / per_row
    inner = col_w - 16 - 24
    per_line = max(10, int(inner / (px(13 * k) * 0.55)))

    def box_height(values: list[str]) -> float:
        lines = sum(max(1, -(-(len(v) + 2) // per_line)) for v in values)
        return 24 + px(16 * k) * 1.6 + lines * px(13 * k) * 1.3 + 12

    for start in range(0, len(sections), per_row):
        row = sections[start : start + per_row]
        row_h = max(box_height(values) for _, values in row)
        for n, (key, values) in enumerate(row):
            x = margin + n * col_w
            card = shapes.add_shape(
                MSO_SHAPE.ROUNDED_RECTANGLE, _emu(x), _emu(y), _emu(col_w - 16), _emu(row_h)
            )
            card.fill.solid()
            card.fill.fore_color.rgb = _rgb(theme.header_fill)
            card.line.color.rgb = _rgb(theme.grid)
            card.shadow.inherit = False
            card.adjustments[0] = min(0.08, 12 / row_h)
            frame = card.text_frame
            frame.word_wrap = True
            frame.auto_size = MSO_AUTO_SIZE.NONE
            frame.vertical_anchor = MSO_ANCHOR.TOP
            frame.margin_left = frame.margin_right = frame.margin_top = _emu(12)
            frame.paragraphs[0].alignment = PP_ALIGN.LEFT
            run = frame.paragraphs[0].add_run()
            run.text = titles.get(lang, titles["en"])[key]
            run.font.bold = True
            run.font.size = Pt(round(16 * k * FIT))
            run.font.name = DECK_FONT
            run.font.color.rgb = _rgb(theme.ink)
            for value in values:
                paragraph = frame.add_paragraph()
                paragraph.alignment = PP_ALIGN.LEFT
                run = paragraph.add_run()
                run.text = f"• {clean(value)}"
                run.font.size = Pt(round(13 * k * FIT))
                run.font.name = DECK_FONT
                run.font.color.rgb = _rgb(theme.ink)
        y += row_h + 16


__all__ = ["save_pptx"]
