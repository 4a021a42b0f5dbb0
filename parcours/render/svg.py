"""Paint a :class:`~parcours.render.layout.Layout` as SVG: the reference picture.

Byte-stable: element ids come from model ids, numbers are printed with at most two
decimals, nothing depends on time or the machine. Safe: user text
only ever becomes escaped text nodes or escaped ``<title>`` tooltips; the document has no
script, no event attribute, no ``foreignObject``, no external reference, no image.

Emoji typed by users are kept as text, in a ``<tspan>`` with the colour emoji font: they
show where the viewer has an emoji font. Emotion faces are vector shapes, never emoji.
Pages and tiles of long maps are in :mod:`parcours.render.pages`.
"""

from __future__ import annotations

from collections.abc import Callable

from parcours.render import fonts, svg_data, svg_flow
from parcours.render.geometry import (
    Badge,
    Card,
    EmotionCurve,
    EmotionPoint,
    Icon,
    Rect,
    TextBlock,
    TextLine,
)
from parcours.render.layout import Layout
from parcours.render.shapes import (
    EMOJI_FAMILIES,
    SVG_NS,
    badge,
    badge_shapes,
    block,
    end_marker,
    entry_marker,
    esc,
    face,
    icon,
    icon_path,
    num,
    rect,
    safe_id,
    smooth_path,
    text,
    text_content,
    title,
)
from parcours.render.theme import Theme, shade, tint

__all__ = [
    "EMOJI_FAMILIES",
    "GROUPS",
    "SVG_NS",
    "badge",
    "block",
    "esc",
    "num",
    "open_tag",
    "paint",
    "paint_body",
    "safe_id",
    "text_content",
]


# ---------------------------------------------------------------------------- painter
class _Painter:
    def __init__(
        self,
        lay: Layout,
        window: tuple[float, float] | None,
        tooltips: bool = True,
        text_as_paths: bool = False,
        restart_names: bool = True,
        keep: Callable[[TextLine], bool] | None = None,
    ) -> None:
        self.lay = lay
        self.keep = keep
        self.restart_names = restart_names
        self.text_as_paths = text_as_paths
        self.drawn: list[TextLine] = []  # the text painted, for the embedded font
        self.th = lay.theme
        self.window = window
        self.tooltips = tooltips

    def text(self, line: TextLine) -> str:
        if self.keep is not None and not self.keep(line):
            return ""
        if self.text_as_paths:
            return _text_path(line)
        self.drawn.append(line)
        return text(line, self.th)

    def block(self, b: TextBlock | None) -> str:
        return "" if b is None else "".join(self.text(line) for line in b.lines)

    def badge(self, b: Badge | None) -> str:
        return "" if b is None else badge_shapes(b) + self.text(b.text)

    def icon(self, i: Icon | None) -> str:
        if i is not None and i.emoji:
            size = round(i.size * 0.9, 2)
            return self.text(
                TextLine(
                    i.emoji,
                    round(i.x + i.size / 2, 2),
                    round(i.y + i.size * 0.82, 2),
                    size,
                    round(fonts.text_width(i.emoji, size), 2),
                    anchor="middle",
                )
            )
        return icon(i)

    def title(self, tooltip: str) -> str:
        return title(tooltip) if self.tooltips else ""

    def visible(self, x0: float, x1: float) -> bool:
        if self.window is None:
            return True
        return x1 >= self.window[0] and x0 <= self.window[1]

    def header(self) -> list[str]:
        h = self.lay.header
        out = ['<g id="header">', self.block(h.title), self.block(h.subtitle)]
        for p in h.personas:
            out.append(f'<g id="persona-{safe_id(p.persona_id)}">')
            out.append(
                f'<circle cx="{num(p.cx)}" cy="{num(p.cy)}" r="{num(p.r)}" fill="{p.fill}" '
                f'stroke="{shade(p.fill, 0.15)}" stroke-width="1"/>'
            )
            if p.emoji:
                size = p.r
                mark = TextLine(
                    p.emoji,
                    p.cx,
                    round(p.cy + p.r * 0.36, 2),
                    size,
                    round(fonts.text_width(p.emoji, size), 2),
                    anchor="middle",
                )
            else:
                size = round(p.r * 0.8, 2)
                mark = TextLine(
                    p.initials,
                    p.cx,
                    round(p.cy + p.r * 0.3, 2),
                    size,
                    round(fonts.text_width(p.initials, size, 700), 2),
                    700,
                    shade(p.fill, 0.6),
                    "middle",
                )
            out.append(self.text(mark))
            out.append(self.text(p.name))
            if p.detail is not None:
                out.append(self.text(p.detail))
            out.append("</g>")
        for c in h.chips:
            out.append(rect(c.rect, c.fill, c.stroke, rx=c.rect.h / 2) + self.text(c.text))
        out.append("</g>")
        return out

    def stages(self) -> list[str]:
        out = ['<g id="stages">']
        for s in self.lay.stages:
            if not self.visible(s.rect.x, s.rect.right):
                continue
            lines = s.lines or (s.name,)
            cut = self.window is not None and s.rect.x < self.window[0] < s.rect.right - 40
            if cut and self.restart_names and self.window is not None:
                # a stage cut by the page's left edge: its name restarts on this page
                x = self.window[0] + 12
                room = min(s.rect.right, self.window[1]) - x - 12
                first = s.lines[0] if s.lines else s.name
                fitted = fonts.fit(s.full_name or s.name.text, room, first.size, first.weight)
                width = round(fonts.text_width(fitted, first.size, first.weight), 2)
                y = s.rect.cy + first.size * 0.36
                lines = (
                    TextLine(
                        fitted,
                        round(x, 2),
                        round(y, 2),
                        first.size,
                        width,
                        first.weight,
                        first.color,
                    ),
                )
            out.append(
                f'<g id="stage-{safe_id(s.stage_id)}">'
                + rect(s.rect, s.fill, rx=8)
                + "".join(self.text(line) for line in lines)
                + self.title(s.full_name or s.name.text)
                + "</g>"
            )
        out.append("</g>")
        return out

    def lanes(self) -> list[str]:
        th = self.th
        lay = self.lay
        out = ['<g id="lanes">']
        right = lay.grid.right
        for lane in lay.lanes:
            r = lane.rect
            out.append(f'<g id="lane-{safe_id(lane.lane_id)}">')
            if lane.fill != th.background:  # no overdraw of the background
                out.append(rect(r, lane.fill))
            out.append(
                f'<line x1="{num(r.x)}" y1="{num(r.y)}" x2="{num(right)}" y2="{num(r.y)}" '
                f'stroke="{th.grid}" stroke-width="1"/>'
            )
            tr = lane.title_rect
            out.append(rect(Rect(tr.x, tr.y + 3, tr.w, tr.h - 6), th.lane_title_fill, rx=6))
            out.append(rect(Rect(tr.x, tr.y + 3, 4, tr.h - 6), lane.accent, rx=2))
            out.append(self.block(lane.title))
            out.append("</g>")
        if lay.lanes:
            last = lay.lanes[-1].rect
            out.append(
                f'<line x1="{num(last.x)}" y1="{num(last.bottom)}" x2="{num(right)}" '
                f'y2="{num(last.bottom)}" stroke="{th.grid}" stroke-width="1"/>'
            )
        out.extend(svg_data.band_frame(self))
        out.append("</g>")
        return out

    def highlights(self) -> list[str]:
        th = self.th
        out = ['<g id="moments-of-truth">']
        for h in self.lay.highlights:
            if self.visible(h.x, h.right):
                out.append(
                    rect(
                        h,
                        th.moment_of_truth_fill,
                        tint(th.moment_of_truth, 0.7),
                        rx=10,
                        width=1.5,
                        dashed=True,
                    )
                )
        out.append("</g>")
        return out

    def flow(self) -> list[str]:
        return svg_flow.flow(self)

    def cards(self) -> list[str]:
        th = self.th
        out = ['<g id="cards">']
        for c in self.lay.cards:
            if not self.visible(c.rect.x, c.rect.right):
                continue
            out.append(self.card(c, th))
        out.append("</g>")
        return out

    def card(self, c: Card, th: Theme) -> str:
        r = c.rect
        parts = [f'<g id="card-{safe_id(c.id)}" class="{c.kind}">', self.title(c.tooltip)]
        radius = r.h / 2 if c.kind == "touchpoints" and r.h <= 40 else th.card_radius
        parts.append(rect(r, c.fill, c.stroke, rx=radius, dashed=c.dashed))
        if c.accent:
            parts.append(rect(Rect(r.x + 1, r.y + 1, 4, r.h - 2), c.accent, rx=2))
        parts.append(self.badge(c.badge))
        parts.append(self.icon(c.icon))
        parts.append(self.block(c.text))
        parts.append(self.block(c.meta))
        parts.append("</g>")
        return "".join(parts)

    def emotions(self) -> list[str]:
        th = self.th
        lay = self.lay
        out = ['<g id="emotions">']
        lanes_done = set()
        for curve in lay.curves:
            if curve.lane_id in lanes_done:
                continue
            lanes_done.add(curve.lane_id)
            lane = lay.lane(curve.lane_id)
            x0 = lay.columns[0].x if lay.columns else lane.rect.x
            x1 = lay.grid.right
            out.append(
                f'<line x1="{num(x0)}" y1="{num(curve.neutral_y)}" x2="{num(x1)}" '
                f'y2="{num(curve.neutral_y)}" stroke="{th.faint}" stroke-width="1" '
                'stroke-dasharray="2 4"/>'
            )
            for score, y in ((2, curve.top), (-2, curve.bottom)):
                out.append(
                    f'<line x1="{num(x0)}" y1="{num(y)}" x2="{num(x1)}" y2="{num(y)}" '
                    f'stroke="{tint(th.emotion_color(score), 0.25)}" stroke-width="1"/>'
                )
            if lay.columns and self.visible(lane.title_rect.right, x0):
                # the scale: small faces for +2, 0 and −2 between the titles and the grid
                cx = (lane.title_rect.right + x0) / 2
                r = min(6.0, (x0 - lane.title_rect.right) / 2 - 1)
                for score, y in ((2, curve.top), (0, curve.neutral_y), (-2, curve.bottom)):
                    out.append(face(cx, y, r, score, th.emotion_color(score)))
        for curve in lay.curves:
            out.append(self.curve(curve))
        for p in lay.faces:
            if self.visible(p.x - 40, p.x + 40):
                out.append(self.face(p, lay.curves))
        out.extend(svg_data.measured_marks(self))
        out.append("</g>")
        return out

    def curve(self, c: EmotionCurve) -> str:
        pts = [(p.x, p.y) for p in c.points]
        if len(pts) < 2:
            return ""
        dash = ' stroke-dasharray="8 5"' if c.dashed else ""
        return (
            f'<path id="{safe_id(c.id)}" d="{smooth_path(pts)}" fill="none" stroke="{c.color}" '
            f'stroke-width="{num(c.width)}" stroke-linecap="round" stroke-opacity="0.85"{dash}/>'
        )

    def face(self, p: EmotionPoint, curves: tuple[EmotionCurve, ...]) -> str:
        r = next((c.face_radius for c in curves if p in c.points), self.th.face_radius)
        out = [f'<g class="emotion">{self.title(p.label.text if p.label else str(p.score))}']
        out.append(face(p.x, p.y, r, p.score, p.color))
        if p.label is not None and p.label.lines:
            lines = p.label.lines
            w = max(line.width for line in lines) + 8
            top = lines[0].y - lines[0].size * 0.98
            h = lines[-1].y - top + lines[-1].size * 0.36
            box = Rect(p.x - w / 2, top, w, h)
            out.append(rect(box, "#ffffff", tint(p.color, 0.5), rx=4, extra='fill-opacity="0.92"'))
            for line in lines:
                out.append(self.text(line))
        out.append("</g>")
        return "".join(out)

    def observed(self) -> list[str]:
        return svg_data.badges(self)

    def legend(self) -> list[str]:
        lg = self.lay.legend
        if lg is None:
            return []
        out = ['<g id="legend">']
        out.extend(self.text(h) for h in lg.headings)
        for item in lg.items:
            s = item.rect
            if item.kind == "face":
                out.append(face(s.cx, s.cy, s.w / 2 + 1, item.score or 0, item.color))
            elif item.kind == "badge":
                out.append(rect(s, item.color, rx=s.h / 2))
                if item.icon:
                    out.append(icon_path(item.icon, s.x + 2, s.y + 2, s.w - 4, "#ffffff", 2.6))
            elif item.kind == "swatch":
                out.append(rect(s, item.color, rx=3))
            elif item.kind == "line":
                dash = f' stroke-dasharray="{svg_data.DASH}"' if item.dashed else ""
                out.append(
                    f'<path d="M{num(s.x)} {num(s.cy)}H{num(s.right)}" stroke="{item.color}" '
                    f'stroke-width="3" stroke-linecap="round"{dash}/>'
                )
            elif item.kind == "marker":
                if item.icon == "end":
                    out.append(end_marker(s.cx, s.cy, s.w / 2 - 1, item.color))
                else:
                    out.append(entry_marker(s.cx, s.cy, s.w / 2 - 1, item.color))
            out.append(self.text(item.label))
        out.append("</g>")
        return out


def _text_path(line: TextLine) -> str:
    from parcours.render import svg_font

    data, x0, scale, as_text = svg_font.text_path_data(line)
    out = []
    if data:
        s = f"{scale:.6f}".rstrip("0")
        out.append(
            f'<path transform="translate({num(x0)} {num(line.y)}) scale({s} -{s})" '
            f'd="{data}" fill="{line.color}" aria-label="{esc(line.text)}"/>'
        )
    for x, run, emoji in as_text:
        family = EMOJI_FAMILIES if emoji else fonts.SYMBOL_FAMILIES
        fill = "" if emoji else f' fill="{line.color}"'
        out.append(
            f'<text x="{num(x)}" y="{num(line.y)}" font-size="{num(line.size)}" '
            f'font-family="{family}"{fill}>{esc(run)}</text>'
        )
    return "".join(out)


GROUPS = (
    "header",
    "lanes",
    "highlights",
    "stages",
    "flow",
    "cards",
    "observed",
    "emotions",
    "legend",
)


def paint_body(
    lay: Layout,
    window: tuple[float, float] | None = None,
    *,
    background: bool = True,
    tooltips: bool = True,
    only: tuple[str, ...] = GROUPS,
    text_as_paths: bool = False,
    drawn: list[TextLine] | None = None,
    restart_names: bool = True,
    keep: Callable[[TextLine], bool] | None = None,
) -> str:
    """The map's drawing, without the ``<svg>`` element (for pages and tiles).

    ``window`` keeps only what meets that x range and ``only`` only those groups;
    rasterisers ask for no ``background`` (they fill it themselves) and no ``tooltips``
    (a picture cannot show them). ``text_as_paths`` draws text
    as glyph outlines; ``drawn`` receives the text lines painted as ``<text>``.
    ``restart_names``: a stage cut by the window's left edge shows its name again inside
    it (pages); without, the window only leaves out what lies outside it (the bands of
    one picture). ``keep``: only the text lines it accepts are painted (a page leaves out
    the lines its viewport does not show, which a PDF would still hold as text).
    """
    p = _Painter(lay, window, tooltips, text_as_paths, restart_names, keep)
    th = lay.theme
    parts = [rect(Rect(0, 0, lay.width, lay.height), th.background) if background else ""]
    for group in GROUPS:
        if group in only:
            parts.extend(getattr(p, group)())
    if drawn is not None:
        drawn.extend(p.drawn)
    return "\n".join(x for x in parts if x)


def open_tag(
    width: float,
    height: float,
    view: tuple[float, float, float, float] | None = None,
    family: str = "'Noto Sans', sans-serif",
    display_width: float | None = None,
) -> str:
    vx, vy, vw, vh = view or (0, 0, width, height)
    if display_width is not None and width > 0:
        width, height = display_width, height * display_width / width
    return (
        f'<svg xmlns="{SVG_NS}" width="{num(width)}" height="{num(height)}" '
        f'viewBox="{num(vx)} {num(vy)} {num(vw)} {num(vh)}" '
        f'font-family="{esc(family)}" role="img">'
    )


def paint(
    lay: Layout,
    *,
    background: bool = True,
    tooltips: bool = True,
    embed_font: bool = False,
    text_as_paths: bool = False,
    width: float | None = None,
) -> str:
    """The whole map as an SVG document.

    ``embed_font`` puts the subset of the shipped font the map uses in the document (the
    SVG then looks the same in every viewer, see :mod:`parcours.render.svg_font`);
    ``text_as_paths`` draws text as outlines instead; ``width`` sets the displayed width
    in px (the drawing is scaled, the viewBox kept).
    """
    family = f"'{lay.theme.font_family}', sans-serif"
    drawn: list[TextLine] = []
    body = paint_body(
        lay, background=background, tooltips=tooltips, text_as_paths=text_as_paths, drawn=drawn
    )
    defs = ""
    if embed_font and not text_as_paths:
        from parcours.render import svg_font

        style = svg_font.font_face_style(drawn)
        if style:
            family = f"'{svg_font.FAMILY}', {family}"
            defs = f"<defs>{style}</defs>\n"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + open_tag(lay.width, lay.height, family=family, display_width=width)
        + f"\n<title>{esc(lay.title)}</title>\n"
        + defs
        + body
        + "\n</svg>\n"
    )
